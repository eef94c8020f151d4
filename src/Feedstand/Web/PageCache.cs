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
                .VaryByValue(context => new KeyValuePair<string, string>("lang", UiLanguage.Choose(context.Request))));
        });
        services.AddHostedService<FeedChangeWatcher>();
        return services;
    }

    public static ValueTask EvictAsync(IOutputCacheStore store, CancellationToken ct) =>
        store.EvictByTagAsync(Tag, ct);
}

/// <summary>
/// Polls a cheap version stamp of the store and evicts the page cache when it moves. The stamp is
/// read once at start, so the first tick evicts only if something changed since.
/// </summary>
public sealed partial class FeedChangeWatcher(
    IServiceScopeFactory scopes, IOutputCacheStore cache, TimeProvider clock, ILogger<FeedChangeWatcher> logger)
    : BackgroundService
{
    public static TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    private (DateTimeOffset? LastSuccess, int Feeds)? _stamp;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _stamp = await ReadStampAsync(cancellationToken);
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

    /// <summary>Reads the stamp (newest successful fetch, number of feeds); evicts the cache when it moved. True when it did.</summary>
    public async Task<bool> CheckAsync(CancellationToken ct)
    {
        var stamp = await ReadStampAsync(ct);
        if (stamp == _stamp)
        {
            return false;
        }
        _stamp = stamp;
        await PageCache.EvictAsync(cache, ct);
        return true;
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
