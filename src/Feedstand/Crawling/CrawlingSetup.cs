using System.Net;
using Feedstand.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedstand.Crawling;

/// <summary>The refresh path's services: the guarded HTTP client, fetch, parse, write, and the background refresher.</summary>
public static class CrawlingSetup
{
    public static IServiceCollection AddCrawling(this IServiceCollection services)
    {
        services.TryAddSingleton<WriteLock>();
        services.TryAddSingleton<NameLookups>();
        services.TryAddSingleton<AddressGuard>();
        services.TryAddSingleton<HostLimiter>();
        services.TryAddSingleton<FeedFetcher>();
        services.TryAddSingleton<FeedFinder>();
        services.TryAddSingleton<FeedReader>();
        services.TryAddSingleton<FeedWriter>();
        services.TryAddSingleton<FeedRefresher>();
        services.TryAddSingleton<RefreshCycle>();
        services.AddHostedService<RefreshWorker>();

        services.AddHttpClient(FeedFetcher.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Redirects are followed by hand (each hop checked and counted), bodies decompressed by
                // hand (size and ratio limits), connections made by the SSRF guard.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<AddressGuard>().ConnectAsync,
                ConnectTimeout = FeedFetcher.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                MaxResponseHeadersLength = 64,
                MaxConnectionsPerServer = 8,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        return services;
    }
}
