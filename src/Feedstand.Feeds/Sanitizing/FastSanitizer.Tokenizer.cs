using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// The HTML tokenizer's part of the fast path: tag names, attributes, comments and declarations,
/// raw text and foreign (SVG/MathML) content skipped, character references.
/// </summary>
internal static partial class FastSanitizer
{
    /// <summary>Elements dropped with their content whose content the tokenizer reads as text up to their end tag.</summary>
    private static readonly FrozenSet<string> RawTextElements = FrozenSet.Create(
        StringComparer.Ordinal, "script", "style", "title", "textarea", "noscript", "noembed", "noframes", "iframe");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RawTextLookup =
        RawTextElements.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Start tags that end SVG or MathML content and go back to HTML (the "breakout" list of the HTML standard).</summary>
    private static readonly FrozenSet<string> ForeignBreakouts = FrozenSet.Create(
        StringComparer.Ordinal,
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr",
        "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
        "font");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ForeignBreakoutLookup =
        ForeignBreakouts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>One attribute of a start tag: where its name and value are in the source (ValueStart -1 when it has none).</summary>
    private readonly record struct AttributeToken(int NameStart, int NameLength, int ValueStart, int ValueLength);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary>The end of a tag name starting at <paramref name="start"/>: letters, digits and '-' up to a space, '/' or '>'; -1 otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReadTagName(string html, int start)
    {
        var end = start;
        while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] == '-'))
        {
            end++;
        }
        return end < html.Length && (IsSpace(html[end]) || html[end] is '>' or '/') ? end : -1;
    }

    /// <summary>
    /// Reads the attributes of a tag from just after its name to just after its '>', as the HTML
    /// tokenizer does: quoted or unquoted values, names running into each other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadAttributes(string html, ref int j, Span<AttributeToken> attributes, out int count, out bool selfClosed)
    {
        count = 0;
        selfClosed = false;
        while (true)
        {
            while (j < html.Length && IsSpace(html[j]))
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
                return true;
            }
            if (html[j] == '/')
            {
                j++;
                if (j < html.Length && html[j] == '>')
                {
                    selfClosed = true;
                    j++;
                    return true;
                }
                continue;
            }
            // The name runs to a space, '/', '>' or '='; its first character may be '='.
            var nameStart = j++;
            while (j < html.Length && !IsSpace(html[j]) && html[j] is not ('/' or '>' or '='))
            {
                j++;
            }
            var nameLength = j - nameStart;
            while (j < html.Length && IsSpace(html[j]))
            {
                j++;
            }
            if (j >= html.Length)
            {
                return false;
            }
            var valueStart = -1;
            var valueLength = 0;
            if (html[j] == '=')
            {
                j++;
                while (j < html.Length && IsSpace(html[j]))
                {
                    j++;
                }
                if (j >= html.Length)
                {
                    return false;
                }
                var quote = html[j];
                if (quote is '"' or '\'')
                {
                    var close = html.IndexOf(quote, j + 1);
                    if (close < 0)
                    {
                        return false;
                    }
                    valueStart = j + 1;
                    valueLength = close - valueStart;
                    j = close + 1;
                }
                else
                {
                    valueStart = j;
                    while (j < html.Length && !IsSpace(html[j]) && html[j] != '>')
                    {
                        j++;
                    }
                    valueLength = j - valueStart;
                }
            }
            if (count == attributes.Length)
            {
                return false;
            }
            attributes[count++] = new AttributeToken(nameStart, nameLength, valueStart, valueLength);
        }
    }

    /// <summary>Skips a comment or doctype; CDATA and odd comments take the slow path.</summary>
    private static bool SkipDeclaration(string html, ref int i)
    {
        var rest = html.AsSpan(i);
        if (rest.StartsWith("<!--"))
        {
            if (rest[4..].StartsWith(">") || rest[4..].StartsWith("->"))
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
        if (rest.StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase))
        {
            // A doctype inside the body is ignored; it ends at the first '>'.
            var close = html.IndexOf('>', i);
            if (close < 0)
            {
                return false;
            }
            i = close + 1;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Skips the text content of a raw-text element (script, style, title, noscript, iframe...) and
    /// its end tag: everything up to the first &lt;/name followed by a space, '/' or '>', or to the end.
    /// </summary>
    private static bool SkipRawText(string html, ref int j, ReadOnlySpan<char> name)
    {
        var from = j;
        while (true)
        {
            var end = html.IndexOf("</", from, StringComparison.Ordinal);
            if (end < 0)
            {
                j = html.Length; // unclosed: the text runs to the end of the fragment
                return true;
            }
            var after = end + 2 + name.Length;
            if (after < html.Length && html.AsSpan(end + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (IsSpace(html[after]) || html[after] is '/' or '>'))
            {
                if (name is "script" && HidesEndTags(html.AsSpan(j, end - j)))
                {
                    return false;
                }
                Span<AttributeToken> ignored = stackalloc AttributeToken[MaxAttributes];
                var k = after;
                if (!ReadAttributes(html, ref k, ignored, out _, out _))
                {
                    return false;
                }
                j = k;
                return true;
            }
            from = end + 2;
        }
    }

    /// <summary>Whether script text holds "&lt;!--" then "&lt;script", after which the tokenizer does not end the script at &lt;/script&gt;.</summary>
    private static bool HidesEndTags(ReadOnlySpan<char> script)
    {
        var comment = script.IndexOf("<!--", StringComparison.Ordinal);
        return comment >= 0 && script[comment..].Contains("<script", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Skips an svg or math element and everything inside it, following the tree builder's rules
    /// for foreign content. Gives up on what would end foreign content early (an HTML element such
    /// as &lt;p&gt; or &lt;b&gt;, an end tag matching nothing open) and on start tags inside the
    /// elements that hold HTML (foreignObject, desc, title, mi, mtext...).
    /// </summary>
    private static bool SkipForeignContent(string html, ref int j, ReadOnlySpan<char> root)
    {
        Span<(int Start, int Length)> stack = stackalloc (int, int)[MaxDepth];
        stack[0] = (j, 0); // the root: compared by name below
        var rootName = root.ToString();
        var depth = 1;
        Span<char> lower = stackalloc char[MaxNameLength];
        Span<AttributeToken> ignored = stackalloc AttributeToken[MaxAttributes];
        while (depth > 0)
        {
            var lt = html.IndexOf('<', j);
            if (lt < 0)
            {
                return false;
            }
            j = lt;
            var next = j + 1 < html.Length ? html[j + 1] : '\0';
            if (next == '!')
            {
                if (html.AsSpan(j).StartsWith("<![CDATA["))
                {
                    var close = html.IndexOf("]]>", j, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        return false;
                    }
                    j = close + 3;
                    continue;
                }
                if (!html.AsSpan(j).StartsWith("<!--") || !SkipDeclaration(html, ref j))
                {
                    return false;
                }
                continue;
            }
            var isEnd = next == '/';
            var nameStart = isEnd ? j + 2 : j + 1;
            if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
            {
                if (isEnd)
                {
                    return false;
                }
                j++;
                continue; // a '<' that starts no tag is text
            }
            var nameEnd = nameStart;
            while (nameEnd < html.Length && !IsSpace(html[nameEnd]) && html[nameEnd] is not ('/' or '>'))
            {
                nameEnd++;
            }
            if (nameEnd - nameStart > MaxNameLength)
            {
                return false;
            }
            var length = html.AsSpan(nameStart, nameEnd - nameStart).ToLowerInvariant(lower);
            var name = lower[..length];
            var k = nameEnd;
            if (!ReadAttributes(html, ref k, ignored, out _, out var selfClosed))
            {
                return false;
            }
            if (isEnd)
            {
                // The end tag closes the innermost open element of the same name.
                var match = depth - 1;
                while (match >= 0 && !ForeignName(html, stack[match], rootName).Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    match--;
                }
                if (match < 0 || name is "p" or "br")
                {
                    return false;
                }
                depth = match;
                j = k;
                continue;
            }
            var parent = ForeignName(html, stack[depth - 1], rootName);
            if (ForeignBreakoutLookup.Contains(name) || IsIntegrationPoint(parent))
            {
                return false;
            }
            j = k;
            if (selfClosed)
            {
                continue;
            }
            if (name is "script" or "style")
            {
                // Parsed as elements here, as raw text in HTML: agree only when no tag is inside.
                var lt2 = html.IndexOf('<', j);
                if (lt2 < 0 || !html.AsSpan(lt2).StartsWith("</") || !html.AsSpan(lt2 + 2).StartsWith(name, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
            if (depth == MaxDepth)
            {
                return false;
            }
            stack[depth++] = (nameStart, nameEnd - nameStart);
        }
        return true;
    }

    private static ReadOnlySpan<char> ForeignName(string html, (int Start, int Length) entry, string rootName) =>
        entry.Length == 0 ? rootName : html.AsSpan(entry.Start, entry.Length);

    private static bool IsIntegrationPoint(ReadOnlySpan<char> name) =>
        name.Equals("foreignobject", StringComparison.OrdinalIgnoreCase) || name.Equals("desc", StringComparison.OrdinalIgnoreCase)
        || name.Equals("title", StringComparison.OrdinalIgnoreCase) || name.Equals("annotation-xml", StringComparison.OrdinalIgnoreCase)
        || name.Equals("mi", StringComparison.OrdinalIgnoreCase) || name.Equals("mo", StringComparison.OrdinalIgnoreCase)
        || name.Equals("mn", StringComparison.OrdinalIgnoreCase) || name.Equals("ms", StringComparison.OrdinalIgnoreCase)
        || name.Equals("mtext", StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes one character reference and writes it back escaped (so "&amp;rsquo;" becomes "’").</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
