using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Feedstand.Feeds.Writers;

/// <summary>
/// URIs as feed validators accept them: only the characters of RFC 2396 (everything else
/// percent-encoded as UTF-8), an IANA-registered scheme, a host after <c>http://</c>, well-formed
/// <c>tag:</c> and <c>urn:</c> identifiers.
/// </summary>
internal static partial class UriText
{
    // rfc2396_full of the W3C Feed Validator: the characters a URI may carry as they are.
    private static readonly SearchValues<char> UriChars =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ;/?:@&=+$.-_!~*'()%,#");

    // What a tag: specific part keeps as it is and a canonical form does not re-encode (RFC 3986 pchar and '/').
    private static readonly SearchValues<char> TagChars =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-._~!$&'()*+,;=:@/");

    private static readonly FrozenSet<string> IanaSchemes = FrozenSet.Create(StringComparer.Ordinal,
        "ftp", "http", "gopher", "mailto", "news", "nntp", "telnet", "wais", "file", "prospero", "z39.50s", "z39.50r",
        "cid", "mid", "vemmi", "service", "imap", "nfs", "acap", "rtsp", "tip", "pop", "data", "dav", "opaquelocktoken",
        "sip", "sips", "tel", "fax", "modem", "ldap", "https", "soap.beep", "soap.beeps", "xmlrpc.beep", "xmlrpc.beeps",
        "urn", "go", "h323", "ipp", "tftp", "mupdate", "pres", "im", "mtqp", "iris.beep", "dict", "snmp", "crid", "tag",
        "dns", "info", "aaa", "aaas", "cap", "iax", "icap", "iris", "iris.xpc", "iris.xpcs", "iris.lwz", "msrp", "msrps",
        "shttp", "thismessage", "tv", "xmpp");

    [GeneratedRegex(@"^tag:([a-z0-9\-\._]+?@)?[a-z0-9\.\-]+?,\d{4}(-\d{2}(-\d{2})?)?:[0-9a-zA-Z;/\?:@&=+$\.\-_!~*'\(\)%,]*(#[0-9a-zA-Z;/\?:@&=+$\.\-_!~*'\(\)%,]*)?$")]
    private static partial Regex TagUri();

    [GeneratedRegex(@"^[Uu][Rr][Nn]:[a-zA-Z0-9][a-zA-Z0-9-]{1,31}:([a-zA-Z0-9()+,\.:=@;$_!*'\-]|%[0-9A-Fa-f]{2})+$")]
    private static partial Regex Urn();

    [GeneratedRegex(@"^[Uu][Rr][Nn]:[Uu][Uu][Ii][Dd]:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$")]
    private static partial Regex UuidUrn();

    /// <summary>
    /// The URL with every character outside RFC 2396 percent-encoded as UTF-8 (an IRI made a URI),
    /// a lone '%' as %25 and a non-ASCII host in punycode. A URL that needs nothing is returned as it is.
    /// </summary>
    public static string Escape(string url)
    {
        var text = url.Trim();
        var first = text.AsSpan().IndexOfAnyExcept(UriChars);
        if (first < 0 && !HasLonePercent(text, 0))
        {
            return text;
        }
        text = PunycodeHost(text);
        var builder = new StringBuilder(text.Length + 16);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                builder.Append(IsHexPair(text, i + 1) ? "%" : "%25");
                continue;
            }
            if (UriChars.Contains(c))
            {
                builder.Append(c);
                continue;
            }
            var length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), bytes)
                : Encoding.UTF8.GetBytes(char.IsSurrogate(c) ? "\uFFFD" : c.ToString(), bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>The escaped URL when it is a full (absolute) URI a validator accepts, else null.</summary>
    public static string? Full(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        var escaped = Escape(url);
        return IsFull(escaped) ? escaped : null;
    }

    /// <summary>The escaped URL reference (relative allowed), or null when blank.</summary>
    public static string? Reference(string? url) => string.IsNullOrWhiteSpace(url) ? null : Escape(url);

    /// <summary>
    /// True for an absolute URI a feed validator takes as an identifier or link: only RFC 2396
    /// characters, a registered scheme, <c>//host</c> after http/https/ftp, valid tag: and urn: forms.
    /// </summary>
    public static bool IsFull(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || colon == value.Length - 1 || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }
        if (value.AsSpan().IndexOfAnyExcept(UriChars) >= 0)
        {
            return false;
        }
        var scheme = value[..colon].ToLowerInvariant();
        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }
        switch (scheme)
        {
            case "tag":
                return TagUri().IsMatch(value);
            case "urn":
                return value.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? UuidUrn().IsMatch(value) : Urn().IsMatch(value);
            case "http" or "https" or "ftp":
                return value.Length > colon + 3 && value[colon + 1] == '/' && value[colon + 2] == '/' && value[colon + 3] != '/';
            default:
                return IanaSchemes.Contains(scheme) || !IsAllLetters(scheme);
        }
    }

    /// <summary>True for an http(s) URL.</summary>
    public static bool IsHttp(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^https?://(([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([A-Z0-9\-]+\.)+))([A-Z0-9][-A-Z0-9]*)(?::\d+)?(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex HttpUrl();

    /// <summary>True for an http(s) URL whose host has a dot, as RSS enclosures need.</summary>
    public static bool IsHttpUrl(string value) => HttpUrl().IsMatch(value);

    /// <summary>True when the URL's path names a GIF, JPEG or PNG file, the only images RSS 2.0 allows.</summary>
    public static bool IsRssImage(string url)
    {
        var end = url.AsSpan();
        var cut = end.IndexOfAny('?', '#');
        if (cut >= 0)
        {
            end = end[..cut];
        }
        var dot = end.LastIndexOf('.');
        if (dot < 0 || end[dot..].Contains('/'))
        {
            return false;
        }
        var extension = end[(dot + 1)..];
        return extension.Equals("png", StringComparison.OrdinalIgnoreCase) || extension.Equals("gif", StringComparison.OrdinalIgnoreCase)
            || extension.Equals("jpg", StringComparison.OrdinalIgnoreCase) || extension.Equals("jpeg", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The part of a tag: URI after its date, every other character percent-encoded (canonical as it is).</summary>
    public static string TagSpecific(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (TagChars.Contains(c))
            {
                builder.Append(c);
                continue;
            }
            var length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), bytes)
                : Encoding.UTF8.GetBytes(char.IsSurrogate(c) ? "\uFFFD" : c.ToString(), bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    // RFC 3986 unreserved characters and pchar's sub-delims, ':' and '@': what a canonical URI leaves unencoded.
    private static readonly SearchValues<char> CanonicalChars =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-._~!$&'()*+,;=:@");

    /// <summary>
    /// An absolute http(s) URI in canonical form (as the Atom id rules compare them): lower-case
    /// scheme and host, no default port, '/' for an empty path, every escape decoded and then only
    /// what must be escaped escaped again, in upper-case hex.
    /// </summary>
    public static string Canonical(Uri uri)
    {
        var builder = new StringBuilder(uri.AbsoluteUri.Length);
        builder.Append(uri.Scheme.ToLowerInvariant()).Append("://").Append(uri.IdnHost.ToLowerInvariant());
        if (!uri.IsDefaultPort)
        {
            builder.Append(':').Append(uri.Port.ToString(CultureInfo.InvariantCulture));
        }
        var segments = uri.AbsolutePath.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('/');
            }
            Requote(builder, segments[i], "");
        }
        if (uri.Query.Length > 0)
        {
            builder.Append('?');
            Requote(builder, uri.Query[1..], "/?");
        }
        if (uri.Fragment.Length > 0)
        {
            builder.Append('#');
            Requote(builder, uri.Fragment[1..], "/?");
        }
        return builder.ToString();
    }

    private static void Requote(StringBuilder builder, string text, string alsoSafe)
    {
        var decoded = Uri.UnescapeDataString(text).Normalize(NormalizationForm.FormC);
        foreach (var b in Encoding.UTF8.GetBytes(decoded))
        {
            var c = (char)b;
            if (b < 128 && (CanonicalChars.Contains(c) || alsoSafe.Contains(c, StringComparison.Ordinal)))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    private static bool IsAllLetters(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasLonePercent(string text, int start)
    {
        for (var i = text.IndexOf('%', start); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (!IsHexPair(text, i + 1))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsHexPair(string text, int at) =>
        at + 1 < text.Length && char.IsAsciiHexDigit(text[at]) && char.IsAsciiHexDigit(text[at + 1]);

    private static string PunycodeHost(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return url;
        }
        start += 3;
        var end = url.AsSpan(start).IndexOfAny('/', '?', '#');
        end = end < 0 ? url.Length : start + end;
        var authority = url[start..end];
        var at = authority.LastIndexOf('@');
        var hostStart = at + 1;
        var portAt = authority.LastIndexOf(':');
        var hostEnd = portAt > hostStart && !authority.Contains(']', StringComparison.Ordinal) ? portAt : authority.Length;
        var host = authority[hostStart..hostEnd];
        if (Ascii.IsValid(host) || host.Length == 0)
        {
            return url;
        }
        try
        {
            var ascii = new IdnMapping().GetAscii(host);
            return string.Concat(url.AsSpan(0, start + hostStart), ascii, url.AsSpan(start + hostEnd));
        }
        catch (ArgumentException)
        {
            return url;
        }
    }
}
