using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Feedstand.Translation;

public enum EngineFailureKind
{
    /// <summary>429: the engine asks us to wait (Retry-After).</summary>
    RateLimited,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    /// <summary>Any other refusal or error of the engine: 4xx, 5xx, a reply we cannot read.</summary>
    Failed,
}

/// <summary>Why the engine did not translate a batch; <see cref="RetryAfter"/> when it said how long to wait.</summary>
public sealed record EngineFailure(EngineFailureKind Kind, string Message, TimeSpan? RetryAfter = null);

/// <summary>The engine's answer to one batch: one text per block sent, in order, or a failure.</summary>
public sealed record EngineReply(IReadOnlyList<string>? Texts, EngineFailure? Failure)
{
    public static EngineReply Of(IReadOnlyList<string> texts) => new(texts, null);

    public static EngineReply Fail(EngineFailureKind kind, string message, TimeSpan? retryAfter = null) =>
        new(null, new EngineFailure(kind, message, retryAfter));
}

/// <summary>
/// A machine translation engine: OpenAI-compatible chat, DeepL or LibreTranslate. It gets blocks
/// of attribute-free HTML and returns what the engine said, untrusted: the caller checks every
/// reply's structure and sanitizes what it keeps. Failures are values, never exceptions.
/// </summary>
public abstract class TranslationEngine(HttpClient http, TimeSpan timeout)
{
    protected HttpClient Http { get; } = http;
    protected TimeSpan Timeout { get; } = timeout;

    /// <summary>The setting's name: openai, deepl, libretranslate.</summary>
    public abstract string Name { get; }

    /// <summary>Blocks sent in one request at most.</summary>
    public virtual int BatchSize => 1;

    /// <param name="sourceLanguage">ISO 639-1 code of the text, or null to let the engine detect it.</param>
    /// <param name="targetLanguage">ISO 639-1 code (or a BCP 47 tag) of the translation.</param>
    public abstract Task<EngineReply> TranslateAsync(IReadOnlyList<string> blocks, string? sourceLanguage, string targetLanguage, CancellationToken ct);

    /// <summary>POSTs <paramref name="request"/> with the timeout; the body as text, or the failure.</summary>
    protected async Task<(string? Body, EngineFailure? Failure)> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return (null, new EngineFailure(EngineFailureKind.RateLimited, "HTTP 429 Too Many Requests", RetryAfterOf(response.Headers.RetryAfter)));
            }
            if (!response.IsSuccessStatusCode)
            {
                return (null, new EngineFailure(EngineFailureKind.Failed, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", RetryAfterOf(response.Headers.RetryAfter)));
            }
            return (await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, new EngineFailure(EngineFailureKind.Timeout, $"no answer within {Timeout.TotalSeconds:0} s"));
        }
        catch (HttpRequestException ex)
        {
            return (null, new EngineFailure(EngineFailureKind.Failed, ex.Message));
        }
    }

    /// <summary>
    /// Sends a request whose JSON reply carries one translation per block (DeepL, LibreTranslate) and
    /// reads them with <paramref name="texts"/>; an unreadable reply, or a count other than
    /// <paramref name="blocks"/>, is a failure.
    /// </summary>
    protected async Task<EngineReply> TranslateByJsonAsync<TReply>(
        HttpRequestMessage request, JsonTypeInfo<TReply> replyType, Func<TReply, IReadOnlyList<string>?> texts, int blocks, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var (body, failure) = await SendAsync(request, ct).ConfigureAwait(false);
        if (failure is not null)
        {
            return new EngineReply(null, failure);
        }
        TReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize(body!, replyType);
        }
        catch (JsonException ex)
        {
            return EngineReply.Fail(EngineFailureKind.Failed, "unreadable reply: " + ex.Message);
        }
        if (reply is null || texts(reply) is not { } translated || translated.Count != blocks)
        {
            return EngineReply.Fail(EngineFailureKind.Failed, "reply does not have one translation per text");
        }
        return EngineReply.Of(translated);
    }

    /// <summary>Retry-After as a delay (seconds or an HTTP date); null when absent.</summary>
    public static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>Retry-After read from a raw header value (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfterOf(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return RetryConditionHeaderValue.TryParse(value, out var parsed) ? RetryAfterOf(parsed) : null;
    }

    /// <summary>The primary subtag, lower case: "zh-Hans" → "zh".</summary>
    public static string BaseLanguage(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var dash = language.IndexOfAny(['-', '_']);
        return (dash > 0 ? language[..dash] : language).ToLowerInvariant();
    }
}
