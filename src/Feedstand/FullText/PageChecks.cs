using Feedstand.Feeds.Discovery;

namespace Feedstand.FullText;

/// <summary>What a fetched article page must be before it is worth extracting.</summary>
public static class PageChecks
{
    /// <summary>An HTML Content-Type, or none and bytes that look like HTML.</summary>
    public static bool IsHtml(string? contentType, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return FeedDiscovery.LooksLikeHtml(body);
        }
        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }
        mediaType = mediaType.Trim();
        return mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase);
    }
}
