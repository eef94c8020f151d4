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

/// <summary>
/// The refresh of one feed, end to end: fetch → parse → merge entries → metadata → prune →
/// next poll. The background worker, the refresh command, add and the admin button all call it.
/// A failure changes only the fetch state: stored entries and metadata stay as they were.
/// </summary>
public sealed class FeedRefresher(
    FeedstandDb db,
    FeedFetcher fetcher,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    Random random,
    WriteLock writeLock,
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
        var state = feed.FetchState ??= new FetchState { FeedId = feed.Id };
        using var fetched = await fetcher.FetchAsync(feed.FeedUrl, new FetchValidators(state.ETag, state.LastModified), ct).ConfigureAwait(false);
        return await StoreAsync(feed, fetched, ct).ConfigureAwait(false);
    }

    /// <summary>Records a fetch already made (by <c>add</c>, or by <see cref="RefreshAsync"/>) on a tracked feed.</summary>
    public async Task<RefreshOutcome> StoreAsync(Feed feed, FetchResult fetched, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(fetched);
        var state = feed.FetchState ??= new FetchState { FeedId = feed.Id };
        var now = clock.GetUtcNow();
        state.LastFetchAt = now;
        state.LeaseUntil = null;
        state.LeaseOwner = null;
        state.LastStatus = fetched.Status;

        if (fetched.Error is { } error)
        {
            return await RecordFailureAsync(feed, error, now, ct).ConfigureAwait(false);
        }

        if (fetched.IsNotModified)
        {
            RecordSuccess(state, fetched, now);
            state.NextFetchAt = now + PollInterval.ForFeed(state.AveragePostInterval, state.Ttl, fetched.MaxAge, NextJitter());
            await FollowPermanentRedirectAsync(feed, fetched, ct).ConfigureAwait(false);
            await SaveAsync(ct).ConfigureAwait(false);
            Log.NotModified(logger, feed.Id, feed.FeedUrl, state.NextFetchAt);
            return new RefreshOutcome(RefreshStatus.NotModified);
        }

        ParsedFeed parsed;
        try
        {
            parsed = FeedParser.Parse(fetched.Body, new FeedParseOptions { BaseUrl = fetched.FinalUrl, ContentType = fetched.ContentType });
        }
        catch (FeedParseException ex)
        {
            var notAFeed = FeedDiscovery.LooksLikeHtml(fetched.Body.Span)
                ? new FetchError(FetchErrorKind.NotAFeed, "not a feed: the server returned an HTML page", Status: fetched.Status)
                : new FetchError(FetchErrorKind.Unparseable, ex.Message, Status: fetched.Status);
            return await RecordFailureAsync(feed, notAFeed, now, ct).ConfigureAwait(false);
        }

        await FollowPermanentRedirectAsync(feed, fetched, ct).ConfigureAwait(false);
        var (added, updated) = await MergeEntriesAsync(feed, parsed, now, ct).ConfigureAwait(false);
        await UpdateMetadataAsync(feed, parsed, ct).ConfigureAwait(false);

        RecordSuccess(state, fetched, now);
        state.LastBytes = fetched.Body.Length;
        state.Ttl = parsed.Ttl is > 0 and var minutes ? TimeSpan.FromMinutes(minutes) : null;
        var dates = parsed.Entries.Select(e => e.Published ?? e.Updated).OfType<DateTimeOffset>().Where(d => d <= now);
        state.AveragePostInterval = PollInterval.AverageBetweenPosts(dates) ?? state.AveragePostInterval;
        state.NextFetchAt = now + PollInterval.ForFeed(state.AveragePostInterval, state.Ttl, fetched.MaxAge, NextJitter());

        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            if (added > 0)
            {
                await PruneAsync(feed.Id, ct).ConfigureAwait(false);
            }
        }
        Log.Refreshed(logger, feed.Id, feed.FeedUrl, added, updated, state.NextFetchAt);
        return new RefreshOutcome(RefreshStatus.Updated, added, updated);
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

    private async Task<RefreshOutcome> RecordFailureAsync(Feed feed, FetchError error, DateTimeOffset now, CancellationToken ct)
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
            Log.Retired(logger, feed.Id, feed.FeedUrl);
        }
        await SaveAsync(ct).ConfigureAwait(false);
        Log.Failed(logger, feed.Id, feed.FeedUrl, state.LastErrorKind, error.Message, state.ConsecutiveErrors, state.NextFetchAt);
        return new RefreshOutcome(RefreshStatus.Failed, Error: error);
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

    private async Task<(int Added, int Updated)> MergeEntriesAsync(Feed feed, ParsedFeed parsed, DateTimeOffset now, CancellationToken ct)
    {
        var feedId = feed.Id;
        var stored = feedId == 0
            ? []
            : await db.Entries.AsNoTracking().Where(e => e.FeedId == feedId)
                .Select(e => new StoredEntry(e.Id, e.Key, e.ContentHash, e.SortDate))
                .ToListAsync(ct).ConfigureAwait(false);
        var byKey = new Dictionary<string, StoredEntry>(stored.Count, StringComparer.Ordinal);
        foreach (var entry in stored)
        {
            byKey.TryAdd(entry.Key, entry);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = new List<(ParsedEntry Parsed, string Key, string Hash, DateTimeOffset SortDate)>();
        var updated = 0;
        foreach (var parsedEntry in parsed.Entries)
        {
            var key = EntryMerge.KeyOf(parsedEntry);
            if (!seen.Add(key))
            {
                continue;
            }
            var hash = EntryMerge.ContentHashOf(parsedEntry);
            if (byKey.TryGetValue(key, out var existing))
            {
                if (existing.ContentHash != hash)
                {
                    var entity = await db.Entries.SingleAsync(e => e.Id == existing.Id, ct).ConfigureAwait(false);
                    EntryMerge.Apply(entity, parsedEntry, hash, now);
                    updated++;
                }
                continue;
            }
            fresh.Add((parsedEntry, key, hash, EntryMerge.SortDateOf(parsedEntry, now, now)));
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
        foreach (var (parsedEntry, key, hash, sortDate) in fresh)
        {
            var entry = new Entry { Key = key, ContentHash = hash, FirstSeenAt = now, Feed = feed };
            EntryMerge.Apply(entry, parsedEntry, hash, now);
            db.Entries.Add(entry);
            if (newest is null || sortDate > newest)
            {
                newest = sortDate;
            }
        }
        feed.LastEntryAt = newest;
        return (fresh.Count, updated);
    }

    private async Task UpdateMetadataAsync(Feed feed, ParsedFeed parsed, CancellationToken ct)
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
        else if (feed.IconUrl is null)
        {
            feed.IconUrl = await FindSiteIconAsync(feed.SiteUrl ?? feed.FeedUrl, ct).ConfigureAwait(false);
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

    private async Task SaveAsync(CancellationToken ct)
    {
        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
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

    private sealed record StoredEntry(long Id, string Key, string ContentHash, DateTimeOffset SortDate);
}
