namespace Feedstand.Feeds.Model;

public enum FeedFormat
{
    Unknown,
    Rss090,
    Rss091,
    Rss092,
    Rss093,
    Rss094,
    Rss20,
    Rss10,
    Atom03,
    Atom10,
    JsonFeed10,
    JsonFeed11,

    /// <summary>Microsoft's Channel Definition Format (1997), read as a feed.</summary>
    Cdf,
}

public static class FeedFormats
{
    /// <summary>The label of the contract: "rss2.0", "atom1.0", "jsonfeed1.1"...</summary>
    public static string Label(this FeedFormat format) => format switch
    {
        FeedFormat.Rss090 => "rss0.90",
        FeedFormat.Rss091 => "rss0.91",
        FeedFormat.Rss092 => "rss0.92",
        FeedFormat.Rss093 => "rss0.93",
        FeedFormat.Rss094 => "rss0.94",
        FeedFormat.Rss20 => "rss2.0",
        FeedFormat.Rss10 => "rss1.0",
        FeedFormat.Atom03 => "atom0.3",
        FeedFormat.Atom10 => "atom1.0",
        FeedFormat.JsonFeed10 => "jsonfeed1.0",
        FeedFormat.JsonFeed11 => "jsonfeed1.1",
        FeedFormat.Cdf => "cdf",
        _ => "unknown",
    };
}
