using System.Text.Json;
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
        var (text, failure) = await SendAsync(request, ct).ConfigureAwait(false);
        if (failure is not null)
        {
            return new EngineReply(null, failure);
        }
        LibreResponse? response;
        try
        {
            response = JsonSerializer.Deserialize(text!, LibreJson.Default.LibreResponse);
        }
        catch (JsonException ex)
        {
            return EngineReply.Fail(EngineFailureKind.Failed, "unreadable reply: " + ex.Message);
        }
        if (response?.TranslatedText is not { } translated || translated.Count != blocks.Count)
        {
            return EngineReply.Fail(EngineFailureKind.Failed, "reply does not have one translation per text");
        }
        return EngineReply.Of(translated);
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
