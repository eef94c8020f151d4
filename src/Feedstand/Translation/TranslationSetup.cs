using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedstand.Translation;

/// <summary>The translation stage and its engine's HTTP client.</summary>
public static class TranslationSetup
{
    /// <remarks>
    /// The engine URL is the operator's own setting (possibly a local model on a private address), so
    /// this client is not behind the SSRF guard; replies are capped in size and treated as hostile all the same.
    /// </remarks>
    public static IServiceCollection AddTranslation(this IServiceCollection services)
    {
        services.TryAddSingleton<LanguageGuess>();
        services.TryAddSingleton<TranslationStage>();
        services.AddHttpClient(TranslationStage.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // each engine call has its own timeout
                client.MaxResponseContentBufferSize = 16 << 20;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = DecompressionMethods.All })
            .RemoveAllLoggers();
        return services;
    }
}
