using System.Text;
using Feedstand.Data;
using Feedstand.Feeds;
using Feedstand.Feeds.Discovery;
using Feedstand.Feeds.Model;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

public enum RefreshStatus
{
    Updated,
    NotModified,
    Failed,
    Missing,
}

/// <summary>What one refresh did.</summary>
public sealed record RefreshOutcome(RefreshStatus Status, int NewEntries = 0, int UpdatedEntries = 0, FetchError? Error = null)
{
    public static RefreshOutcome Missing { get; } = new(RefreshStatus.Missing);
}

/// <summary>What the refresher needs to know of a feed before fetching it, read without tracking.</summary>
public sealed record FeedToFetch(long Id, string FeedUrl, string? SiteUrl, string? IconUrl, string? ETag, string? LastModified)
{
    public static FeedToFetch Of(Feed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return new(feed.Id, feed.FeedUrl, feed.SiteUrl, feed.IconUrl, feed.FetchState?.ETag, feed.FetchState?.LastModified);
    }
}

/// <summary>
/// What the network and the parser made of one feed, before anything is written: the response's
/// facts (its body already released), the parsed feed, or the error that stopped either.
/// </summary>
public sealed class FetchedFeed(long feedId, FetchResult response, ParsedFeed? parsed, FetchError? error, int bodyBytes, string? siteIcon)
{
    public long FeedId { get; } = feedId;
    public FetchResult Response { get; } = response;
    public ParsedFeed? Parsed { get; } = parsed;
    public FetchError? Error { get; } = error;
    public int BodyBytes { get; } = bodyBytes;

    /// <summary>The site page's icon, looked up when the feed names none and none is stored.</summary>
    public string? SiteIcon { get; } = siteIcon;

    /// <summary>Each parsed entry with the row it would become (key, content hash, search text): made while fetching, in parallel.</summary>
    public IReadOnlyList<(ParsedEntry Parsed, Entry Row)> Entries { get; init; } = [];
}

/// <summary>
/// The refresh of one feed, end to end: fetch → parse → merge entries → metadata → prune →
/// next poll. The background worker, the refresh command, add and the admin button all call it.
/// A failure changes only the fetch state: stored entries and metadata stay as they were.
/// </summary>
/// <remarks>
/// Two stages, so that the refresh cycle can fetch many feeds at once and write their results
/// in a few transactions: <see cref="FetchAsync"/> touches no database (many calls may run at
/// once on one instance), <see cref="StoreAsync(IReadOnlyList{FetchedFeed}, CancellationToken)"/>
/// writes a group of results in one transaction (feeds and fetch states through EF Core, new
/// entries through <see cref="EntryInsert"/>).
/// </remarks>
public sealed class FeedRefresher(
    FeedstandDb db,
    FeedFetcher fetcher,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    Random random,
    WriteLock writeLock,
    FullText.FullTextFetcher fullText,
    ILogger<FeedRefresher> logger)
{
    private readonly FeedstandOptions _options = options.Value;

    public async Task<RefreshOutcome> RefreshAsync(long feedId, CancellationToken ct)
    {
        var feed = await db.Feeds.Include(f => f.FetchState).SingleOrDefaultAsync(f => f.Id == feedId, ct).ConfigureAwait(false);
        if (feed is null)
        {
            return RefreshOutcome.Missing;
        }
        var fetched = await FetchAsync(FeedToFetch.Of(feed), ct).ConfigureAwait(false);
        return (await StoreAsync([fetched], ct).ConfigureAwait(false))[0];
    }

    /// <summary>Records a fetch already made (by <c>add</c>, or the offline snapshot) on a saved feed.</summary>
    public async Task<RefreshOutcome> StoreAsync(Feed feed, FetchResult fetched, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(fetched);
        var complete = await CompleteAsync(FeedToFetch.Of(feed), fetched, ct).ConfigureAwait(false);
        return (await StoreAsync([complete], ct).ConfigureAwait(false))[0];
    }

    /// <summary>Stage one: fetch and parse, and find the site icon if needed. No database.</summary>
    public async Task<FetchedFeed> FetchAsync(FeedToFetch feed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var response = await fetcher.FetchAsync(feed.FeedUrl, new FetchValidators(feed.ETag, feed.LastModified), ct).ConfigureAwait(false);
        return await CompleteAsync(feed, response, ct).ConfigureAwait(false);
    }

    /// <summary>Parses a response and releases its body; the facts of the response stay readable.</summary>
    private async Task<FetchedFeed> CompleteAsync(FeedToFetch feed, FetchResult response, CancellationToken ct)
    {
        var bodyBytes = response.Body.Length;
        if (response.Error is not null || response.IsNotModified)
        {
            response.Dispose();
            return new FetchedFeed(feed.Id, response, null, response.Error, bodyBytes, null);
        }

        ParsedFeed parsed;
        try
        {
            parsed = FeedParser.Parse(response.Body, new FeedParseOptions { BaseUrl = response.FinalUrl, ContentType = response.ContentType });
        }
        catch (FeedParseException ex)
        {
            var error = FeedDiscovery.LooksLikeHtml(response.Body.Span)
                ? new FetchError(FetchErrorKind.NotAFeed, "not a feed: the server returned an HTML page", Status: response.Status)
                : new FetchError(FetchErrorKind.Unparseable, ex.Message, Status: response.Status);
            return new FetchedFeed(feed.Id, response, null, error, bodyBytes, null);
        }
        finally
        {
            response.Dispose();
        }

        var now = clock.GetUtcNow();
        var entries = new List<(ParsedEntry, Entry)>(parsed.Entries.Count);
        foreach (var parsedEntry in parsed.Entries)
        {
            var hash = EntryMerge.ContentHashOf(parsedEntry);
            var row = new Entry { Key = EntryMerge.KeyOf(parsedEntry), ContentHash = hash, FirstSeenAt = now };
            EntryMerge.Apply(row, parsedEntry, hash, now);
            entries.Add((parsedEntry, row));
        }

        string? siteIcon = null;
        if (parsed.Icon is not { Length: > 0 } && parsed.Image is not { Length: > 0 } && feed.IconUrl is null)
        {
            siteIcon = await FindSiteIconAsync(parsed.Link ?? feed.SiteUrl ?? feed.FeedUrl, ct).ConfigureAwait(false);
        }
        return new FetchedFeed(feed.Id, response, parsed, null, bodyBytes, siteIcon) { Entries = entries };
    }

    /// <summary>
    /// Stage two: writes a group of fetch results in one transaction (SQLite: one turn of the
    /// write lock). Returns one outcome per result, in order. If saving throws, nothing of the
    /// group is written and the exception propagates: the caller retries results one by one.
    /// </summary>
    public async Task<IReadOnlyList<RefreshOutcome>> StoreAsync(IReadOnlyList<FetchedFeed> results, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(results);
        var ids = results.Select(r => r.FeedId).Distinct().ToList();
        var feeds = await db.Feeds.Include(f => f.FetchState).Where(f => ids.Contains(f.Id))
            .ToDictionaryAsync(f => f.Id, ct).ConfigureAwait(false);
        var parsedIds = results.Where(r => r.Parsed is not null).Select(r => r.FeedId).Distinct().ToList();
        var stored = parsedIds.Count == 0
            ? []
            : await db.Entries.AsNoTracking().Where(e => parsedIds.Contains(e.FeedId))
                .Select(e => new StoredEntry(e.Id, e.FeedId, e.Key, e.ContentHash, e.SortDate))
                .ToListAsync(ct).ConfigureAwait(false);
        var storedByFeed = stored.ToLookup(e => e.FeedId);

        var now = clock.GetUtcNow();
        var outcomes = new RefreshOutcome[results.Count];
        var toPrune = new List<long>();
        var inserts = new List<Entry>();
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            if (!feeds.TryGetValue(result.FeedId, out var feed))
            {
                outcomes[i] = RefreshOutcome.Missing;
                continue;
            }
            var storedEntries = storedByFeed[feed.Id].ToList();
            outcomes[i] = await ApplyAsync(feed, result, storedEntries, inserts, now, ct).ConfigureAwait(false);
            if (outcomes[i].NewEntries > 0 && storedEntries.Count + outcomes[i].NewEntries > _options.EntriesPerFeed)
            {
                toPrune.Add(feed.Id);
            }
        }

        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                await EntryInsert.InsertAsync(db, inserts, ct).ConfigureAwait(false);
                foreach (var feedId in toPrune)
                {
                    await PruneAsync(feedId, ct).ConfigureAwait(false);
                }
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < results.Count; i++)
        {
            if (feeds.TryGetValue(results[i].FeedId, out var feed))
            {
                LogOutcome(feed, outcomes[i]);
            }
        }

        // Enrichment after the group is stored: full text for new entries of summary-only feeds.
        await fullText.FetchForNewEntriesAsync(results.Where((_, i) => outcomes[i].NewEntries > 0).Select(r => r.FeedId).Distinct().ToList(), ct).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Applies one result to its tracked feed; nothing is saved here.</summary>
    private async Task<RefreshOutcome> ApplyAsync(Feed feed, FetchedFeed result, List<StoredEntry> stored, List<Entry> inserts, DateTimeOffset now, CancellationToken ct)
    {
        var fetched = result.Response;
        var state = feed.FetchState ??= new FetchState { FeedId = feed.Id };
        state.LastFetchAt = now;
        state.LeaseUntil = null;
        state.LeaseOwner = null;
        state.LastStatus = fetched.Status;

        if (result.Error is { } error)
        {
            RecordFailure(feed, error, now);
            return new RefreshOutcome(RefreshStatus.Failed, Error: error);
        }

        if (fetched.IsNotModified)
        {
            RecordSuccess(state, fetched, now);
            state.NextFetchAt = now + PollInterval.ForFeed(state.AveragePostInterval, state.Ttl, fetched.MaxAge, NextJitter());
            await FollowPermanentRedirectAsync(feed, fetched, ct).ConfigureAwait(false);
            return new RefreshOutcome(RefreshStatus.NotModified);
        }

        var parsed = result.Parsed!;
        await FollowPermanentRedirectAsync(feed, fetched, ct).ConfigureAwait(false);
        var (added, updated) = await MergeEntriesAsync(feed, result.Entries, stored, inserts, now, ct).ConfigureAwait(false);
        UpdateMetadata(feed, parsed, result.SiteIcon);

        RecordSuccess(state, fetched, now);
        state.LastBytes = result.BodyBytes;
        state.Ttl = parsed.Ttl is > 0 and var minutes ? TimeSpan.FromMinutes(minutes) : null;
        var dates = parsed.Entries.Select(e => e.Published ?? e.Updated).OfType<DateTimeOffset>().Where(d => d <= now);
        state.AveragePostInterval = PollInterval.AverageBetweenPosts(dates) ?? state.AveragePostInterval;
        state.NextFetchAt = now + PollInterval.ForFeed(state.AveragePostInterval, state.Ttl, fetched.MaxAge, NextJitter());
        return new RefreshOutcome(RefreshStatus.Updated, added, updated);
    }

    private void LogOutcome(Feed feed, RefreshOutcome outcome)
    {
        var state = feed.FetchState!;
        switch (outcome.Status)
        {
            case RefreshStatus.Updated:
                Log.Refreshed(logger, feed.Id, feed.FeedUrl, outcome.NewEntries, outcome.UpdatedEntries, state.NextFetchAt);
                break;
            case RefreshStatus.NotModified:
                Log.NotModified(logger, feed.Id, feed.FeedUrl, state.NextFetchAt);
                break;
            case RefreshStatus.Failed:
                if (outcome.Error?.Kind == FetchErrorKind.Gone)
                {
                    Log.Retired(logger, feed.Id, feed.FeedUrl);
                }
                Log.Failed(logger, feed.Id, feed.FeedUrl, state.LastErrorKind ?? "", state.LastError ?? "", state.ConsecutiveErrors, state.NextFetchAt);
                break;
        }
    }

    private static void RecordSuccess(FetchState state, FetchResult fetched, DateTimeOffset now)
    {
        state.LastSuccessAt = now;
        state.ConsecutiveErrors = 0;
        state.LastError = null;
        state.LastErrorKind = null;
        if (fetched.IsSuccess)
        {
            state.ETag = fetched.ETag;
            state.LastModified = fetched.LastModified;
        }
        else
        {
            state.ETag = fetched.ETag ?? state.ETag;
            state.LastModified = fetched.LastModified ?? state.LastModified;
        }
    }

    private void RecordFailure(Feed feed, FetchError error, DateTimeOffset now)
    {
        var state = feed.FetchState!;
        state.ConsecutiveErrors++;
        state.LastError = error.Message;
        state.LastErrorKind = error.Kind.ToString();
        state.LastStatus = error.Status ?? state.LastStatus;
        state.NextFetchAt = now + PollInterval.Backoff(state.ConsecutiveErrors, error.RetryAfter, NextJitter());
        if (error.Kind == FetchErrorKind.Gone)
        {
            feed.Status = FeedStatus.Retired;
        }
    }

    /// <summary>A chain of 301/308 only: the feed lives at the new address from now on.</summary>
    private async Task FollowPermanentRedirectAsync(Feed feed, FetchResult fetched, CancellationToken ct)
    {
        if (!fetched.IsPermanentlyMoved || fetched.FinalUrl == feed.FeedUrl)
        {
            return;
        }
        var newUrl = fetched.FinalUrl;
        var taken = await db.Feeds.AnyAsync(f => f.FeedUrl == newUrl && f.Id != feed.Id, ct).ConfigureAwait(false);
        if (!taken)
        {
            Log.Moved(logger, feed.Id, feed.FeedUrl, newUrl);
            feed.FeedUrl = newUrl;
        }
    }

    /// <summary>New entries go to <paramref name="inserts"/>; edited ones are updated in place (tracked).</summary>
    private async Task<(int Added, int Updated)> MergeEntriesAsync(
        Feed feed, IReadOnlyList<(ParsedEntry Parsed, Entry Row)> entries, List<StoredEntry> stored, List<Entry> inserts, DateTimeOffset now, CancellationToken ct)
    {
        var byKey = new Dictionary<string, StoredEntry>(stored.Count, StringComparer.Ordinal);
        foreach (var entry in stored)
        {
            byKey.TryAdd(entry.Key, entry);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = new List<Entry>();
        var updated = 0;
        foreach (var (parsedEntry, row) in entries)
        {
            if (!seen.Add(row.Key))
            {
                continue;
            }
            if (byKey.TryGetValue(row.Key, out var existing))
            {
                if (existing.ContentHash != row.ContentHash)
                {
                    var entity = await db.Entries.SingleAsync(e => e.Id == existing.Id, ct).ConfigureAwait(false);
                    EntryMerge.Apply(entity, parsedEntry, row.ContentHash, now);
                    updated++;
                }
                continue;
            }
            fresh.Add(row);
        }

        // Keep the newest N: a new entry older than everything the store keeps is not worth a row.
        var capacity = _options.EntriesPerFeed;
        if (stored.Count + fresh.Count > capacity)
        {
            fresh.Sort((a, b) => b.SortDate.CompareTo(a.SortDate));
            var all = stored.Select(s => s.SortDate).Concat(fresh.Select(f => f.SortDate)).OrderDescending().ToList();
            var cutoff = all[capacity - 1];
            fresh.RemoveAll(f => f.SortDate < cutoff);
            if (fresh.Count > capacity)
            {
                fresh.RemoveRange(capacity, fresh.Count - capacity);
            }
        }

        DateTimeOffset? newest = feed.LastEntryAt;
        foreach (var row in fresh)
        {
            row.FeedId = feed.Id;
            inserts.Add(row);
            if (newest is null || row.SortDate > newest)
            {
                newest = row.SortDate;
            }
        }
        feed.LastEntryAt = newest;
        return (fresh.Count, updated);
    }

    private static void UpdateMetadata(Feed feed, ParsedFeed parsed, string? siteIcon)
    {
        // Admin overrides live in their own columns (TitleOverride...), so these never clobber them.
        feed.Title = Trimmed(parsed.Title, 500) ?? feed.Title;
        feed.Description = Trimmed(parsed.Subtitle, 2000) ?? feed.Description;
        feed.SiteUrl = parsed.Link ?? feed.SiteUrl;
        feed.Language = parsed.Language is { Length: > 0 } language ? language.ToLowerInvariant() : feed.Language;
        if ((parsed.Icon ?? parsed.Image) is { Length: > 0 } icon)
        {
            feed.IconUrl = icon;
        }
        else
        {
            feed.IconUrl ??= siteIcon;
        }
    }

    /// <summary>The site page's icon links, else /favicon.ico. Looked up once per feed.</summary>
    private async Task<string?> FindSiteIconAsync(string siteUrl, CancellationToken ct)
    {
        if (!Uri.TryCreate(siteUrl, UriKind.Absolute, out var site) || site.Scheme is not ("http" or "https"))
        {
            return null;
        }
        using var page = await fetcher.FetchPageAsync(site.AbsoluteUri, ct).ConfigureAwait(false);
        if (page.IsSuccess && FeedDiscovery.LooksLikeHtml(page.Body.Span))
        {
            var icons = FeedDiscovery.FindIcons(Encoding.UTF8.GetString(page.Body.Span), new Uri(page.FinalUrl));
            if (icons.Count > 0)
            {
                return icons[0];
            }
        }
        return new Uri(site, "/favicon.ico").AbsoluteUri;
    }

    private async Task PruneAsync(long feedId, CancellationToken ct)
    {
        var capacity = _options.EntriesPerFeed;
        var count = await db.Entries.CountAsync(e => e.FeedId == feedId, ct).ConfigureAwait(false);
        if (count <= capacity)
        {
            return;
        }
        var doomed = await db.Entries.Where(e => e.FeedId == feedId)
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Skip(capacity).Select(e => e.Id).ToListAsync(ct).ConfigureAwait(false);
        await db.Entries.Where(e => doomed.Contains(e.Id)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
    }

    private double NextJitter()
    {
        lock (random)
        {
            return random.NextDouble();
        }
    }

    private static string? Trimmed(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        return text.Length > maxLength ? text[..maxLength] : text;
    }

    private sealed record StoredEntry(long Id, long FeedId, string Key, string ContentHash, DateTimeOffset SortDate);
}
