using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

/// <summary>Counts of one refresh run, safe to update from parallel refreshes.</summary>
public sealed class RefreshSummary
{
    private int _claimed;
    private int _fetched;
    private int _notModified;
    private int _failed;
    private int _newEntries;
    private int _updatedEntries;

    public int Claimed => _claimed;
    public int Done => _fetched + _notModified + _failed;

    /// <summary>Fetched and parsed (HTTP 200).</summary>
    public int Fetched => _fetched;

    /// <summary>HTTP 304.</summary>
    public int NotModified => _notModified;
    public int Failed => _failed;
    public int NewEntries => _newEntries;
    public int UpdatedEntries => _updatedEntries;
    public ConcurrentDictionary<string, int> ErrorsByKind { get; } = new(StringComparer.Ordinal);
    public TimeSpan Elapsed { get; internal set; }

    internal void AddClaimed(int count) => Interlocked.Add(ref _claimed, count);

    internal void Add(RefreshOutcome outcome)
    {
        switch (outcome.Status)
        {
            case RefreshStatus.Updated:
                Interlocked.Increment(ref _fetched);
                Interlocked.Add(ref _newEntries, outcome.NewEntries);
                Interlocked.Add(ref _updatedEntries, outcome.UpdatedEntries);
                break;
            case RefreshStatus.NotModified:
                Interlocked.Increment(ref _notModified);
                break;
            default:
                Interlocked.Increment(ref _failed);
                ErrorsByKind.AddOrUpdate(outcome.Error?.Kind.ToString() ?? "Crashed", 1, (_, n) => n + 1);
                break;
        }
    }
}

/// <summary>
/// One pass of the refresher: claim due feeds in batches, fetch and parse them in parallel up to
/// <see cref="FeedstandOptions.RefreshConcurrency"/>, and write the results as they come, many
/// feeds per transaction (one writer on SQLite, <see cref="FeedstandOptions.RefreshWriters"/> on
/// PostgreSQL); until none is due. The background worker runs it on a
/// timer; the refresh command runs it once.
/// </summary>
/// <remarks>
/// Fetching is bounded by the network and parsing by the CPU, while SQLite takes one writer at a
/// time: one transaction per feed made the writes the bottleneck. The writer takes whatever
/// results are waiting (up to <see cref="MaxWriteGroup"/>) and saves them together; a group that
/// fails to save is retried feed by feed, so one bad feed costs only itself.
/// </remarks>
public sealed class RefreshCycle(
    IServiceScopeFactory scopes,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<RefreshCycle> logger)
{
    internal const int MaxWriteGroup = 64;

    private readonly FeedstandOptions _options = options.Value;

    /// <summary>Who holds a lease: this process, unique per instance.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <param name="all">Every active feed not fetched since the run started, due or not.</param>
    public async Task<RefreshSummary> RunAsync(bool all, Action<RefreshSummary>? progress, CancellationToken ct)
    {
        var summary = new RefreshSummary();
        var started = Stopwatch.StartNew();
        var cutoff = clock.GetUtcNow();
        var lease = TimeSpan.FromSeconds(_options.LeaseSeconds);
        // Bounded: fetchers wait when the writers fall behind, so parsed feeds never pile up.
        var results = Channel.CreateBounded<FetchedFeed>(MaxWriteGroup);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writerCount = FeedstandServices.IsPostgres(_options.Db) ? _options.RefreshWriters : 1;
        var writers = Task.WhenAll(Enumerable.Range(0, writerCount).Select(_ => WriteAsync(results.Reader, summary, progress, stop.Token)));

        try
        {
            await using var fetchScope = scopes.CreateAsyncScope();
            var refresher = fetchScope.ServiceProvider.GetRequiredService<FeedRefresher>();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.RefreshConcurrency, CancellationToken = stop.Token };
            while (true)
            {
                var claimed = await ClaimAsync(all, cutoff, lease, stop.Token).ConfigureAwait(false);
                if (claimed.Count == 0)
                {
                    break;
                }
                summary.AddClaimed(claimed.Count);
                progress?.Invoke(summary);

                await Parallel.ForEachAsync(claimed, parallel, async (feed, token) =>
                {
                    FetchedFeed fetched;
                    try
                    {
                        fetched = await refresher.FetchAsync(feed, token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        // Our fault (a bug), not the feed's: the lease keeps it from being retried at once.
                        Log.Crashed(logger, ex, feed.Id);
                        summary.Add(Crashed(ex));
                        progress?.Invoke(summary);
                        return;
                    }
                    await results.Writer.WriteAsync(fetched, token).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            results.Writer.TryComplete();
            try
            {
                await writers.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped with the fetchers: their exception (or the caller's cancellation) is the one to see.
            }
        }

        ct.ThrowIfCancellationRequested();
        summary.Elapsed = started.Elapsed;
        Log.Cycle(logger, summary.Claimed, summary.Fetched, summary.NotModified, summary.Failed, summary.NewEntries, summary.Elapsed.TotalSeconds);
        return summary;
    }

    /// <summary>Claims a batch and reads what fetching needs of each claimed feed.</summary>
    private async Task<List<FeedToFetch>> ClaimAsync(bool all, DateTimeOffset cutoff, TimeSpan lease, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.FeedstandDb>();
        List<long> ids;
        using (await scope.ServiceProvider.GetRequiredService<Data.WriteLock>().EnterAsync(db, ct).ConfigureAwait(false))
        {
            ids = all
                ? await FeedClaims.ClaimNotFetchedSinceAsync(db, Owner, cutoff, clock.GetUtcNow(), lease, _options.RefreshBatchSize, ct).ConfigureAwait(false)
                : await FeedClaims.ClaimDueAsync(db, Owner, clock.GetUtcNow(), lease, _options.RefreshBatchSize, ct).ConfigureAwait(false);
        }
        if (ids.Count == 0)
        {
            return [];
        }
        return await db.Feeds.AsNoTracking().Where(f => ids.Contains(f.Id))
            .Select(f => new FeedToFetch(f.Id, f.FeedUrl, f.SiteUrl, f.IconUrl, f.FetchState!.ETag, f.FetchState.LastModified))
            .ToListAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A writer: saves whatever results are waiting as one group, until fetching ends.</summary>
    private async Task WriteAsync(ChannelReader<FetchedFeed> reader, RefreshSummary summary, Action<RefreshSummary>? progress, CancellationToken ct)
    {
        await Task.Yield();
        var group = new List<FetchedFeed>(MaxWriteGroup);
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (group.Count < MaxWriteGroup && reader.TryRead(out var fetched))
            {
                group.Add(fetched);
            }
            foreach (var outcome in await StoreGroupAsync(group, ct).ConfigureAwait(false))
            {
                summary.Add(outcome);
            }
            group.Clear();
            progress?.Invoke(summary);
        }
    }

    private async Task<IReadOnlyList<RefreshOutcome>> StoreGroupAsync(List<FetchedFeed> group, CancellationToken ct)
    {
        try
        {
            return await StoreAsync(group, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (group.Count == 1)
            {
                Log.Crashed(logger, ex, group[0].FeedId);
                return [Crashed(ex)];
            }
        }
        // One of them could not be saved: nothing of the group was; save each on its own.
        var outcomes = new List<RefreshOutcome>(group.Count);
        foreach (var fetched in group)
        {
            outcomes.AddRange(await StoreGroupAsync([fetched], ct).ConfigureAwait(false));
        }
        return outcomes;
    }

    private async Task<IReadOnlyList<RefreshOutcome>> StoreAsync(IReadOnlyList<FetchedFeed> group, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FeedRefresher>().StoreAsync(group, ct).ConfigureAwait(false);
    }

    /// <summary>One feed in its own scope; anything but cancellation is logged and counted, never thrown.</summary>
    public async Task<RefreshOutcome> RefreshOneAsync(long feedId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var refresher = scope.ServiceProvider.GetRequiredService<FeedRefresher>();
        try
        {
            return await refresher.RefreshAsync(feedId, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.Crashed(logger, ex, feedId);
            return Crashed(ex);
        }
    }

    private static RefreshOutcome Crashed(Exception ex) =>
        new(RefreshStatus.Failed, Error: new FetchError(FetchErrorKind.Connection, $"refresh crashed: {ex.Message}"));
}
