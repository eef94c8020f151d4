using System.Net;

namespace Feedstand.Feeds.Sanitizing;

// Placeholder until the sanitize branch lands.
public static class PlainText
{
    public static string? FromHtml(string? htmlOrText) => Collapse(htmlOrText is null ? null : WebUtility.HtmlDecode(htmlOrText));

    public static string? Collapse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    public static string ToHtml(string text) => WebUtility.HtmlEncode(text);
}
