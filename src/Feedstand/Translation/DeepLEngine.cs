using System.Text.Json.Serialization;

namespace Feedstand.Translation;

/// <summary>DeepL: <c>POST {url}/v2/translate</c> with <c>tag_handling=html</c>, up to 50 texts a request.</summary>
public sealed class DeepLEngine(HttpClient http, TimeSpan timeout, Uri baseUrl, string key) : TranslationEngine(http, timeout)
{
    public override string Name => "deepl";

    public override int BatchSize => 50;

    public override async Task<EngineReply> TranslateAsync(IReadOnlyList<string> blocks, string? sourceLanguage, string targetLanguage, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var body = new DeepLRequest(blocks, TargetCode(targetLanguage), sourceLanguage is null ? null : BaseLanguage(sourceLanguage).ToUpperInvariant(), "html");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "v2/translate"))
        {
            Content = JsonContent.Create(body, DeepLJson.Default.DeepLRequest),
        };
        if (key.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "DeepL-Auth-Key " + key);
        }
        return await TranslateByJsonAsync(request, DeepLJson.Default.DeepLResponse,
            reply => reply.Translations?.ConvertAll(t => t.Text ?? ""), blocks.Count, ct).ConfigureAwait(false);
    }

    /// <summary>DeepL's target codes: upper case, and English and Portuguese need a variant.</summary>
    public static string TargetCode(string language) => BaseLanguage(language) switch
    {
        "en" => "EN-US",
        "pt" => "PT-BR",
        "zh" => "ZH-HANS",
        var other => other.ToUpperInvariant(),
    };
}

internal sealed record DeepLRequest(
    [property: JsonPropertyName("text")] IReadOnlyList<string> Text,
    [property: JsonPropertyName("target_lang")] string TargetLang,
    [property: JsonPropertyName("source_lang"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SourceLang,
    [property: JsonPropertyName("tag_handling")] string TagHandling);

internal sealed record DeepLResponse([property: JsonPropertyName("translations")] List<DeepLTranslation>? Translations);

internal sealed record DeepLTranslation([property: JsonPropertyName("text")] string? Text);

[JsonSerializable(typeof(DeepLRequest))]
[JsonSerializable(typeof(DeepLResponse))]
internal sealed partial class DeepLJson : JsonSerializerContext;
