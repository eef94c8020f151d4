using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedstand.Media;

/// <summary>Images and icons: the signer, the proxy and the icon stage, a background service (their routes: <see cref="MediaEndpoints.MapMediaEndpoints"/>).</summary>
public static class MediaSetup
{
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.TryAddSingleton<MediaSigner>();
        services.TryAddSingleton<MediaLinks>();
        services.TryAddScoped<MediaProxy>();
        services.TryAddSingleton<IconStage>();
        services.AddHostedService(sp => sp.GetRequiredService<IconStage>());
        return services;
    }
}
