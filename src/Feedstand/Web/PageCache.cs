using Feedstand.Data;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Web;

/// <summary>
/// Output caching of the public pages, feeds and API. Every cached response carries the tag
/// <see cref="Tag"/>; it is evicted when an admin changes the directory and when the watcher
/// sees that a refresh (in this process or another node) stored something new.
/// </summary>
public static class PageCache
{
    public const string PolicyName = "pages";
    public const string Tag = "feeds";

    public static IServiceCollection AddPageCache(this IServiceCollection services)
    {
        services.AddOutputCache(options =>
        {
            options.AddPolicy(PolicyName, policy => policy
                .Expire(TimeSpan.FromMinutes(10))
                .Tag(Tag)
                .AddPolicy<FeedTagPolicy>()
                // The language request localization chose for this request (not negotiated again here).
                .VaryByValue(context => new KeyValuePair<string, string>("lang", UiLanguage.Of(context))));
        });
        services.AddHostedService<FeedChangeWatcher>();
        return services;
    }

    public static ValueTask EvictAsync(IOutputCacheStore store, CancellationToken ct) =>
        store.EvictByTagAsync(Tag, ct);

    /// <summary>The tag of every cached response of one feed (its pages, re-published feeds and API).</summary>
    public static string FeedTag(string slug) => "feed:" + slug;

    /// <summary>Tags a response whose route names a feed (<c>{slug}</c>) with that feed's tag.</summary>
    private sealed class FeedTagPolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            if (context.HttpContext.Request.RouteValues.TryGetValue("slug", out var slug) && slug is string { Length: > 0 } name)
            {
                context.Tags.Add(FeedTag(name));
            }
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
    }
}

/// <summary>
/// Polls the store and evicts cached pages when it moves: everything when a refresh stored something
/// new or the directory changed (a cheap version stamp), and a feed's own pages when only its fetch
/// state changed (a failed or unchanged fetch: health, error count, next try). Both are read once
/// at start, so the first tick evicts only if something changed since.
/// </summary>
public sealed partial class FeedChangeWatcher(
    IServiceScopeFactory scopes, IOutputCacheStore cache, TimeProvider clock, ILogger<FeedChangeWatcher> logger)
    : BackgroundService
{
    public static TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>More feeds fetched than this between two ticks: evict everything rather than feed by feed.</summary>
    private const int MaxFeedEvictions = 5_000;

    private (DateTimeOffset? LastSuccess, int Feeds)? _stamp;
    private DateTimeOffset? _lastFetchSeen;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _stamp = await ReadStampAsync(cancellationToken);
            _lastFetchSeen = await ReadLastFetchAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Without a stamp the first tick evicts once, which is only wasteful.
            LogWatchFailed(logger, ex);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWatchFailed(logger, ex);
            }
        }
    }

    /// <summary>
    /// Reads the stamp (newest successful fetch, number of feeds) and the feeds fetched since the
    /// last tick; evicts the whole cache when the stamp moved, else the pages of each feed whose
    /// fetch state changed. True when it evicted anything.
    /// </summary>
    public async Task<bool> CheckAsync(CancellationToken ct)
    {
        var stamp = await ReadStampAsync(ct);
        var changed = await FeedsFetchedSinceAsync(_lastFetchSeen, ct);
        if (changed.Count > 0)
        {
            _lastFetchSeen = changed.Max(c => c.LastFetchAt);
        }
        if (stamp != _stamp || changed.Count > MaxFeedEvictions)
        {
            _stamp = stamp;
            await PageCache.EvictAsync(cache, ct);
            return true;
        }
        foreach (var (slug, _) in changed)
        {
            await cache.EvictByTagAsync(PageCache.FeedTag(slug), ct);
        }
        return changed.Count > 0;
    }

    private async Task<DateTimeOffset?> ReadLastFetchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        return await db.FetchStates.MaxAsync(s => s.LastFetchAt, ct);
    }

    private async Task<List<(string Slug, DateTimeOffset LastFetchAt)>> FeedsFetchedSinceAsync(DateTimeOffset? since, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var fetched = db.FetchStates.AsNoTracking().Where(s => s.LastFetchAt != null);
        if (since is { } after)
        {
            fetched = fetched.Where(s => s.LastFetchAt > after);
        }
        var rows = await fetched.OrderBy(s => s.FeedId).Select(s => new { s.Feed!.Slug, s.LastFetchAt })
            .Take(MaxFeedEvictions + 1).ToListAsync(ct);
        return rows.ConvertAll(r => (r.Slug, r.LastFetchAt!.Value));
    }

    private async Task<(DateTimeOffset? LastSuccess, int Feeds)> ReadStampAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var lastSuccess = await db.FetchStates.MaxAsync(s => s.LastSuccessAt, ct);
        var feeds = await db.Feeds.CountAsync(ct);
        return (lastSuccess, feeds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the store for changes")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
