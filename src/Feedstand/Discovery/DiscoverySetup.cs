using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedstand.Discovery;

/// <summary>Finding blogs: similar feeds, subscription counts from readers, the subscribe links and the week's feed.</summary>
public static class DiscoverySetup
{
    public static IServiceCollection AddDiscovery(this IServiceCollection services)
    {
        services.TryAddSingleton<SimilarFeeds>();
        services.TryAddSingleton<SubscriptionCounter>();
        services.TryAddSingleton<ReaderReportRecorder>();
        return services;
    }

    /// <summary>
    /// Notes the subscriber counts feed readers report in their User-Agent. Before the output cache,
    /// so a reader's fetch of a cached re-published feed still reports its subscribers.
    /// </summary>
    public static IApplicationBuilder UseReaderReports(this IApplicationBuilder app) =>
        app.Use(app.ApplicationServices.GetRequiredService<ReaderReportRecorder>().InvokeAsync);

    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder routes)
    {
        routes.MapSubscribeEndpoints();
        routes.MapWeekFeedEndpoints();
        return routes;
    }
}
