using System.Collections.Concurrent;
using System.Diagnostics;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Seeding;

/// <summary>The snapshot files the seeder listed, waiting to be stored.</summary>
public sealed class PendingSnapshots
{
    public ConcurrentQueue<(long FeedId, string Path)> Queue { get; } = new();
}

/// <summary>
/// Stores the offline snapshot right after the server starts: each file goes through the
/// one refresh path as if it had just been fetched. Local files only, nothing fetched.
/// </summary>
public sealed partial class SnapshotLoader(
    PendingSnapshots pending, IServiceScopeFactory scopes, IOutputCacheStore cache, Discovery.SimilarFeeds similarFeeds,
    ILogger<SnapshotLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (pending.Queue.IsEmpty)
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var stored = 0;
        while (pending.Queue.TryDequeue(out var item))
        {
            try
            {
                await StoreAsync(item.FeedId, item.Path, stoppingToken);
                stored++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, item.Path, ex);
            }
        }
        // The starter directory gets its "similar feeds" at once, also when the refresher is off.
        await similarFeeds.ComputeAsync(stoppingToken);
        await PageCache.EvictAsync(cache, stoppingToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogStored(logger, stored, elapsed);
    }

    /// <summary>Stores every pending snapshot now (tests and the bench call it instead of waiting).</summary>
    public async Task StoreAllAsync(CancellationToken ct)
    {
        while (pending.Queue.TryDequeue(out var item))
        {
            await StoreAsync(item.FeedId, item.Path, ct);
        }
    }

    private async Task StoreAsync(long feedId, string path, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var feed = await db.Feeds.AsNoTracking().Where(f => f.Id == feedId).Select(FeedToFetch.Projection).SingleAsync(ct);
        var body = await File.ReadAllBytesAsync(path, ct);
        await scope.ServiceProvider.GetRequiredService<FeedRefresher>().RefreshAsync(feed, FetchResult.FromBody(feed.FeedUrl, body), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored the offline snapshot: {Feeds} feeds in {Elapsed}")]
    private static partial void LogStored(ILogger logger, int feeds, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the snapshot {Path}")]
    private static partial void LogFailed(ILogger logger, string path, Exception exception);
}
