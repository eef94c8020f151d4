namespace Feedstand.Feeds.Sanitizing;

/// <summary>An iframe's source checked against <see cref="SanitizerPolicy.EmbedPlayers"/>, always over https.</summary>
internal static class VideoEmbeds
{
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

        foreach (var (host, pathPrefix) in SanitizerPolicy.EmbedPlayers)
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
