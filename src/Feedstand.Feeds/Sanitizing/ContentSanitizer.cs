namespace Feedstand.Feeds.Sanitizing;

// Placeholder until the sanitize branch lands.
public static class ContentSanitizer
{
    public static string Sanitize(string html, Uri? baseUri)
    {
        _ = baseUri;
        return html;
    }
}
