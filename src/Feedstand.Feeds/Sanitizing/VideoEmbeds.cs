namespace Feedstand.Feeds.Sanitizing;

/// <summary>The video players whose iframes we keep, always over https.</summary>
internal static class VideoEmbeds
{
    private static readonly (string Host, string PathPrefix)[] Players =
    [
        ("www.youtube.com", "/embed/"),
        ("youtube.com", "/embed/"),
        ("www.youtube-nocookie.com", "/embed/"),
        ("youtube-nocookie.com", "/embed/"),
        ("player.vimeo.com", "/video/"),
        ("www.dailymotion.com", "/embed/"),
        ("player.bilibili.com", "/"),
    ];

    /// <summary>The https URL of an allowed player, or null.</summary>
    public static string? Allowed(string? src)
    {
        if (string.IsNullOrWhiteSpace(src))
        {
            return null;
        }

        var value = src.Trim();
        if (value.StartsWith("//", StringComparison.Ordinal))
        {
            value = "https:" + value;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !uri.IsDefaultPort
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return null;
        }

        foreach (var (host, pathPrefix) in Players)
        {
            if (uri.Host.Equals(host, StringComparison.OrdinalIgnoreCase)
                && uri.AbsolutePath.StartsWith(pathPrefix, StringComparison.Ordinal))
            {
                var builder = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = -1 };
                return builder.Uri.AbsoluteUri;
            }
        }

        return null;
    }
}
