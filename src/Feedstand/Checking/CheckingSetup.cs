using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedstand.Checking;

/// <summary>The feed check's services (its routes: <see cref="CheckEndpoints.MapCheckEndpoints"/>).</summary>
public static class CheckingSetup
{
    public static IServiceCollection AddChecking(this IServiceCollection services)
    {
        services.TryAddSingleton<FeedProbe>();
        services.TryAddScoped<FeedReport>();
        return services;
    }
}
