namespace Feedstand.Feeds.Urls;

/// <summary>Makes feed URLs absolute. Relative references with no base stay as given.</summary>
public static class UrlResolver
{
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
