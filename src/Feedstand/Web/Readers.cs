namespace Feedstand.Web;

/// <summary>A feed reader a visitor can subscribe with in one click.</summary>
public sealed record Reader(string Name, string Key, Func<string, string> SubscribeUrl);

/// <summary>The one list of readers offered on every preview page.</summary>
public static class Readers
{
    public static IReadOnlyList<Reader> All { get; } =
    [
        new("Inoreader", "inoreader", url => "https://www.inoreader.com/?add_feed=" + Uri.EscapeDataString(url)),
        new("Feedly", "feedly", url => "https://feedly.com/i/subscription/feed/" + Uri.EscapeDataString(url)),
        new("Follow", "follow", url => "https://app.folo.is/discover?type=rss&url=" + Uri.EscapeDataString(url)),
        new("Feedbin", "feedbin", url => "https://feedbin.com/?subscribe=" + Uri.EscapeDataString(url)),
        new("NewsBlur", "newsblur", url => "https://www.newsblur.com/?url=" + Uri.EscapeDataString(url)),
        new("The Old Reader", "theoldreader", url => "https://theoldreader.com/feeds/subscribe?url=" + Uri.EscapeDataString(url)),
        new("Local reader", "local", url => "feed:" + url),
    ];
}
