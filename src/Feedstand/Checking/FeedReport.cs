using System.Text;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Feeds.Checking;
using Feedstand.Feeds.Discovery;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Checking;

/// <summary>A listed feed's check report with the feed's name, for the page, the JSON and the badge.</summary>
public sealed record ListedReport(string Slug, string Title, string FeedUrl, CheckReport Report, DateTimeOffset? CheckedAt);

/// <summary>
/// The report of a listed feed, built from stored data only: the newest stored document check,
/// the fetch state and the per-fetch rows (HTTP, rhythm, score over time). The one request it may
/// make is the site's home page for the discovery section, at most once a day per feed.
/// </summary>
public sealed class FeedReport(FeedstandDb db, FeedFetcher fetcher, TimeProvider clock)
{
    public static readonly TimeSpan DiscoveryAge = TimeSpan.FromDays(1);

    /// <summary>The stored score of the newest checked document, for the badge (one small query).</summary>
    public async Task<(string Slug, int? Score)?> ScoreAsync(string slug, CancellationToken ct)
    {
        var feed = await db.Feeds.AsNoTracking().Where(f => f.Slug == slug && f.Status == FeedStatus.Active)
            .Select(f => new { f.Id, f.Slug }).FirstOrDefaultAsync(ct);
        if (feed is null)
        {
            return null;
        }
        var score = await db.FeedChecks.AsNoTracking().Where(c => c.FeedId == feed.Id && c.Score != null)
            .OrderByDescending(c => c.CheckedAt).ThenByDescending(c => c.Id).Select(c => c.Score).FirstOrDefaultAsync(ct);
        return (feed.Slug, score);
    }

    public async Task<ListedReport?> BuildAsync(string slug, bool refreshDiscovery, CancellationToken ct)
    {
        var feed = await db.Feeds.AsNoTracking().Include(f => f.FetchState)
            .Where(f => f.Slug == slug && (f.Status == FeedStatus.Active || f.Status == FeedStatus.Retired))
            .FirstOrDefaultAsync(ct);
        if (feed is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var since = now - FeedCheckLog.Kept;
        var checks = await db.FeedChecks.AsNoTracking().Where(c => c.FeedId == feed.Id && c.CheckedAt >= since)
            .OrderBy(c => c.CheckedAt).ThenBy(c => c.Id)
            .Select(c => new { c.CheckedAt, c.Score, c.Succeeded, c.Status }).ToListAsync(ct);
        var stored = await db.FeedChecks.AsNoTracking().Where(c => c.FeedId == feed.Id && c.ReportJson != null)
            .OrderByDescending(c => c.CheckedAt).Select(c => new { c.CheckedAt, c.ReportJson }).FirstOrDefaultAsync(ct);
        var postDates = await db.Entries.AsNoTracking().Where(e => e.FeedId == feed.Id && e.SortDate >= since)
            .Select(e => e.SortDate).ToListAsync(ct);

        var document = stored?.ReportJson is { } json
            ? CheckJson.Read(json)
            : new CheckReport { Findings = [], Score = 0 };
        var state = feed.FetchState;
        // The refresher stored what the fetcher saw of HTTP with the document; the fetch state adds the newest status.
        var http = document.Http is { } seen
            ? seen with
            {
                Status = state?.LastStatus ?? seen.Status,
                ETag = state?.ETag ?? seen.ETag,
                LastModified = state?.LastModified ?? seen.LastModified,
                ConditionalStatus = checks.Exists(c => c.Status == 304) ? 304 : null,
                Error = state is { ConsecutiveErrors: > 0 } ? state.LastError : null,
            }
            : null;
        var rhythm = new RhythmFacts
        {
            LastPost = feed.LastEntryAt,
            PostsPerWeek = Math.Round(postDates.Count(d => d >= now.AddDays(-90) && d <= now) / (90.0 / 7), 2),
            PollInterval = state is { LastFetchAt: { } last } ? state.NextFetchAt - last : null,
            SuccessRate30Days = Rate(checks.Where(c => c.CheckedAt >= now.AddDays(-30)).Select(c => c.Succeeded)),
            SuccessRate90Days = Rate(checks.Select(c => c.Succeeded)),
            Scores = checks.Where(c => c.Score is not null).Select(c => new ScorePoint(c.CheckedAt, c.Score!.Value)).ToList(),
        };
        var discovery = await DiscoveryAsync(feed, refreshDiscovery, now, ct);
        var input = new CheckInput { Url = feed.FeedUrl, Http = http, Rhythm = rhythm, Discovery = discovery, Now = now };
        var report = FeedChecker.Compose(document, stored is not null, input, feed.IconUrl is not null);
        return new ListedReport(feed.Slug, feed.DisplayTitle, feed.FeedUrl, report, stored?.CheckedAt);
    }

    private static double? Rate(IEnumerable<bool> outcomes)
    {
        var list = outcomes.ToList();
        return list.Count == 0 ? null : Math.Round(list.Count(o => o) / (double)list.Count, 3);
    }

    private async Task<DiscoveryFacts?> DiscoveryAsync(Feed feed, bool refresh, DateTimeOffset now, CancellationToken ct)
    {
        var site = await db.SiteChecks.FirstOrDefaultAsync(s => s.FeedId == feed.Id, ct);
        if ((site is null || now - site.CheckedAt > DiscoveryAge) && refresh && feed.SiteUrl is { } siteUrl
            && Uri.TryCreate(siteUrl, UriKind.Absolute, out var siteUri) && siteUri.Scheme is "http" or "https")
        {
            site ??= db.SiteChecks.Add(new SiteCheck { FeedId = feed.Id }).Entity;
            site.CheckedAt = now;
            site.SiteUrl = siteUrl;
            using var page = await fetcher.FetchPageAsync(siteUri.AbsoluteUri, ct);
            if (page.IsSuccess && FeedDiscovery.LooksLikeHtml(page.Body.Span))
            {
                var html = Encoding.UTF8.GetString(page.Body.Span);
                var pageUri = new Uri(page.FinalUrl);
                site.AdvertisedFeeds = string.Join('\n', FeedDiscovery.FindFeeds(html, pageUri).Select(f => f.Url));
                site.HasIcon = FeedDiscovery.FindIcons(html, pageUri).Count > 0;
            }
            else
            {
                site.AdvertisedFeeds = null;
                site.HasIcon = false;
            }
            await db.SaveChangesAsync(ct);
        }
        if (site is null)
        {
            return null;
        }
        return new DiscoveryFacts
        {
            SiteUrl = site.SiteUrl,
            AdvertisedFeeds = site.AdvertisedFeeds?.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            HasSiteIcon = site.HasIcon,
            CheckedAt = site.CheckedAt,
        };
    }
}
