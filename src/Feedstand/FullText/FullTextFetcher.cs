using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Feeds.Extraction;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.FullText;

/// <summary>
/// The full-text stage, run by the refresher after a group of feeds is stored: for each feed
/// with new entries that is summary-only (judged here, or forced by an admin), fetch each new
/// entry's page once, extract the article and keep it beside the entry. Politeness: the
/// fetcher's per-host limits and SSRF guard, a per-feed daily cap, conditional GET when the
/// same page was fetched before. A page that fails (too large, too slow, not HTML, a private
/// address, no article) leaves an error on the entry's row; the teaser stays as it was.
/// </summary>
public sealed class FullTextFetcher(
    FeedstandDb db,
    FeedFetcher fetcher,
    WriteLock writeLock,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<FullTextFetcher> logger)
{
    /// <summary>Entries first seen this long ago or less count as new.</summary>
    public static readonly TimeSpan NewEntryWindow = TimeSpan.FromDays(2);

    /// <summary>A "not summary-only" verdict is judged again after this long.</summary>
    public static readonly TimeSpan VerdictLifetime = TimeSpan.FromDays(30);

    /// <summary>A probe whose page failed is tried again after this long.</summary>
    public static readonly TimeSpan RetryFailedProbeAfter = TimeSpan.FromDays(1);

    private const int TeasersJudged = 10;

    private readonly FeedstandOptions _options = options.Value;

    public async Task FetchForNewEntriesAsync(IReadOnlyCollection<long> feedIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feedIds);
        if (!_options.FullText || feedIds.Count == 0)
        {
            return;
        }
        var settings = await db.FeedFullTexts.Where(s => feedIds.Contains(s.FeedId)).ToDictionaryAsync(s => s.FeedId, ct).ConfigureAwait(false);
        foreach (var feedId in feedIds)
        {
            if (!settings.TryGetValue(feedId, out var feedSettings))
            {
                feedSettings = new FeedFullText { FeedId = feedId };
                db.FeedFullTexts.Add(feedSettings);
            }
            await FetchForFeedAsync(feedSettings, ct).ConfigureAwait(false);
        }
    }

    private async Task FetchForFeedAsync(FeedFullText settings, CancellationToken ct)
    {
        if (settings.Mode == FullTextMode.Off)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (settings.CapDay != today)
        {
            settings.CapDay = today;
            settings.PagesFetchedThatDay = 0;
        }
        var allowance = _options.FullTextDailyPerFeed - settings.PagesFetchedThatDay;
        var since = now - NewEntryWindow;
        var feedId = settings.FeedId;
        var candidates = allowance <= 0 ? [] : await db.Entries.AsNoTracking()
            .Where(e => e.FeedId == feedId && e.FirstSeenAt >= since && e.Link != null && !db.EntryFullTexts.Any(t => t.EntryId == e.Id))
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Take(allowance)
            .Select(e => new Candidate(e.Id, e.Link!, e.ContentHtml ?? e.SummaryHtml))
            .ToListAsync(ct).ConfigureAwait(false);

        var rows = new List<EntryFullText>();
        if (candidates.Count > 0 && settings.Mode == FullTextMode.Auto && !await IsSummaryOnlyAsync(settings, candidates, rows, now, ct).ConfigureAwait(false))
        {
            candidates.Clear();
        }
        var remaining = candidates.Where(c => rows.TrueForAll(r => r.EntryId != c.EntryId)).ToList();
        var links = remaining.Select(c => c.Link).Distinct().ToList();
        var earlier = links.Count == 0 ? [] : await EarlierAsync(links, ct).ConfigureAwait(false);
        var fetched = new EntryFullText[remaining.Count];
        // The DbContext is not used inside: it serves one caller at a time.
        await Parallel.ForEachAsync(Enumerable.Range(0, remaining.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.FullTextConcurrency, CancellationToken = ct },
            async (i, token) => fetched[i] = await FetchEntryAsync(feedId, remaining[i], earlier.GetValueOrDefault(remaining[i].Link), settings.CssSelector, token).ConfigureAwait(false)).ConfigureAwait(false);
        rows.AddRange(fetched);
        settings.PagesFetchedThatDay += rows.Count;

        db.EntryFullTexts.AddRange(rows);
        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        foreach (var row in rows)
        {
            if (row.Error is not null)
            {
                Log.FullTextFailed(logger, feedId, row.SourceUrl, row.ErrorKind ?? "", row.Error);
            }
        }
        if (rows.Count > 0)
        {
            var extracted = rows.Count(r => r.ContentHtml is not null);
            Log.FullTextFetched(logger, feedId, extracted, rows.Count);
        }
    }

    /// <summary>
    /// The verdict for a feed in Auto mode, judged when missing or stale: from how its entries
    /// end, else by fetching the newest new entry's page (the probe) and comparing word counts.
    /// The probe's row joins <paramref name="rows"/> whatever the verdict, so its page is fetched once.
    /// </summary>
    private async Task<bool> IsSummaryOnlyAsync(FeedFullText settings, List<Candidate> candidates, List<EntryFullText> rows, DateTimeOffset now, CancellationToken ct)
    {
        if (settings.IsSummaryOnly == true || (settings.IsSummaryOnly == false && settings.JudgedAt > now - VerdictLifetime))
        {
            return settings.IsSummaryOnly.Value;
        }

        var feedId = settings.FeedId;
        var recent = await db.Entries.AsNoTracking().Where(e => e.FeedId == feedId)
            .OrderByDescending(e => e.SortDate).Take(TeasersJudged)
            .Select(e => e.ContentHtml ?? e.SummaryHtml).ToListAsync(ct).ConfigureAwait(false);
        var teasers = recent.Count(SummaryDetection.EndsLikeTeaser);
        if (recent.Count > 0 && teasers * 2 >= recent.Count)
        {
            return Judge(settings, true, $"{teasers} of the latest {recent.Count} entries end like teasers", now);
        }
        var averageWords = recent.Count == 0 ? 0 : recent.Sum(SummaryDetection.WordsOf) / recent.Count;
        if (averageWords >= SummaryDetection.LongEntryWords)
        {
            return Judge(settings, false, $"entries average {averageWords} words", now);
        }

        var probeEarlier = (await EarlierAsync([candidates[0].Link], ct).ConfigureAwait(false)).GetValueOrDefault(candidates[0].Link);
        var probe = await FetchEntryAsync(feedId, candidates[0], probeEarlier, settings.CssSelector, ct).ConfigureAwait(false);
        rows.Add(probe);
        if (probe.Error is not null || probe.PageWords == 0)
        {
            // No verdict from a failed page: judged again in a day rather than at every refresh.
            Judge(settings, false, $"the page of the newest entry failed: {probe.Error}", now);
            settings.JudgedAt = now - VerdictLifetime + RetryFailedProbeAfter;
            return false;
        }
        var isTeaser = SummaryDetection.IsTeaserOf(probe.TeaserWords, probe.PageWords);
        return Judge(settings, isTeaser, $"entry {probe.TeaserWords} words, its page {probe.PageWords} words", now);
    }

    private static bool Judge(FeedFullText settings, bool isSummaryOnly, string verdict, DateTimeOffset now)
    {
        settings.IsSummaryOnly = isSummaryOnly;
        settings.JudgedAt = now;
        settings.Verdict = verdict.Length > 200 ? verdict[..200] : verdict;
        return isSummaryOnly;
    }

    /// <summary>One entry's page: fetched, checked, extracted. Never throws for the page's faults.</summary>
    private async Task<EntryFullText> FetchEntryAsync(long feedId, Candidate entry, Earlier? earlier, string? cssSelector, CancellationToken ct)
    {
        var row = new EntryFullText
        {
            EntryId = entry.EntryId,
            FeedId = feedId,
            SourceUrl = entry.Link,
            FetchedAt = clock.GetUtcNow(),
            TeaserWords = SummaryDetection.WordsOf(entry.Html),
        };
        var validators = earlier is null ? null : new FetchValidators(earlier.ETag, earlier.LastModified);

        using var page = await fetcher.FetchArticleAsync(entry.Link, validators, ct).ConfigureAwait(false);
        row.SourceUrl = page.FinalUrl;
        if (page.Error is { } error)
        {
            return Failed(row, error.Kind.ToString(), error.Message);
        }
        if (page.IsNotModified)
        {
            if (earlier is null)
            {
                return Failed(row, "NotModified", "the server answered 304 Not Modified to a request that was not conditional");
            }
            row.ETag = validators?.ETag;
            row.LastModified = validators?.LastModified;
            row.PageWords = earlier.PageWords;
            row.ContentHtml = SummaryDetection.IsWhole(row.TeaserWords, row.PageWords) ? null : earlier.ContentHtml;
            return row;
        }
        row.ETag = page.ETag;
        row.LastModified = page.LastModified;
        if (!PageChecks.IsHtml(page.ContentType, page.Body.Span))
        {
            return Failed(row, "NotHtml", $"not an HTML page ({page.ContentType ?? "no Content-Type"})");
        }

        var article = ArticleExtractor.Extract(page.Body.Span, new Uri(page.FinalUrl),
            new ExtractionOptions { ContentType = page.ContentType, CssSelector = cssSelector });
        row.PageWords = article.WordCount;
        if (row.PageWords < SummaryDetection.MinArticleWords)
        {
            return Failed(row, "NoArticle", $"no article found on the page ({row.PageWords} words)");
        }
        // Never replace a post the feed gave in full.
        row.ContentHtml = SummaryDetection.IsWhole(row.TeaserWords, row.PageWords) ? null : article.ContentHtml;
        return row;
    }

    /// <summary>Pages fetched before (by another entry or feed) with their validators: a conditional GET for each.</summary>
    private async Task<Dictionary<string, Earlier>> EarlierAsync(List<string> links, CancellationToken ct)
    {
        var found = await db.EntryFullTexts.AsNoTracking()
            .Where(t => links.Contains(t.SourceUrl) && t.ContentHtml != null && (t.ETag != null || t.LastModified != null))
            .Select(t => new { t.SourceUrl, Earlier = new Earlier(t.ContentHtml!, t.PageWords, t.ETag, t.LastModified) })
            .ToListAsync(ct).ConfigureAwait(false);
        var byLink = new Dictionary<string, Earlier>(StringComparer.Ordinal);
        foreach (var item in found)
        {
            byLink.TryAdd(item.SourceUrl, item.Earlier);
        }
        return byLink;
    }

    private static EntryFullText Failed(EntryFullText row, string kind, string message)
    {
        row.ErrorKind = kind.Length > 32 ? kind[..32] : kind;
        row.Error = message;
        row.ContentHtml = null;
        return row;
    }

    private sealed record Candidate(long EntryId, string Link, string? Html);

    private sealed record Earlier(string ContentHtml, int PageWords, string? ETag, string? LastModified);
}
