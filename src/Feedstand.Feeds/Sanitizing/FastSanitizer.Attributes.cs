using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// The policy's part of the fast path: which attributes are written and how their values are
/// checked (URLs through <see cref="SanitizerPolicy"/>, numbers, srcset), lazy images, video embeds.
/// </summary>
internal static partial class FastSanitizer
{
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
        ["span"] = Value.Number, ["type"] = Value.Text, ["value"] = Value.Text, ["media"] = Value.Text, ["label"] = Value.Text,
        ["kind"] = Value.Text, ["srclang"] = Value.Text,
    }.ToFrozenDictionary(pair => pair.Key, pair => (pair.Key, pair.Value), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, (string Name, Value Value)>.AlternateLookup<ReadOnlySpan<char>> AttributeLookup =
        Attributes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AllowedAttributeLookup =
        SanitizerPolicy.AllowedAttributes.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// The last base's "scheme://host[:port]", shared by all threads: an immutable pair swapped
    /// whole, so a reader sees one base with its own authority or recomputes it. (No per-thread
    /// state in the security path.)
    /// </summary>
    private static BaseAuthority? lastAuthority;

    private sealed record BaseAuthority(Uri Base, string Authority);

    /// <summary>Characters of a URL path, query and fragment that <see cref="Uri.AbsoluteUri"/> writes back unchanged.</summary>
    private static readonly SearchValues<char> PlainPathChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/?#=&+,;:@");

    private static readonly SearchValues<char> PlainHostChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-");

    /// <summary>
    /// Writes the allowed attributes of a start tag, in source order, the first of duplicates;
    /// images get their lazy-loaded source promoted as on the slow path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AppendAttributes(string html, scoped ReadOnlySpan<AttributeToken> attributes, string element, Uri? baseUri, ref ValueStringBuilder output)
    {
        string? promotedSrc = null, promotedSrcset = null;
        var isImage = element == "img";
        if (isImage)
        {
            PromoteLazySource(html, attributes, out promotedSrc, out promotedSrcset);
        }
        var hasSource = false;
        var hasSrcset = false;
        Span<char> lower = stackalloc char[16];
        for (var a = 0; a < attributes.Length; a++)
        {
            var token = attributes[a];
            var rawName = html.AsSpan(token.NameStart, token.NameLength);
            if (rawName.Length > lower.Length)
            {
                continue; // a long attribute name is none of ours: dropped
            }
            var length = rawName.ToLowerInvariant(lower);
            if (!AttributeLookup.TryGetValue(lower[..length], out var attribute))
            {
                if (AllowedAttributeLookup.Contains(lower[..length]))
                {
                    return false; // kept by the policy, with no rule here: the full sanitizer writes it
                }
                continue;
            }
            if (IsDuplicate(html, attributes, a, lower[..length]))
            {
                continue;
            }
            var (name, treatment) = attribute;
            string value;
            if (isImage && name == "src" && promotedSrc is not null)
            {
                value = promotedSrc;
                promotedSrc = null;
            }
            else if (isImage && name == "srcset" && promotedSrcset is not null)
            {
                value = promotedSrcset;
                promotedSrcset = null;
            }
            else
            {
                value = AttributeValue(html, token);
            }
            if (!AppendAttribute(name, treatment, value, element, baseUri, ref output, ref hasSource, ref hasSrcset))
            {
                return false;
            }
        }
        // A promoted source the image did not have is added after its attributes, as SetAttribute does.
        if (promotedSrc is not null && !AppendAttribute("src", Value.Url, promotedSrc, element, baseUri, ref output, ref hasSource, ref hasSrcset))
        {
            return false;
        }
        if (promotedSrcset is not null && !AppendAttribute("srcset", Value.SrcSet, promotedSrcset, element, baseUri, ref output, ref hasSource, ref hasSrcset))
        {
            return false;
        }
        switch (element)
        {
            case "img":
                if (!hasSource && !hasSrcset)
                {
                    return false; // an image the slow path removes or keeps by its srcset alone
                }
                output.Append(" loading=\"lazy\" decoding=\"async\"");
                break;
            case "a" when hasSource:
                output.Append(" rel=\"noopener noreferrer\"");
                break;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AppendAttribute(string name, Value treatment, string value, string element, Uri? baseUri,
        ref ValueStringBuilder output, ref bool hasSource, ref bool hasSrcset)
    {
        switch (treatment)
        {
            case Value.Url:
                var url = SafeUrl(value, baseUri, allowDataImage: element == "img" && name == "src");
                if (url is null)
                {
                    return true;
                }
                value = url;
                if (name == (element == "a" ? "href" : "src"))
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
                hasSrcset = true;
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

    /// <summary>Whether an attribute of the same name came earlier in the tag (the HTML parser keeps the first).</summary>
    private static bool IsDuplicate(string html, ReadOnlySpan<AttributeToken> attributes, int index, ReadOnlySpan<char> lowerName)
    {
        for (var a = 0; a < index; a++)
        {
            if (html.AsSpan(attributes[a].NameStart, attributes[a].NameLength).Equals(lowerName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The first attribute of that name, its value decoded; null when absent.</summary>
    private static string? FindAttribute(string html, ReadOnlySpan<AttributeToken> attributes, string name)
    {
        foreach (var token in attributes)
        {
            if (html.AsSpan(token.NameStart, token.NameLength).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return AttributeValue(html, token);
            }
        }
        return null;
    }

    /// <summary>As <c>ContentSanitizer.PromoteLazySource</c>: data-src over a placeholder src, data-srcset when there is no srcset.</summary>
    private static void PromoteLazySource(string html, ReadOnlySpan<AttributeToken> attributes, out string? src, out string? srcset)
    {
        src = null;
        srcset = null;
        var hasData = false;
        foreach (var token in attributes)
        {
            if (html.AsSpan(token.NameStart, token.NameLength).StartsWith("data-", StringComparison.OrdinalIgnoreCase))
            {
                hasData = true;
                break;
            }
        }
        if (!hasData)
        {
            return;
        }
        if (ContentSanitizer.IsPlaceholder(FindAttribute(html, attributes, "src")))
        {
            foreach (var name in SanitizerPolicy.LazySourceAttributes)
            {
                var value = FindAttribute(html, attributes, name);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    src = value;
                    break;
                }
            }
        }
        if (string.IsNullOrWhiteSpace(FindAttribute(html, attributes, "srcset")))
        {
            foreach (var name in SanitizerPolicy.LazySrcsetAttributes)
            {
                var value = FindAttribute(html, attributes, name);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    srcset = value;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// An iframe of an allowed video player, written sandboxed and lazy (its content is dropped);
    /// any other iframe is dropped, as on the slow path.
    /// </summary>
    private static void AppendVideoEmbed(string html, scoped ReadOnlySpan<AttributeToken> attributes, Uri? baseUri, ref ValueStringBuilder output)
    {
        var src = FindAttribute(html, attributes, "src");
        var player = src is null || SafeUrl(src, baseUri, allowDataImage: false) is not { } safe ? null : VideoEmbeds.Allowed(safe);
        if (player is null)
        {
            return;
        }
        var width = FindAttribute(html, attributes, "width");
        var height = FindAttribute(html, attributes, "height");
        output.Append("<iframe src=\"");
        AppendAttributeValue(player, ref output);
        output.Append('"');
        if (width is { Length: > 0 and <= 8 } && IsNumber(width))
        {
            output.Append(" width=\"");
            output.Append(width);
            output.Append('"');
        }
        if (height is { Length: > 0 and <= 8 } && IsNumber(height))
        {
            output.Append(" height=\"");
            output.Append(height);
            output.Append('"');
        }
        output.Append(" sandbox=\"allow-scripts allow-same-origin allow-presentation\" allowfullscreen=\"\" loading=\"lazy\"></iframe>");
    }

    /// <summary>
    /// An attribute's value with character references decoded as the tokenizer does in attributes:
    /// a legacy reference without ';' followed by '=' or a letter or digit stays as written (href="?a=1&amp;copy=2").
    /// </summary>
    private static string AttributeValue(string html, AttributeToken token)
    {
        if (token.ValueStart < 0)
        {
            return "";
        }
        var raw = html.AsSpan(token.ValueStart, token.ValueLength);
        if (!raw.Contains('&'))
        {
            return raw.ToString();
        }
        var decoded = new ValueStringBuilder(stackalloc char[256]);
        var end = token.ValueStart + token.ValueLength;
        var k = token.ValueStart;
        while (k < end)
        {
            var amp = html.AsSpan(k, end - k).IndexOf('&');
            if (amp < 0)
            {
                decoded.Append(html.AsSpan(k, end - k));
                break;
            }
            decoded.Append(html.AsSpan(k, amp));
            k += amp;
            var mark = decoded.Length;
            var consumed = HtmlEntities.Decode(html, k, ref decoded);
            if (consumed > 0 && k + consumed > end)
            {
                decoded.Truncate(mark); // a reference running past the value's end is not one
                consumed = 0;
            }
            if (consumed > 0 && html[k + 1] != '#' && html[k + consumed - 1] != ';'
                && k + consumed < end && (html[k + consumed] == '=' || char.IsAsciiLetterOrDigit(html[k + consumed])))
            {
                decoded.Truncate(mark);
                consumed = 0;
            }
            if (consumed == 0)
            {
                decoded.Append('&');
                consumed = 1;
            }
            k += consumed;
        }
        var text = decoded.ToString();
        decoded.Dispose();
        return text;
    }

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
                if (IsCanonicalHttpUrl(trimmed))
                {
                    return trimmed;
                }
                return Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) ? absolute.AbsoluteUri : null;
            }
            if (scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed;
            }
            if (allowDataImage && SanitizerPolicy.IsAllowedDataImage(trimmed))
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
        if (trimmed.Length > 1 && trimmed[0] == '/' && trimmed[1] != '/' && IsCanonicalPath(trimmed) && HttpAuthority(baseUri) is { } authority)
        {
            return string.Concat(authority, trimmed);
        }
        return Uri.TryCreate(baseUri, trimmed, out var resolved) && resolved.Scheme is "http" or "https" ? resolved.AbsoluteUri : null;
    }

    /// <summary>
    /// Whether an http(s) URL is already written as <see cref="Uri.AbsoluteUri"/> writes it (lower-case
    /// scheme and DNS host, no port, a path without dot segments, only characters left as they are),
    /// so that parsing it would give it back unchanged. Saves the parse for most links in feeds.
    /// </summary>
    internal static bool IsCanonicalHttpUrl(ReadOnlySpan<char> url)
    {
        var hostStart = url.StartsWith("https://", StringComparison.Ordinal) ? 8 : url.StartsWith("http://", StringComparison.Ordinal) ? 7 : -1;
        if (hostStart < 0)
        {
            return false;
        }
        var rest = url[hostStart..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash > 63)
        {
            return false;
        }
        var host = rest[..slash];
        if (host.ContainsAnyExcept(PlainHostChars) || host[0] is '.' or '-' || host[^1] is '.' or '-'
            || host.Contains("..", StringComparison.Ordinal) || host.Contains(".-", StringComparison.Ordinal)
            || host.Contains("-.", StringComparison.Ordinal) || host.Contains("xn--", StringComparison.Ordinal))
        {
            return false;
        }
        var lastDot = host.LastIndexOf('.');
        var topLevel = host[(lastDot + 1)..];
        return lastDot > 0 && topLevel.Length >= 2 && !topLevel.ContainsAnyExceptInRange('a', 'z') && IsCanonicalPath(rest[slash..]);
    }

    /// <summary>A path (from its '/'), query and fragment that resolving and writing a URL leaves as they are.</summary>
    internal static bool IsCanonicalPath(ReadOnlySpan<char> path)
    {
        if (path.ContainsAnyExcept(PlainPathChars) || path.Contains("/.", StringComparison.Ordinal) || path[^1] is '?' or '#')
        {
            return false;
        }
        var hash = path.IndexOf('#');
        return hash < 0 || path[(hash + 1)..].IndexOfAny('#', '?') < 0;
    }

    /// <summary>"https://host[:port]" of an http(s) base, kept for the next URL of the same base.</summary>
    internal static string? HttpAuthority(Uri baseUri)
    {
        if (Volatile.Read(ref lastAuthority) is { } last && ReferenceEquals(last.Base, baseUri))
        {
            return last.Authority;
        }
        if (baseUri.Scheme is not ("http" or "https"))
        {
            return null;
        }
        var authority = baseUri.GetLeftPart(UriPartial.Authority);
        Volatile.Write(ref lastAuthority, new BaseAuthority(baseUri, authority));
        return authority;
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
}
