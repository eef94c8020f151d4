using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Feedstand.Translation;

/// <summary>
/// Any OpenAI-compatible chat server (OpenAI, Ollama, vLLM, LM Studio) through
/// <c>Microsoft.Extensions.AI</c>: one block per request, <c>/chat/completions</c> under the base URL.
/// </summary>
public sealed class OpenAiEngine : TranslationEngine
{
    private readonly IChatClient _chat;

    public OpenAiEngine(HttpClient http, TimeSpan timeout, Uri baseUrl, string key, string model)
        : base(http, timeout)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var options = new OpenAIClientOptions
        {
            Endpoint = baseUrl,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // our own backoff reads Retry-After
            NetworkTimeout = timeout,
        };
        // Local servers take any key; the client library insists on one.
        _chat = new OpenAIClient(new ApiKeyCredential(key.Length > 0 ? key : "none"), options).GetChatClient(model).AsIChatClient();
    }

    public override string Name => "openai";

    public override async Task<EngineReply> TranslateAsync(IReadOnlyList<string> blocks, string? sourceLanguage, string targetLanguage, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var texts = new List<string>(blocks.Count);
        foreach (var block in blocks)
        {
            List<ChatMessage> messages =
            [
                new(ChatRole.System, Instructions(sourceLanguage, targetLanguage)),
                new(ChatRole.User, block),
            ];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            try
            {
                var response = await _chat.GetResponseAsync(messages, new ChatOptions { Temperature = 0 }, timeout.Token).ConfigureAwait(false);
                texts.Add(Unfenced(response.Text));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return EngineReply.Fail(EngineFailureKind.Timeout, $"no answer within {Timeout.TotalSeconds:0} s");
            }
            catch (ClientResultException ex)
            {
                var retryAfter = ex.GetRawResponse() is { } raw && raw.Headers.TryGetValue("Retry-After", out var value) ? RetryAfterOf(value) : null;
                return ex.Status == 429
                    ? EngineReply.Fail(EngineFailureKind.RateLimited, "HTTP 429 Too Many Requests", retryAfter)
                    : EngineReply.Fail(EngineFailureKind.Failed, ex.Status > 0 ? $"HTTP {ex.Status.ToString(CultureInfo.InvariantCulture)}" : ex.Message, retryAfter);
            }
            catch (HttpRequestException ex)
            {
                return EngineReply.Fail(EngineFailureKind.Failed, ex.Message);
            }
        }
        return EngineReply.Of(texts);
    }

    /// <summary>The system message: translate the text between tags, touch nothing else.</summary>
    public static string Instructions(string? sourceLanguage, string targetLanguage) =>
        $"You translate HTML fragments{(sourceLanguage is null ? "" : $" from the language with code '{sourceLanguage}'")} into the language with code '{targetLanguage}'. " +
        "Translate only the text between tags. Keep every tag exactly as given: the same tags, in the same order and nesting, " +
        $"with no attributes added. <{BlockDocument.Placeholder}></{BlockDocument.Placeholder}> marks code, a link or a number: keep each one, empty, where it belongs in the sentence. " +
        "Reply with the translated fragment only, without explanations and without code fences.";

    /// <summary>Models sometimes wrap the answer in a Markdown code fence.</summary>
    private static string Unfenced(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal) && trimmed.EndsWith("```", StringComparison.Ordinal) && trimmed.Length >= 6)
        {
            var firstLine = trimmed.IndexOf('\n', StringComparison.Ordinal);
            if (firstLine > 0)
            {
                return trimmed[(firstLine + 1)..^3].Trim();
            }
        }
        return trimmed;
    }
}
