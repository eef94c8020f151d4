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
