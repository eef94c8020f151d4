using System.Text.Json.Serialization;

namespace Feedstand.Translation;

/// <summary>LibreTranslate: <c>POST {url}/translate</c> with <c>q</c>, <c>source</c>, <c>target</c>, <c>format=html</c>.</summary>
public sealed class LibreTranslateEngine(HttpClient http, TimeSpan timeout, Uri baseUrl, string key) : TranslationEngine(http, timeout)
{
    public override string Name => "libretranslate";

    public override int BatchSize => 20;

    public override async Task<EngineReply> TranslateAsync(IReadOnlyList<string> blocks, string? sourceLanguage, string targetLanguage, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var body = new LibreRequest(blocks, sourceLanguage is null ? "auto" : BaseLanguage(sourceLanguage), BaseLanguage(targetLanguage), "html", key.Length > 0 ? key : null);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "translate"))
        {
            Content = JsonContent.Create(body, LibreJson.Default.LibreRequest),
        };
        return await TranslateByJsonAsync(request, LibreJson.Default.LibreResponse, reply => reply.TranslatedText, blocks.Count, ct).ConfigureAwait(false);
    }
}

internal sealed record LibreRequest(
    [property: JsonPropertyName("q")] IReadOnlyList<string> Q,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("api_key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKey);

internal sealed record LibreResponse([property: JsonPropertyName("translatedText")] List<string>? TranslatedText);

[JsonSerializable(typeof(LibreRequest))]
[JsonSerializable(typeof(LibreResponse))]
internal sealed partial class LibreJson : JsonSerializerContext;
