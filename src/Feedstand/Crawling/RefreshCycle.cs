using System.Diagnostics;
using Feedstand.Data;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

/// <summary>
/// One pass of the refresher: claim due feeds in batches and run <see cref="FeedRefresher.RefreshAsync(FeedToFetch, CancellationToken)"/>
/// on each, many at once, until none is due. The background worker runs it on a timer; the refresh
/// command runs it once.
/// </summary>
/// <remarks>
/// Up to <see cref="FeedstandOptions.RefreshConcurrency"/> feeds are fetched and parsed at once
/// (<see cref="FeedReader"/>), and up to <see cref="FeedWriter.MaxGroup"/> more may wait for their
/// turn to be written (<see cref="FeedWriter"/> writes them together), so fetching goes on while a
/// group is being saved, and parsed feeds never pile up beyond that.
/// </remarks>
public sealed class RefreshCycle(
    FeedRefresher refresher,
    IServiceScopeFactory scopes,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<RefreshCycle> logger)
{
    private readonly FeedstandOptions _options = options.Value;

    /// <summary>Who holds a lease: this process, unique per instance.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// How long <c>refresh --all</c> waits for feeds another node holds while none of them gets done;
    /// a dead node's leases end well before (one <see cref="FeedstandOptions.LeaseSeconds"/>).
    /// </summary>
    private TimeSpan MaxWaitForOthers => TimeSpan.FromSeconds(_options.LeaseSeconds * 2 + _options.FetchTimeoutSeconds);

    /// <param name="all">
    /// Every active feed not fetched since the run started, due or not, including those another node
    /// holds: the run waits for that node to finish them, or takes them when its lease ends, and names
    /// in <see cref="RefreshSummary.NotDone"/> any it could not wait for.
    /// </param>
    public async Task<RefreshSummary> RunAsync(bool all, Action<RefreshSummary>? progress, CancellationToken ct)
    {
        var summary = new RefreshSummary();
        var started = Stopwatch.StartNew();
        var cutoff = clock.GetUtcNow();
        var lease = TimeSpan.FromSeconds(_options.LeaseSeconds);
        using var inFlight = new SemaphoreSlim(_options.RefreshConcurrency + FeedWriter.MaxGroup);
        var running = new List<Task>();
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = RenewLeasesAsync(lease, stopHeartbeat.Token);
        try
        {
            var waitingSince = DateTimeOffset.MinValue;
            var waitingFor = int.MaxValue;
            while (true)
            {
                var claimed = await ClaimAsync(all, cutoff, lease, ct).ConfigureAwait(false);
                if (claimed.Count > 0)
                {
                    summary.AddClaimed(claimed.Count);
                    progress?.Invoke(summary);
                    foreach (var feed in claimed)
                    {
                        await inFlight.WaitAsync(ct).ConfigureAwait(false);
                        running.Add(RefreshAsync(feed, inFlight, summary, progress, ct));
                    }
                    running.RemoveAll(t => t.IsCompleted);
                    continue;
                }
                if (!all)
                {
                    break;
                }

                // Nothing left to claim: what remains is held by other nodes (alive, or dead with a lease running out).
                var elsewhere = await LeasedElsewhereAsync(cutoff, ct).ConfigureAwait(false);
                summary.WaitingForOthers = elsewhere.Count;
                if (elsewhere.Count == 0)
                {
                    break;
                }
                if (elsewhere.Count < waitingFor)
                {
                    (waitingSince, waitingFor) = (clock.GetUtcNow(), elsewhere.Count); // the other node is getting on with them
                }
                progress?.Invoke(summary);
                var now = clock.GetUtcNow();
                if (now - waitingSince > MaxWaitForOthers)
                {
                    summary.NotDone = elsewhere.Slugs;
                    break;
                }
                var untilFirstLeaseEnds = elsewhere.FirstLeaseEnd - now;
                if (untilFirstLeaseEnds > TimeSpan.Zero)
                {
                    var poll = untilFirstLeaseEnds < WaitPoll ? untilFirstLeaseEnds + TimeSpan.FromMilliseconds(100) : WaitPoll;
                    await Task.Delay(poll, clock, ct).ConfigureAwait(false);
                }
            }
            summary.WaitingForOthers = 0;
        }
        finally
        {
            // Cancelled (SIGTERM, Ctrl-C, serve stopping) or the database away: the feeds under way
            // finish or stop, a group being written is written (FeedWriter), and every lease this
            // run still holds is given back so no feed waits for the lease to run out.
            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            await stopHeartbeat.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            await ReleaseLeasesAsync().ConfigureAwait(false);
        }
        ct.ThrowIfCancellationRequested();

        summary.Elapsed = started.Elapsed;
        Log.Cycle(logger, summary.Claimed, summary.Fetched, summary.NotModified, summary.Failed, summary.NewEntries, summary.Elapsed.TotalSeconds);
        return summary;
    }

    /// <summary>How often <c>refresh --all</c> looks again at feeds another node holds.</summary>
    private static readonly TimeSpan WaitPoll = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The heartbeat: every third of a lease, extends the leases this run holds, so leases stay short
    /// (a dead node's claims come back within one lease) while a slow feed is never taken twice.
    /// </summary>
    private async Task RenewLeasesAsync(TimeSpan lease, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(lease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
                    using (await scope.ServiceProvider.GetRequiredService<WriteLock>().EnterAsync(db, stop).ConfigureAwait(false))
                    {
                        await db.RenewLeasesAsync(Owner, clock.GetUtcNow() + lease, stop).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.LeaseRenewalFailed(logger, ex.GetBaseException().Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<LeasedElsewhere> LeasedElsewhereAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        return await db.LeasedElsewhereAsync(Owner, cutoff, clock.GetUtcNow(), ct).ConfigureAwait(false);
    }

    /// <summary>Gives back this run's leases; bounded, and only logged when the database does not answer.</summary>
    private async Task ReleaseLeasesAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            using (await scope.ServiceProvider.GetRequiredService<WriteLock>().EnterAsync(db, timeout.Token).ConfigureAwait(false))
            {
                await db.ReleaseLeasesAsync(Owner, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The database is away: the leases end by themselves within one lease.
            Log.LeaseReleaseFailed(logger, ex.GetBaseException().Message);
        }
    }

    private async Task RefreshAsync(FeedToFetch feed, SemaphoreSlim inFlight, RefreshSummary summary, Action<RefreshSummary>? progress, CancellationToken ct)
    {
        try
        {
            summary.Add(await refresher.RefreshAsync(feed, ct).ConfigureAwait(false));
            progress?.Invoke(summary);
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>Claims a batch and reads what fetching needs of each claimed feed.</summary>
    private async Task<List<FeedToFetch>> ClaimAsync(bool all, DateTimeOffset cutoff, TimeSpan lease, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        List<long> ids;
        using (await scope.ServiceProvider.GetRequiredService<WriteLock>().EnterAsync(db, ct).ConfigureAwait(false))
        {
            ids = all
                ? await db.ClaimFeedsNotFetchedSinceAsync(Owner, cutoff, clock.GetUtcNow(), lease, _options.RefreshBatchSize, ct).ConfigureAwait(false)
                : await db.ClaimDueFeedsAsync(Owner, clock.GetUtcNow(), lease, _options.RefreshBatchSize, ct).ConfigureAwait(false);
        }
        if (ids.Count == 0)
        {
            return [];
        }
        return await db.Feeds.AsNoTracking().Where(f => ids.Contains(f.Id))
            .Select(FeedToFetch.Projection)
            .ToListAsync(ct).ConfigureAwait(false);
    }
}
