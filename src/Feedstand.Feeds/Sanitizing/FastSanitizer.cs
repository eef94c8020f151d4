using System.Collections.Frozen;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// The fast path of <see cref="ContentSanitizer"/>: one pass over HTML that is already
/// tidy — only allow-listed elements, properly nested and closed, quoted attributes — as most
/// generated blog HTML is. It writes the same policy's output (allow-listed attributes, URLs
/// absolute with safe schemes, rel/loading added) and gives up, returning false, on anything
/// it does not fully understand: the caller then runs the full parser-based sanitizer.
/// </summary>
/// <remarks>
/// Giving up is always safe, so the rules here are strict: unknown or dangerous elements,
/// comments it cannot skip cleanly, raw-text elements, unbalanced or implicitly closed tags,
/// elements in places the HTML tree builder would move them, NUL characters, iframes and
/// lazy-loaded images all go to the slow path.
/// </remarks>
internal static class FastSanitizer
{
    private enum Kind
    {
        Inline,
        Block,
        Void,
        ListItem,
        List,
        Table,
        TableSection,
        TableRow,
        TableCell,
        DefinitionList,
        DefinitionItem,
        Anchor,
    }

    private static readonly FrozenDictionary<string, (string Name, Kind Kind)> Elements = new Dictionary<string, Kind>
    {
        ["p"] = Kind.Block, ["div"] = Kind.Block, ["h1"] = Kind.Block, ["h2"] = Kind.Block, ["h3"] = Kind.Block,
        ["h4"] = Kind.Block, ["h5"] = Kind.Block, ["h6"] = Kind.Block, ["pre"] = Kind.Block, ["blockquote"] = Kind.Block,
        ["figure"] = Kind.Block, ["figcaption"] = Kind.Block, ["section"] = Kind.Block, ["article"] = Kind.Block,
        ["aside"] = Kind.Block, ["header"] = Kind.Block, ["footer"] = Kind.Block, ["address"] = Kind.Block,
        ["details"] = Kind.Block, ["summary"] = Kind.Block,
        ["ul"] = Kind.List, ["ol"] = Kind.List, ["li"] = Kind.ListItem,
        ["dl"] = Kind.DefinitionList, ["dt"] = Kind.DefinitionItem, ["dd"] = Kind.DefinitionItem,
        ["table"] = Kind.Table, ["thead"] = Kind.TableSection, ["tbody"] = Kind.TableSection, ["tfoot"] = Kind.TableSection,
        ["tr"] = Kind.TableRow, ["td"] = Kind.TableCell, ["th"] = Kind.TableCell, ["caption"] = Kind.TableCell,
        ["br"] = Kind.Void, ["hr"] = Kind.Void, ["img"] = Kind.Void, ["wbr"] = Kind.Void,
        ["a"] = Kind.Anchor,
        ["span"] = Kind.Inline, ["code"] = Kind.Inline, ["kbd"] = Kind.Inline, ["samp"] = Kind.Inline, ["var"] = Kind.Inline,
        ["q"] = Kind.Inline, ["cite"] = Kind.Inline, ["dfn"] = Kind.Inline, ["em"] = Kind.Inline, ["strong"] = Kind.Inline,
        ["b"] = Kind.Inline, ["i"] = Kind.Inline, ["u"] = Kind.Inline, ["s"] = Kind.Inline, ["del"] = Kind.Inline,
        ["ins"] = Kind.Inline, ["mark"] = Kind.Inline, ["small"] = Kind.Inline, ["sub"] = Kind.Inline, ["sup"] = Kind.Inline,
        ["abbr"] = Kind.Inline, ["time"] = Kind.Inline,
        // Presentational elements the allowlist unwraps: their content stays, their tags go.
        ["font"] = Kind.Inline, ["tt"] = Kind.Inline, ["strike"] = Kind.Inline, ["big"] = Kind.Inline, ["center"] = Kind.Block,
    }.ToFrozenDictionary(pair => pair.Key, pair => (pair.Key, pair.Value), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, (string Name, Kind Kind)>.AlternateLookup<ReadOnlySpan<char>> ElementLookup =
        Elements.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Attributes kept, with how their value is treated.</summary>
    private enum Value
    {
        Text,
        Url,
        SrcSet,
        Number,
    }

    private static readonly FrozenDictionary<string, (string Name, Value Value)> Attributes = new Dictionary<string, Value>
    {
        ["href"] = Value.Url, ["src"] = Value.Url, ["cite"] = Value.Url, ["srcset"] = Value.SrcSet,
        ["alt"] = Value.Text, ["title"] = Value.Text, ["datetime"] = Value.Text, ["lang"] = Value.Text, ["dir"] = Value.Text,
        ["width"] = Value.Number, ["height"] = Value.Number, ["colspan"] = Value.Number, ["rowspan"] = Value.Number,
        ["start"] = Value.Number, ["scope"] = Value.Text, ["reversed"] = Value.Text, ["open"] = Value.Text, ["sizes"] = Value.Text,
    }.ToFrozenDictionary(pair => pair.Key, pair => (pair.Key, pair.Value), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, (string Name, Value Value)>.AlternateLookup<ReadOnlySpan<char>> AttributeLookup =
        Attributes.GetAlternateLookup<ReadOnlySpan<char>>();

    private const int MaxDepth = 64;

    private static bool IsUnwrapped(string name) => name is "font" or "tt" or "strike" or "big" or "center";

    public static bool TrySanitize(string html, Uri? baseUri, out string result)
    {
        result = "";
        var output = new ValueStringBuilder(stackalloc char[1024]);
        Span<Kind> kinds = stackalloc Kind[MaxDepth];
        var names = new string[MaxDepth];
        var depth = 0;
        var ok = true;
        var i = 0;
        while (ok && i < html.Length)
        {
            var c = html[i];
            switch (c)
            {
                case '<':
                    ok = ReadMarkup(html, ref i, ref output, baseUri, kinds, names, ref depth);
                    break;
                case '&':
                    ok = AppendReference(html, ref i, ref output);
                    break;
                case '>':
                    output.Append("&gt;");
                    i++;
                    break;
                case '\0':
                    ok = false;
                    break;
                case '\u00A0':
                    output.Append("&nbsp;");
                    i++;
                    break;
                default:
                    if (depth > 0 && !char.IsWhiteSpace(c) && kinds[depth - 1] is Kind.Table or Kind.TableSection or Kind.TableRow or Kind.List or Kind.DefinitionList)
                    {
                        ok = false; // text where the tree builder would move it out of the table or list
                        break;
                    }
                    var end = html.AsSpan(i).IndexOfAny("<&>\0\u00A0");
                    var run = end < 0 ? html.Length - i : end;
                    if (depth > 0 && kinds[depth - 1] is Kind.Table or Kind.TableSection or Kind.TableRow or Kind.List or Kind.DefinitionList
                        && !html.AsSpan(i, run).IsWhiteSpace())
                    {
                        ok = false;
                        break;
                    }
                    output.Append(html.AsSpan(i, run));
                    i += run;
                    break;
            }
        }
        if (ok && depth == 0)
        {
            result = output.ToString();
        }
        output.Dispose();
        return ok && depth == 0;
    }

    private static bool ReadMarkup(string html, ref int i, ref ValueStringBuilder output, Uri? baseUri, scoped Span<Kind> kinds, string[] names, ref int depth)
    {
        var next = i + 1 < html.Length ? html[i + 1] : '\0';
        if (next == '!')
        {
            // Only a plain comment is skipped; <!DOCTYPE>, CDATA and odd comments take the slow path.
            if (!html.AsSpan(i).StartsWith("<!--") || html.AsSpan(i + 4).StartsWith(">") || html.AsSpan(i + 4).StartsWith("->"))
            {
                return false;
            }
            var close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
            if (close < 0 || html.AsSpan(i + 4, close - i - 4).Contains("--", StringComparison.Ordinal))
            {
                return false;
            }
            i = close + 3;
            return true;
        }
        if (next == '/')
        {
            return ReadEndTag(html, ref i, ref output, kinds, names, ref depth);
        }
        if (!char.IsAsciiLetter(next))
        {
            // "a < b": a '<' that starts no tag is text.
            output.Append("&lt;");
            i++;
            return true;
        }
        var nameStart = i + 1;
        var nameEnd = nameStart;
        while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
        {
            nameEnd++;
        }
        if (nameEnd >= html.Length || !(html[nameEnd] is ' ' or '\t' or '\n' or '\r' or '>' or '/'))
        {
            return false;
        }
        Span<char> lower = stackalloc char[16];
        var nameSpan = html.AsSpan(nameStart, nameEnd - nameStart);
        if (nameSpan.Length > lower.Length)
        {
            return false;
        }
        var length = nameSpan.ToLowerInvariant(lower);
        if (lower[..length] is "script" or "style")
        {
            // Raw text up to the first end tag of the same name: dropped with its content, as on the slow path.
            var endTag = lower[..length] is "script" ? "</script" : "</style";
            var end = html.IndexOf(endTag, nameEnd, StringComparison.OrdinalIgnoreCase);
            var close = end < 0 ? -1 : html.IndexOf('>', end);
            if (close < 0)
            {
                return false;
            }
            i = close + 1;
            return true;
        }
        if (lower[..length].SequenceEqual("iframe"))
        {
            return depth == 0 || kinds[depth - 1] is Kind.Block or Kind.ListItem or Kind.TableCell or Kind.DefinitionItem
                ? ReadVideoEmbed(html, ref i, nameEnd, ref output)
                : false;
        }
        if (!ElementLookup.TryGetValue(lower[..length], out var element) || !CanOpen(element.Kind, element.Name, kinds, names, depth))
        {
            return false;
        }
        var (name, kind) = element;

        var unwrap = IsUnwrapped(name);
        var tagStart = output.Length;
        output.Append('<');
        output.Append(name);
        var j = nameEnd;
        var selfClosed = false;
        var hasSource = false;
        Span<int> seen = stackalloc int[8];
        var seenCount = 0;
        while (true)
        {
            while (j < html.Length && html[j] is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                j++;
            }
            if (j >= html.Length)
            {
                return false;
            }
            if (html[j] == '>')
            {
                j++;
                break;
            }
            if (html[j] == '/')
            {
                if (j + 1 < html.Length && html[j + 1] == '>')
                {
                    selfClosed = true;
                    j += 2;
                    break;
                }
                return false;
            }
            if (!ReadAttribute(html, ref j, name, ref output, baseUri, seen, ref seenCount, ref hasSource))
            {
                return false;
            }
        }
        switch (name)
        {
            case "img":
                if (!hasSource)
                {
                    return false; // a lazy-loaded image whose source hides in data-* attributes
                }
                output.Append(" loading=\"lazy\" decoding=\"async\"");
                break;
            case "a" when hasSource:
                output.Append(" rel=\"noopener noreferrer\"");
                break;
        }
        output.Append('>');
        if (unwrap)
        {
            output.Truncate(tagStart);
        }
        i = j;
        if (kind == Kind.Void)
        {
            return true;
        }
        if (selfClosed || depth == MaxDepth)
        {
            return false; // <p/> is not self-closing in HTML
        }
        kinds[depth] = kind;
        names[depth] = name;
        depth++;
        return true;
    }

    /// <summary>
    /// An iframe of an allowed video player, written sandboxed and lazy; any other empty iframe is
    /// dropped; one with content before its end tag goes to the slow path.
    /// </summary>
    private static bool ReadVideoEmbed(string html, ref int i, int nameEnd, ref ValueStringBuilder output)
    {
        var close = html.IndexOf('>', nameEnd);
        if (close < 0 || !html.AsSpan(close + 1).StartsWith("</iframe>", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string? src = null, width = null, height = null;
        var j = nameEnd;
        while (j < close)
        {
            while (j < close && html[j] is ' ' or '\t' or '\n' or '\r' or '/')
            {
                j++;
            }
            var nameStart = j;
            while (j < close && html[j] is not ('=' or ' ' or '\t' or '\n' or '\r' or '/'))
            {
                j++;
            }
            var name = html.AsSpan(nameStart, j - nameStart);
            string? value = null;
            if (j < close && html[j] == '=')
            {
                j++;
                if (j >= close || html[j] is not ('"' or '\''))
                {
                    return false;
                }
                var end = html.IndexOf(html[j], j + 1);
                if (end < 0 || end > close)
                {
                    return false;
                }
                value = html[(j + 1)..end];
                j = end + 1;
            }
            if (name.Equals("src", StringComparison.OrdinalIgnoreCase))
            {
                src ??= value;
            }
            else if (name.Equals("width", StringComparison.OrdinalIgnoreCase) && value is not null && IsNumber(value))
            {
                width ??= value;
            }
            else if (name.Equals("height", StringComparison.OrdinalIgnoreCase) && value is not null && IsNumber(value))
            {
                height ??= value;
            }
        }
        var player = VideoEmbeds.Allowed(src is not null && src.Contains('&', StringComparison.Ordinal) ? DecodeAttribute(src) : src);
        if (player is null)
        {
            // Not a video player we allow: the iframe goes, as on the slow path.
            i = close + 1 + "</iframe>".Length;
            return true;
        }
        output.Append("<iframe src=\"");
        AppendAttributeValue(player, ref output);
        output.Append('"');
        if (width is not null)
        {
            output.Append(" width=\"");
            output.Append(width);
            output.Append('"');
        }
        if (height is not null)
        {
            output.Append(" height=\"");
            output.Append(height);
            output.Append('"');
        }
        output.Append(" sandbox=\"allow-scripts allow-same-origin allow-presentation\" allowfullscreen=\"\" loading=\"lazy\"></iframe>");
        i = close + 1 + "</iframe>".Length;
        return true;
    }

    /// <summary>Whether an element may open here without the HTML tree builder closing or moving anything.</summary>
    private static bool CanOpen(Kind kind, string name, Span<Kind> kinds, string[] names, int depth)
    {
        var parent = depth > 0 ? kinds[depth - 1] : Kind.Block;
        var parentName = depth > 0 ? names[depth - 1] : "";
        switch (kind)
        {
            case Kind.ListItem:
                return parent == Kind.List;
            case Kind.DefinitionItem:
                return parent == Kind.DefinitionList;
            case Kind.TableSection:
                return parent == Kind.Table;
            case Kind.TableRow:
                return parent is Kind.Table or Kind.TableSection;
            case Kind.TableCell:
                return name == "caption" ? parent == Kind.Table : parent == Kind.TableRow;
        }
        if (parent is Kind.Table or Kind.TableSection or Kind.TableRow or Kind.List or Kind.DefinitionList)
        {
            return false;
        }
        if (kind is Kind.Block or Kind.List or Kind.DefinitionList or Kind.Table || name == "hr")
        {
            // A block inside <p> closes the paragraph; inside inline elements it is reparented.
            for (var d = 0; d < depth; d++)
            {
                if (names[d] == "p" || kinds[d] is Kind.Inline or Kind.Anchor)
                {
                    return false;
                }
            }
            if (parentName is "pre" && name is not ("code"))
            {
                return true;
            }
        }
        if (kind == Kind.Anchor)
        {
            for (var d = 0; d < depth; d++)
            {
                if (kinds[d] == Kind.Anchor)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static bool ReadEndTag(string html, ref int i, ref ValueStringBuilder output, scoped Span<Kind> kinds, string[] names, ref int depth)
    {
        var nameStart = i + 2;
        var nameEnd = nameStart;
        while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
        {
            nameEnd++;
        }
        var close = nameEnd;
        while (close < html.Length && html[close] is ' ' or '\t' or '\n' or '\r')
        {
            close++;
        }
        if (close >= html.Length || html[close] != '>')
        {
            return false;
        }
        var endName = html.AsSpan(nameStart, nameEnd - nameStart);
        if (endName.Equals("img", StringComparison.OrdinalIgnoreCase) || endName.Equals("hr", StringComparison.OrdinalIgnoreCase)
            || endName.Equals("wbr", StringComparison.OrdinalIgnoreCase))
        {
            i = close + 1; // </img> ends nothing: the parser ignores it
            return true;
        }
        if (depth == 0 || !endName.Equals(names[depth - 1], StringComparison.OrdinalIgnoreCase))
        {
            return false; // stray, mismatched or implied end tags need the tree builder
        }
        depth--;
        if (!IsUnwrapped(names[depth]))
        {
            output.Append("</");
            output.Append(names[depth]);
            output.Append('>');
        }
        i = close + 1;
        return true;
    }

    private static bool ReadAttribute(string html, ref int j, string element, ref ValueStringBuilder output, Uri? baseUri,
        scoped Span<int> seen, ref int seenCount, ref bool hasSource)
    {
        var nameStart = j;
        while (j < html.Length && (char.IsAsciiLetterOrDigit(html[j]) || html[j] is '-' or '_' or ':'))
        {
            j++;
        }
        if (j == nameStart || j >= html.Length)
        {
            return false;
        }
        var rawName = html.AsSpan(nameStart, j - nameStart);
        if (element == "img" && rawName.StartsWith("data-", StringComparison.OrdinalIgnoreCase))
        {
            return false; // lazy-loading attributes (data-src, data-original) are promoted on the slow path
        }
        var valueStart = -1;
        var valueEnd = -1;
        while (j < html.Length && html[j] is ' ' or '\t' or '\n' or '\r')
        {
            j++;
        }
        if (j < html.Length && html[j] == '=')
        {
            j++;
            while (j < html.Length && html[j] is ' ' or '\t' or '\n' or '\r')
            {
                j++;
            }
            if (j >= html.Length || html[j] is not ('"' or '\''))
            {
                return false; // unquoted values: slow path
            }
            var quote = html[j];
            var close = html.IndexOf(quote, j + 1);
            if (close < 0)
            {
                return false;
            }
            valueStart = j + 1;
            valueEnd = close;
            j = close + 1;
            if (j < html.Length && html[j] is not (' ' or '\t' or '\n' or '\r' or '>' or '/'))
            {
                return false;
            }
        }

        Span<char> lower = stackalloc char[16];
        if (rawName.Length > lower.Length)
        {
            return true; // a long attribute name is none of ours: dropped
        }
        var length = rawName.ToLowerInvariant(lower);
        if (!AttributeLookup.TryGetValue(lower[..length], out var attribute) || !Applies(attribute.Name, element))
        {
            return true; // not allowed: dropped
        }
        var (name, treatment) = attribute;
        var hash = string.GetHashCode(name, StringComparison.Ordinal);
        for (var s = 0; s < seenCount; s++)
        {
            if (seen[s] == hash)
            {
                return true; // a duplicate: the HTML parser keeps the first
            }
        }
        if (seenCount < seen.Length)
        {
            seen[seenCount++] = hash;
        }

        var raw = valueStart < 0 ? "" : html.Substring(valueStart, valueEnd - valueStart);
        var value = raw.Contains('&', StringComparison.Ordinal) ? DecodeAttribute(raw) : raw;
        switch (treatment)
        {
            case Value.Url:
                var url = SafeUrl(value, baseUri, allowDataImage: element == "img" && name == "src");
                if (url is null)
                {
                    return true;
                }
                value = url;
                if (name is "src" or "href")
                {
                    hasSource = true;
                }
                break;
            case Value.SrcSet:
                var set = SafeSrcSet(value, baseUri);
                if (set is null)
                {
                    return true;
                }
                value = set;
                break;
            case Value.Number:
                if (value.Length == 0 || value.Length > 8 || !IsNumber(value))
                {
                    return true;
                }
                break;
        }
        output.Append(' ');
        output.Append(name);
        output.Append("=\"");
        AppendAttributeValue(value, ref output);
        output.Append('"');
        return true;
    }

    private static bool Applies(string attribute, string element) => attribute switch
    {
        "href" => element == "a",
        "src" or "srcset" or "sizes" => element == "img",
        "cite" => element is "blockquote" or "q" or "del" or "ins",
        "alt" => element == "img",
        "width" or "height" => element is "img" or "td" or "th",
        "colspan" or "rowspan" => element is "td" or "th",
        "scope" => element == "th",
        "start" or "reversed" => element == "ol",
        "datetime" => element is "time" or "del" or "ins",
        "open" => element == "details",
        _ => true,
    };

    private static bool IsNumber(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c != '%')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The URL made absolute when its scheme is http, https or mailto (or relative); null when unsafe.</summary>
    internal static string? SafeUrl(string value, Uri? baseUri, bool allowDataImage)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return baseUri is { IsAbsoluteUri: true } ? baseUri.AbsoluteUri : null; // href="" is the page itself
        }
        // Browsers drop tabs and newlines inside URLs: "java\tscript:" is javascript:.
        if (trimmed.AsSpan().IndexOfAny("\t\n\r") >= 0)
        {
            trimmed = trimmed.Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        }
        foreach (var c in trimmed)
        {
            if (char.IsControl(c))
            {
                return null;
            }
        }
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = trimmed.AsSpan().IndexOfAny("/?#");
        if (colon > 0 && (firstDelimiter < 0 || colon < firstDelimiter))
        {
            var scheme = trimmed.AsSpan(0, colon);
            if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) ? absolute.AbsoluteUri : null;
            }
            if (scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed;
            }
            if (allowDataImage && scheme.Equals("data", StringComparison.OrdinalIgnoreCase)
                && (trimmed.StartsWith("data:image/png", StringComparison.OrdinalIgnoreCase)
                    || trimmed.StartsWith("data:image/gif", StringComparison.OrdinalIgnoreCase)
                    || trimmed.StartsWith("data:image/jpeg", StringComparison.OrdinalIgnoreCase)
                    || trimmed.StartsWith("data:image/webp", StringComparison.OrdinalIgnoreCase)))
            {
                return trimmed;
            }
            return null;
        }
        if (baseUri is null || !baseUri.IsAbsoluteUri)
        {
            return trimmed;
        }
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            trimmed = baseUri.Scheme + ":" + trimmed;
            return Uri.TryCreate(trimmed, UriKind.Absolute, out var schemeRelative) && schemeRelative.Scheme is "http" or "https"
                ? schemeRelative.AbsoluteUri
                : null;
        }
        return Uri.TryCreate(baseUri, trimmed, out var resolved) && resolved.Scheme is "http" or "https" ? resolved.AbsoluteUri : null;
    }

    private static string? SafeSrcSet(string value, Uri? baseUri)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var kept = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            var space = part.IndexOfAny([' ', '\t', '\n']);
            var url = space < 0 ? part : part[..space];
            var descriptor = space < 0 ? "" : part[space..].Trim();
            if (SafeUrl(url, baseUri, allowDataImage: false) is not { } safe)
            {
                return null;
            }
            kept.Add(descriptor.Length == 0 ? safe : safe + " " + descriptor);
        }
        return kept.Count == 0 ? null : string.Join(", ", kept);
    }

    private static string DecodeAttribute(string raw)
    {
        var decoded = new ValueStringBuilder(stackalloc char[256]);
        HtmlEntities.DecodeInto(raw, 0, raw.Length, ref decoded);
        var text = decoded.ToString();
        decoded.Dispose();
        return text;
    }

    private static void AppendAttributeValue(string value, ref ValueStringBuilder output)
    {
        var span = value.AsSpan();
        while (true)
        {
            var at = span.IndexOfAny("&\"<\u00A0");
            if (at < 0)
            {
                output.Append(span);
                return;
            }
            output.Append(span[..at]);
            output.Append(span[at] switch
            {
                '&' => "&amp;",
                '"' => "&quot;",
                '<' => "&lt;",
                _ => "&nbsp;",
            });
            span = span[(at + 1)..];
        }
    }

    /// <summary>Decodes one character reference and writes it back escaped (so "&amp;rsquo;" becomes "’").</summary>
    private static bool AppendReference(string html, ref int i, ref ValueStringBuilder output)
    {
        Span<char> buffer = stackalloc char[8];
        var decoded = new ValueStringBuilder(buffer);
        var consumed = HtmlEntities.Decode(html, i, ref decoded);
        if (consumed == 0)
        {
            output.Append("&amp;");
            i++;
            decoded.Dispose();
            return true;
        }
        foreach (var c in decoded.AsSpan())
        {
            switch (c)
            {
                case '&': output.Append("&amp;"); break;
                case '<': output.Append("&lt;"); break;
                case '>': output.Append("&gt;"); break;
                case '\u00A0': output.Append("&nbsp;"); break;
                case '\0': break;
                default: output.Append(c); break;
            }
        }
        decoded.Dispose();
        i += consumed;
        return true;
    }
}
