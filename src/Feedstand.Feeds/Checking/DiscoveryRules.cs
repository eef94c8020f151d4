namespace Feedstand.Feeds.Checking;

/// <summary>The discovery section: the site advertises the feed, an icon is available.</summary>
internal static class DiscoveryRules
{
    public static void Check(DiscoveryFacts discovery, bool feedHasIcon, List<Finding> findings)
    {
        if (discovery.AdvertisedFeeds is { Count: 0 })
        {
            findings.Add(FindingCatalog.Make("NoAlternateLink", null, null, 0, discovery.SiteUrl));
        }
        if (!discovery.HasSiteIcon && !feedHasIcon)
        {
            findings.Add(FindingCatalog.Make("NoIcon", null, null, 0));
        }
    }
}

/// <summary>The rhythm section: when the feed last posted, how reliably it could be fetched.</summary>
internal static class RhythmRules
{
    public static void Check(RhythmFacts rhythm, DateTimeOffset now, List<Finding> findings)
    {
        if (rhythm.LastPost is { } last && now - last > TimeSpan.FromDays(180))
        {
            findings.Add(FindingCatalog.Make("NoRecentPosts", null, null, 0, $"last post {last:yyyy-MM-dd}"));
        }
        if (rhythm.SuccessRate30Days is { } rate && rate < 0.9)
        {
            findings.Add(FindingCatalog.Make("UnreliableFetches", null, null, 0, $"{rate:P0} of fetches succeeded in 30 days"));
        }
    }
}
