using Feedstand.Crawling;
using Feedstand.Feeds;
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
public sealed class LivePreview(FeedFetcher fetcher, AddressGuard guard, FeedFinder finder, IMemoryCache cache)
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
        if (await guard.CheckUrlAsync(url, ct) is { } refused)
        {
            return new LivePreviewResult(null, [], refused);
        }
        using (var first = await fetcher.FetchAsync(url, null, ct))
        {
            if (first.Error is { } error)
            {
                return new LivePreviewResult(null, [], error);
            }
            if (FeedDiscovery.LooksLikeHtml(first.Body.Span))
            {
                var html = System.Text.Encoding.UTF8.GetString(first.Body.Span);
                var feeds = FeedDiscovery.FindFeeds(html, new Uri(first.FinalUrl));
                if (feeds.Count > 1)
                {
                    return new LivePreviewResult(null, feeds, null);
                }
            }
            else
            {
                try
                {
                    var parsed = FeedParser.Parse(first.Body, new FeedParseOptions { BaseUrl = first.FinalUrl, ContentType = first.ContentType });
                    return new LivePreviewResult(ToView(first.FinalUrl, parsed), [], null);
                }
                catch (FeedParseException ex)
                {
                    return new LivePreviewResult(null, [], new FetchError(FetchErrorKind.Unparseable, ex.Message, Status: first.Status));
                }
            }
        }
        var found = await finder.FindAsync(url, ct);
        if (found.Found is not { } feed)
        {
            return new LivePreviewResult(null, [], found.Error ?? new FetchError(FetchErrorKind.NotAFeed, "no feed found"));
        }
        using (feed)
        {
            return new LivePreviewResult(ToView(feed.FeedUrl, feed.Feed), [], null);
        }
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
