using System.Collections.Concurrent;
using System.Diagnostics;
using Feedstand.Settings;
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
/// One pass of the refresher: claim due feeds in batches, refresh each in its own DI scope (own
/// DbContext), in parallel up to <see cref="FeedstandOptions.RefreshConcurrency"/>, until none is
/// due. The background worker runs it on a timer; the refresh command runs it once.
/// </summary>
public sealed class RefreshCycle(
    IServiceScopeFactory scopes,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<RefreshCycle> logger)
{
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
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.RefreshConcurrency, CancellationToken = ct };

        while (true)
        {
            List<long> claimed;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<Data.FeedstandDb>();
                using var turn = await scope.ServiceProvider.GetRequiredService<Data.WriteLock>().EnterAsync(db, ct).ConfigureAwait(false);
                claimed = all
                    ? await FeedClaims.ClaimNotFetchedSinceAsync(db, Owner, cutoff, clock.GetUtcNow(), lease, _options.RefreshBatchSize, ct).ConfigureAwait(false)
                    : await FeedClaims.ClaimDueAsync(db, Owner, clock.GetUtcNow(), lease, _options.RefreshBatchSize, ct).ConfigureAwait(false);
            }
            if (claimed.Count == 0)
            {
                break;
            }
            summary.AddClaimed(claimed.Count);
            progress?.Invoke(summary);

            await Parallel.ForEachAsync(claimed, parallel, async (feedId, token) =>
            {
                summary.Add(await RefreshOneAsync(feedId, token).ConfigureAwait(false));
                progress?.Invoke(summary);
            }).ConfigureAwait(false);
        }

        summary.Elapsed = started.Elapsed;
        Log.Cycle(logger, summary.Claimed, summary.Fetched, summary.NotModified, summary.Failed, summary.NewEntries, summary.Elapsed.TotalSeconds);
        return summary;
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
            // Our fault (database, bug), not the feed's: the lease keeps it from being retried at once.
            Log.Crashed(logger, ex, feedId);
            return new RefreshOutcome(RefreshStatus.Failed, Error: new FetchError(FetchErrorKind.Connection, $"refresh crashed: {ex.Message}"));
        }
    }
}
