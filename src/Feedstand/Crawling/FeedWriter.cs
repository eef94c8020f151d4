using System.Collections.Concurrent;
using Feedstand.Data;
using Feedstand.Feeds.Model;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

/// <summary>
/// Stage two of a refresh: writes what <see cref="FeedReader"/> made of a feed — entries merged by
/// key, metadata, fetch state, next poll, the newest <see cref="FeedstandOptions.EntriesPerFeed"/>
/// kept. A failure changes only the fetch state: stored entries and metadata stay as they were.
/// </summary>
/// <remarks>
/// Group commit: SQLite takes one writer at a time, and one transaction per feed made the writes
/// the bottleneck of a refresh cycle (104 feeds/s against 419 now). So a call that finds others
/// waiting writes them all in its transaction (up to <see cref="MaxGroup"/>); each caller still
/// gets its own outcome. One writer at a time on SQLite, <see cref="FeedstandOptions.RefreshWriters"/>
/// on PostgreSQL, each with its own scope and connection. A group that fails to save is written
/// again feed by feed, so one bad feed costs only itself.
/// </remarks>
public sealed class FeedWriter(
    IServiceScopeFactory scopes,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    Random random,
    WriteLock writeLock,
    ILogger<FeedWriter> logger) : IDisposable
{
    internal const int MaxGroup = 64;

    private readonly FeedstandOptions _options = options.Value;
    private readonly ConcurrentQueue<Waiting> _waiting = new();
    private readonly SemaphoreSlim _writers = new(Writers(options.Value), Writers(options.Value));

    /// <summary>Saves one feed's fetch, together with whatever other feeds are waiting to be saved.</summary>
    /// <exception cref="Exception">Whatever saving threw (the caller records it as a crash).</exception>
    public async Task<RefreshOutcome> SaveAsync(FetchedFeed fetched, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        var waiting = new Waiting(fetched);
        _waiting.Enqueue(waiting);
        try
        {
            await _writers.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            waiting.Outcome.TrySetCanceled(ct); // a writer that finds it skips it
            throw;
        }
        try
        {
            var group = new List<Waiting>(MaxGroup);
            while (!waiting.Outcome.Task.IsCompleted && TakeGroup(group))
            {
                // Not cancellable: a group holds other callers' feeds, and a transaction is short.
                await WriteAsync(group).ConfigureAwait(false);
                group.Clear();
            }
        }
        finally
        {
            _writers.Release();
        }
        return await waiting.Outcome.Task.ConfigureAwait(false);
    }

    private bool TakeGroup(List<Waiting> group)
    {
        while (group.Count < MaxGroup && _waiting.TryDequeue(out var next))
        {
            if (!next.Outcome.Task.IsCompleted)
            {
                group.Add(next);
            }
        }
        return group.Count > 0;
    }

    private async Task WriteAsync(List<Waiting> group)
    {
        try
        {
            var outcomes = await WriteGroupAsync(group.ConvertAll(w => w.Fetched), CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Outcome.TrySetResult(outcomes[i]);
            }
        }
        catch (Exception ex) when (group.Count == 1)
        {
            group[0].Outcome.TrySetException(ex);
        }
        catch (Exception)
        {
            // Nothing of the group was saved: one of them could not be. Save each on its own.
            foreach (var one in group)
            {
                await WriteAsync([one]).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One transaction (SQLite: one turn of the write lock); one outcome per fetch, in order.</summary>
    private async Task<RefreshOutcome[]> WriteGroupAsync(List<FetchedFeed> results, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
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
            outcomes[i] = await ApplyAsync(db, feed, result, storedEntries, inserts, now, ct).ConfigureAwait(false);
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
                await Checking.FeedCheckLog.AddAsync(db, results, now, ct).ConfigureAwait(false);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                await db.InsertEntriesAsync(inserts, ct).ConfigureAwait(false);
                foreach (var feedId in toPrune)
                {
                    await PruneAsync(db, feedId, ct).ConfigureAwait(false);
                }
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < results.Count; i++)
        {
            // A push is logged by the WebSub subscriber: a bad one is the hub's, not the feed's.
            if (!results[i].IsPush && feeds.TryGetValue(results[i].FeedId, out var feed))
            {
                LogOutcome(feed, outcomes[i]);
            }
        }
        return outcomes;
    }

    /// <summary>Applies one result to its tracked feed; nothing is saved here.</summary>
    private async Task<RefreshOutcome> ApplyAsync(
        FeedstandDb db, Feed feed, FetchedFeed result, List<StoredEntry> stored, List<Entry> inserts, DateTimeOffset now, CancellationToken ct)
    {
        var fetched = result.Response;
        var state = feed.FetchState ??= new FetchState { FeedId = feed.Id };
        if (result.IsPush)
        {
            return await ApplyPushAsync(db, feed, state, result, stored, inserts, now, ct).ConfigureAwait(false);
        }
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
            state.NextFetchAt = now + NextPoll(state, fetched, now);
            await FollowPermanentRedirectAsync(db, feed, fetched, ct).ConfigureAwait(false);
            return new RefreshOutcome(RefreshStatus.NotModified);
        }

        var parsed = result.Parsed!;
        await FollowPermanentRedirectAsync(db, feed, fetched, ct).ConfigureAwait(false);
        var (added, updated) = await MergeEntriesAsync(db, feed, result.Entries, stored, inserts, now, ct).ConfigureAwait(false);
        UpdateMetadata(feed, parsed, result.SiteIcon);

        RecordSuccess(state, fetched, now);
        state.LastBytes = result.BodyBytes;
        state.Ttl = parsed.Ttl is > 0 and var minutes ? TimeSpan.FromMinutes(minutes) : null;
        var dates = parsed.Entries.Select(e => e.Published ?? e.Updated).OfType<DateTimeOffset>().Where(d => d <= now);
        state.AveragePostInterval = PollInterval.AverageBetweenPosts(dates) ?? state.AveragePostInterval;
        (state.WebSubHub, state.WebSubTopic) = WebSub.Discovery.Find(fetched, parsed);
        state.NextFetchAt = now + NextPoll(state, fetched, now);
        return new RefreshOutcome(RefreshStatus.Updated, added, updated);
    }

    /// <summary>
    /// What a hub pushed: entries added or updated like a poll's (a partial feed only adds), the
    /// feed's metadata; the poll schedule, validators and any refresher's claim are left alone. A
    /// push that does not parse changes nothing.
    /// </summary>
    private async Task<RefreshOutcome> ApplyPushAsync(
        FeedstandDb db, Feed feed, FetchState state, FetchedFeed result, List<StoredEntry> stored, List<Entry> inserts, DateTimeOffset now, CancellationToken ct)
    {
        if (result.Error is { } error)
        {
            return new RefreshOutcome(RefreshStatus.Failed, Error: error);
        }
        var (added, updated) = await MergeEntriesAsync(db, feed, result.Entries, stored, inserts, now, ct).ConfigureAwait(false);
        UpdateMetadata(feed, result.Parsed!, null);
        state.LastFetchAt = now;
        state.LastSuccessAt = now;
        return new RefreshOutcome(RefreshStatus.Updated, added, updated);
    }

    /// <summary>The feed's own rhythm; once a day while a verified WebSub subscription pushes it.</summary>
    private TimeSpan NextPoll(FetchState state, FetchResult fetched, DateTimeOffset now) =>
        state.WebSubUntil > now
            ? PollInterval.ForPushedFeed(NextJitter())
            : PollInterval.ForFeed(state.AveragePostInterval, state.Ttl, fetched.MaxAge, NextJitter());

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
    private async Task FollowPermanentRedirectAsync(FeedstandDb db, Feed feed, FetchResult fetched, CancellationToken ct)
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
        FeedstandDb db, Feed feed, IReadOnlyList<(ParsedEntry Parsed, Entry Row)> entries, List<StoredEntry> stored, List<Entry> inserts,
        DateTimeOffset now, CancellationToken ct)
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

    private async Task PruneAsync(FeedstandDb db, long feedId, CancellationToken ct)
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

    private static int Writers(FeedstandOptions options) => options.IsPostgres ? options.RefreshWriters : 1;

    public void Dispose() => _writers.Dispose();

    private sealed class Waiting(FetchedFeed fetched)
    {
        public FetchedFeed Fetched { get; } = fetched;
        public TaskCompletionSource<RefreshOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record StoredEntry(long Id, long FeedId, string Key, string ContentHash, DateTimeOffset SortDate);
}
