namespace Feedstand.Feeds.Urls;

/// <summary>Makes feed URLs absolute. Relative references with no base stay as given.</summary>
public static class UrlResolver
{
    private static readonly System.Buffers.SearchValues<char> NotInMailto = System.Buffers.SearchValues.Create("<>\"'` \t\r\n");

    /// <summary>The absolute form of <paramref name="reference"/>, or the trimmed reference when it cannot be resolved; null for empty.</summary>
    public static string? Resolve(Uri? baseUri, string? reference)
    {
        if (reference is null)
        {
            return null;
        }
        var trimmed = reference.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }
        if (IsPlainAbsoluteWebUrl(trimmed))
        {
            return trimmed; // already absolute and needs no escaping: no need to parse it
        }
        return ResolveUri(baseUri, trimmed) is { } uri ? uri.AbsoluteUri : trimmed;
    }

    /// <summary>
    /// The absolute <c>http</c>/<c>https</c> URL of <paramref name="reference"/>, or null: what every URL
    /// field leaving the library holds. Spaces and C0 controls around it and tabs and line breaks
    /// inside it are dropped first, as browsers do, so <c>" JaVa&#9;script:"</c> is seen for what it is;
    /// any other scheme (<c>javascript:</c>, <c>data:</c>, <c>vbscript:</c>, <c>file:</c>), a relative
    /// reference with no web base, or a base that is itself not a web URL, gives null.
    /// </summary>
    public static string? ResolveWebUrl(Uri? baseUri, string? reference)
    {
        if (reference is null)
        {
            return null;
        }
        var trimmed = TrimControls(reference);
        if (trimmed.Length == 0)
        {
            return null;
        }
        if (IsPlainAbsoluteWebUrl(trimmed))
        {
            return trimmed;
        }
        if (trimmed.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
        {
            trimmed = trimmed.Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        }
        if (baseUri is not null && !IsWeb(baseUri))
        {
            baseUri = null;
        }
        return ResolveUri(baseUri, trimmed) is { } uri && IsWeb(uri) && uri.Host.Length > 0 ? Iri(uri.AbsoluteUri) : null;
    }

    /// <summary>
    /// The URL with its non-ASCII characters as written (an IRI, as feeds and browsers show it):
    /// percent-escapes that spell UTF-8 multi-byte characters are decoded; ASCII escapes such as
    /// <c>%20</c> stay.
    /// </summary>
    internal static string Iri(string url)
    {
        var percent = url.IndexOf('%', StringComparison.Ordinal);
        if (percent < 0)
        {
            return url;
        }
        var builder = new System.Text.StringBuilder(url.Length);
        builder.Append(url, 0, percent);
        Span<byte> bytes = stackalloc byte[4];
        var i = percent;
        while (i < url.Length)
        {
            var lead = url[i] == '%' ? HexByte(url, i) : -1;
            var length = lead switch { >= 0xF0 and <= 0xF4 => 4, >= 0xE0 and <= 0xEF => 3, >= 0xC2 and <= 0xDF => 2, _ => 0 };
            if (length > 0 && i + length * 3 <= url.Length)
            {
                bytes[0] = (byte)lead;
                var ok = true;
                for (var k = 1; k < length && ok; k++)
                {
                    var next = url[i + k * 3] == '%' ? HexByte(url, i + k * 3) : -1;
                    ok = next is >= 0x80 and <= 0xBF;
                    bytes[k] = (byte)next;
                }
                if (ok && System.Text.Unicode.Utf8.IsValid(bytes[..length]))
                {
                    var text = System.Text.Encoding.UTF8.GetString(bytes[..length]);
                    // Characters a URL must not show raw (controls, format and space separators) stay escaped.
                    if (!char.IsControl(text, 0) && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(text, 0)
                        is not (System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.SpaceSeparator
                            or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator
                            or System.Globalization.UnicodeCategory.PrivateUse))
                    {
                        builder.Append(text);
                        i += length * 3;
                        continue;
                    }
                }
            }
            builder.Append(url[i]);
            i++;
        }
        return builder.ToString();
    }

    private static int HexByte(string s, int at) =>
        at + 2 < s.Length && char.IsAsciiHexDigit(s[at + 1]) && char.IsAsciiHexDigit(s[at + 2])
            ? (Convert.ToInt32(s[at + 1].ToString(), 16) << 4) | Convert.ToInt32(s[at + 2].ToString(), 16)
            : -1;

    /// <summary>A person's URL: a web URL as <see cref="ResolveWebUrl"/> gives it, or a <c>mailto:</c> address.</summary>
    public static string? ResolvePersonUrl(Uri? baseUri, string? reference)
    {
        if (reference is null)
        {
            return null;
        }
        var trimmed = TrimControls(reference);
        if (trimmed.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && trimmed.Length > 7
            && trimmed.AsSpan(7).IndexOfAny(NotInMailto) < 0)
        {
            return "mailto:" + trimmed[7..];
        }
        return ResolveWebUrl(baseUri, trimmed);
    }

    private static bool IsWeb(Uri uri) => uri.IsAbsoluteUri && uri.Scheme is "http" or "https";

    /// <summary>Drops leading and trailing white space and C0 controls (the WHATWG URL parser's first step).</summary>
    private static string TrimControls(string value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && (value[start] <= ' ' || char.IsWhiteSpace(value[start])))
        {
            start++;
        }
        while (end > start && (value[end - 1] <= ' ' || char.IsWhiteSpace(value[end - 1])))
        {
            end--;
        }
        return start == 0 && end == value.Length ? value : value[start..end];
    }

    /// <summary>The absolute URI of <paramref name="reference"/>, or null when neither it nor the base makes one.</summary>
    public static Uri? ResolveUri(Uri? baseUri, string reference)
    {
        var trimmed = reference.Trim();
        if (trimmed.Length == 0)
        {
            return baseUri;
        }
        if (IsAbsoluteWebUrl(trimmed) && Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute))
        {
            return absolute;
        }
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            // Scheme-relative: take the base's scheme, else https.
            var scheme = baseUri?.Scheme ?? "https";
            return Uri.TryCreate(scheme + ":" + trimmed, UriKind.Absolute, out var schemeRelative) ? schemeRelative : null;
        }
        if (HasScheme(trimmed))
        {
            // mailto:, tag:, urn:, feed: ... are absolute, but not web URLs to resolve against.
            return Uri.TryCreate(trimmed, UriKind.Absolute, out var other) ? other : null;
        }
        if (baseUri is null || !baseUri.IsAbsoluteUri)
        {
            return null;
        }
        return Uri.TryCreate(baseUri, trimmed, out var resolved) ? resolved : null;
    }

    /// <summary>An absolute base URI from a string, or null.</summary>
    public static Uri? ParseBase(string? url) =>
        url is not null && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme is "http" or "https" or "file") ? uri : null;

    /// <summary>http(s)://host/... of printable ASCII with no spaces, backslashes, dot segments or escapes.</summary>
    private static bool IsPlainAbsoluteWebUrl(string value)
    {
        var start = value.StartsWith("https://", StringComparison.Ordinal) ? 8 : value.StartsWith("http://", StringComparison.Ordinal) ? 7 : -1;
        if (start < 0 || value.Length == start || value[start] is '/' or '.' or ':' or '@')
        {
            return false;
        }
        var hostEnd = value.IndexOfAny(['/', '?', '#'], start);
        var host = value.AsSpan(start, (hostEnd < 0 ? value.Length : hostEnd) - start);
        if (host.IndexOfAny('@', ':') >= 0 || host.EndsWith('.'))
        {
            return false; // user info, ports and odd hosts are left to Uri
        }
        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }
        if (hostEnd < 0)
        {
            return false; // Uri adds the "/" path
        }
        foreach (var c in value.AsSpan(hostEnd))
        {
            if (c <= ' ' || c >= 0x7F || c is '\\' or '%' or '"' or '<' or '>' or '{' or '}' or '|' or '^' or '`')
            {
                return false;
            }
        }
        return !value.Contains("/.", StringComparison.Ordinal);
    }

    private static bool IsAbsoluteWebUrl(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static bool HasScheme(string value)
    {
        // RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
        if (value.Length < 2 || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ':')
            {
                return i > 1; // "c:" would be a Windows drive letter, not a scheme
            }
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '-' and not '.')
            {
                return false;
            }
        }
        return false;
    }
}
