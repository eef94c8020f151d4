using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedstand.WebSub;

/// <summary>WebSub, both sides: the subscriber and the hub, and their worker, a background service (their routes: <see cref="WebSubEndpoints.MapWebSubEndpoints"/>).</summary>
public static class WebSubSetup
{
    public static IServiceCollection AddWebSub(this IServiceCollection services)
    {
        services.TryAddSingleton<WebSubHub>();
        services.TryAddSingleton<WebSubSubscriber>();
        services.AddHostedService<WebSubWorker>();
        return services;
    }
}
