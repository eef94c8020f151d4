using Feedstand.Crawling;
using Feedstand.Feeds.Discovery;
using Feedstand.Feeds.Model;
using Feedstand.Pages.Feeds;
using Microsoft.Extensions.Caching.Memory;

namespace Feedstand.Pages.Preview;

/// <summary>What a live preview found: a feed to show, several to choose from, or why nothing.</summary>
public sealed record LivePreviewResult(FeedPageView? Feed, IReadOnlyList<DiscoveredFeed> Choices, FetchError? Error);

/// <summary>
/// /preview?url=: fetch (through the SSRF guard) → parse → the preview layout, without storing.
/// An HTML page with one feed shows that feed, with several a choice. Results are cached a few minutes.
/// </summary>
public sealed class LivePreview(FeedFinder finder, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    public const int MaxEntries = 30;

    public async Task<LivePreviewResult> PreviewAsync(string url, CancellationToken ct)
    {
        var key = "preview:" + url;
        if (cache.TryGetValue(key, out LivePreviewResult? cached) && cached is not null)
        {
            return cached;
        }
        var result = await FetchAsync(url, ct);
        cache.Set(key, result, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
        return result;
    }

    private async Task<LivePreviewResult> FetchAsync(string url, CancellationToken ct)
    {
        using var found = await finder.FindAsync(url, ct, offerChoices: true);
        if (found.Choices.Count > 0)
        {
            return new LivePreviewResult(null, found.Choices, null);
        }
        return found.IsFound
            ? new LivePreviewResult(ToView(found.FeedUrl, found.Feed), [], null)
            : new LivePreviewResult(null, [], found.Error ?? new FetchError(FetchErrorKind.NotAFeed, "no feed found"));
    }

    public static FeedPageView ToView(string feedUrl, ParsedFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var entries = feed.Entries
            .Select((e, index) => (Entry: e, Index: index, Date: e.Published ?? e.Updated))
            .OrderByDescending(e => e.Date ?? DateTimeOffset.MinValue).ThenBy(e => e.Index)
            .Take(MaxEntries)
            .Select(e => new EntryView(e.Entry.Title, e.Entry.Link, e.Date, e.Entry.ContentHtml ?? e.Entry.SummaryHtml))
            .ToList();
        return new FeedPageView
        {
            Title = feed.Title ?? feedUrl,
            Description = feed.Subtitle,
            IconUrl = feed.Icon ?? feed.Image,
            SiteUrl = feed.Link,
            FeedUrl = feedUrl,
            Language = feed.Language,
            LastUpdated = entries.Count > 0 ? entries.Max(e => e.Date) ?? feed.Updated : feed.Updated,
            Entries = entries,
        };
    }
}
