using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedstand.FullText;

/// <summary>The full-text stage: article pages of summary-only feeds, fetched through the guard after a refresh.</summary>
public static class FullTextSetup
{
    public static IServiceCollection AddFullText(this IServiceCollection services)
    {
        services.TryAddScoped<FullTextFetcher>();
        return services;
    }
}
