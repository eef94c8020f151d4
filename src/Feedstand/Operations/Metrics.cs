using Feedstand.Crawling;
using Feedstand.Data;
using Microsoft.EntityFrameworkCore;
using Prometheus;

namespace Feedstand.Operations;

/// <summary>
/// What an operator watches, served at <c>/metrics</c> in the Prometheus text format
/// (prometheus-net): fetches by outcome and entries stored (counted by this process), refresh lag
/// and queue depth (read from the shared database at each scrape, so every node reports the
/// directory's figures), and page latency per route (prometheus-net's HTTP metrics). One registry
/// per app instance, so several apps in one process (tests) do not share counts.
/// </summary>
public sealed class FeedstandMetrics
{
    public FeedstandMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var factory = Factory;
        Fetches = factory.CreateCounter("feedstand_fetches_total", "Feed refreshes by outcome (updated, not_modified, or the error kind).", ["outcome"]);
        EntriesStored = factory.CreateCounter("feedstand_entries_stored_total", "New entries stored by this process's refresher.");
        RefreshLag = factory.CreateGauge("feedstand_refresh_lag_seconds", "How long the most overdue active feed has been waiting for its poll.");
        QueueDepth = factory.CreateGauge("feedstand_refresh_queue_depth", "Active feeds due for a poll and not claimed by a refresher.");
        Feeds = factory.CreateGauge("feedstand_feeds", "Listed feeds by status.", ["status"]);
    }

    public CollectorRegistry Registry { get; }
    public IMetricFactory Factory { get; }
    public Counter Fetches { get; }
    public Counter EntriesStored { get; }
    public Gauge RefreshLag { get; }
    public Gauge QueueDepth { get; }
    public Gauge Feeds { get; }

    /// <summary>Counts one refresh: its outcome ("updated", "not_modified", or the error kind) and the entries it stored.</summary>
    public void Count(RefreshOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var label = outcome.Status switch
        {
            RefreshStatus.Updated => "updated",
            RefreshStatus.NotModified => "not_modified",
            RefreshStatus.Missing => "missing",
            _ => (outcome.Error?.Kind ?? FetchErrorKind.Crashed).ToString().ToLowerInvariant(),
        };
        Fetches.WithLabels(label).Inc();
        if (outcome.NewEntries > 0)
        {
            EntriesStored.Inc(outcome.NewEntries);
        }
    }

    /// <summary>Reads the database-wide gauges; called before each scrape.</summary>
    public async Task UpdateFromStoreAsync(FeedstandDb db, DateTimeOffset now, CancellationToken ct)
    {
        var queue = await RefreshQueue.ReadAsync(db, now, ct);
        RefreshLag.Set(queue.Lag.TotalSeconds);
        QueueDepth.Set(queue.Due);
        var byStatus = await db.Feeds.GroupBy(f => f.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var status in Enum.GetValues<FeedStatus>())
        {
            Feeds.WithLabels(status.ToString().ToLowerInvariant()).Set(byStatus.FirstOrDefault(s => s.Key == status)?.Count ?? 0);
        }
    }
}

/// <summary>The refresher's backlog as the database shows it: due feeds and the oldest one's wait.</summary>
public readonly record struct RefreshQueue(int Due, TimeSpan Lag)
{
    public static async Task<RefreshQueue> ReadAsync(FeedstandDb db, DateTimeOffset now, CancellationToken ct)
    {
        var due = db.FetchStates.AsNoTracking()
            .Where(s => s.Feed!.Status == FeedStatus.Active && s.NextFetchAt <= now && (s.LeaseUntil == null || s.LeaseUntil < now));
        var count = await due.CountAsync(ct);
        var oldest = count == 0 ? null : await due.OrderBy(s => s.NextFetchAt).Select(s => (DateTimeOffset?)s.NextFetchAt).FirstOrDefaultAsync(ct);
        return new RefreshQueue(count, oldest is { } at ? now - at : TimeSpan.Zero);
    }
}

public static class MetricsEndpoints
{
    /// <summary>Page latency per route, then <c>/metrics</c>, refreshed from the store at each scrape.</summary>
    public static void UseFeedstandMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<FeedstandMetrics>();
        app.UseHttpMetrics(options =>
        {
            options.SetMetricFactory(metrics.Factory);
            options.ReduceStatusCodeCardinality();
        });
    }

    public static void MapFeedstandMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", async (HttpContext context, FeedstandMetrics metrics, FeedstandDb db, TimeProvider clock, CancellationToken ct) =>
        {
            await metrics.UpdateFromStoreAsync(db, clock.GetUtcNow(), ct);
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, ct);
        });
    }
}
