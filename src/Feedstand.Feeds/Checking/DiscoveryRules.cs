using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Checking;

/// <summary>The discovery section: the site advertises the feed, an icon, a link back, WebSub.</summary>
internal static class DiscoveryRules
{
    public static void Check(ParsedFeed feed, DiscoveryFacts discovery, List<Finding> findings)
    {
        void Add(string id, string? detail = null) => findings.Add(FindingCatalog.Make(id, null, null, 0, detail));
        if (feed.Link is null)
        {
            Add("NoSiteLink");
        }
        if (discovery.AdvertisedFeeds is { Count: 0 })
        {
            Add("NoAlternateLink", discovery.SiteUrl);
        }
        if (!discovery.HasSiteIcon && feed.Icon is null && feed.Image is null)
        {
            Add("NoIcon");
        }
        if (feed.Hubs.Count > 0)
        {
            Add("WebSub", feed.Hubs[0]);
        }
    }
}
