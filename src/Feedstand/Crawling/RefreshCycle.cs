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

    /// <param name="all">Every active feed not fetched since the run started, due or not.</param>
    public async Task<RefreshSummary> RunAsync(bool all, Action<RefreshSummary>? progress, CancellationToken ct)
    {
        var summary = new RefreshSummary();
        var started = Stopwatch.StartNew();
        var cutoff = clock.GetUtcNow();
        var lease = TimeSpan.FromSeconds(_options.LeaseSeconds);
        using var inFlight = new SemaphoreSlim(_options.RefreshConcurrency + FeedWriter.MaxGroup);
        var running = new List<Task>();
        try
        {
            while (true)
            {
                var claimed = await ClaimAsync(all, cutoff, lease, ct).ConfigureAwait(false);
                if (claimed.Count == 0)
                {
                    break;
                }
                summary.AddClaimed(claimed.Count);
                progress?.Invoke(summary);
                foreach (var feed in claimed)
                {
                    await inFlight.WaitAsync(ct).ConfigureAwait(false);
                    running.Add(RefreshAsync(feed, inFlight, summary, progress, ct));
                }
                running.RemoveAll(t => t.IsCompleted);
            }
        }
        finally
        {
            // Claiming failed (the database is away) or was cancelled: the feeds under way finish first.
            await Task.WhenAll(running).ConfigureAwait(false);
        }

        summary.Elapsed = started.Elapsed;
        Log.Cycle(logger, summary.Claimed, summary.Fetched, summary.NotModified, summary.Failed, summary.NewEntries, summary.Elapsed.TotalSeconds);
        return summary;
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
                ? await FeedClaims.ClaimNotFetchedSinceAsync(db, Owner, cutoff, clock.GetUtcNow(), lease, _options.RefreshBatchSize, ct).ConfigureAwait(false)
                : await FeedClaims.ClaimDueAsync(db, Owner, clock.GetUtcNow(), lease, _options.RefreshBatchSize, ct).ConfigureAwait(false);
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
