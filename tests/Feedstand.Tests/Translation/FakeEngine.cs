using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Feedstand.Tests.Translation;

/// <summary>What the fake engine does with the next request.</summary>
public enum EngineMode
{
    /// <summary>Upper-cases the text between tags and marks it "译:" — a pseudo-translation.</summary>
    Pseudo,

    /// <summary>429 with Retry-After: 120.</summary>
    RateLimited,

    /// <summary>Never answers (until the client gives up).</summary>
    Stall,

    /// <summary>Drops every tag: the block's structure is broken.</summary>
    Broken,

    /// <summary>Adds a script element in front and handlers and javascript: links on every element.</summary>
    Hostile,

    /// <summary>Keeps the tags but adds attributes (handlers, javascript: URLs) to each.</summary>
    HostileAttributes,
}

/// <summary>
/// A fake translation engine on 127.0.0.1 speaking three protocols: an OpenAI-compatible
/// <c>/v1/chat/completions</c>, DeepL's <c>/v2/translate</c> and LibreTranslate's <c>/translate</c>.
/// Scripted per request (<see cref="Script"/>, then <see cref="Mode"/>); counts requests and the
/// characters of the texts it was sent.
/// </summary>
public sealed partial class FakeEngine : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _characters;
    private int _requests;

    private FakeEngine(WebApplication app)
    {
        _app = app;
        app.MapPost("/v1/chat/completions", OpenAiAsync);
        app.MapPost("/v2/translate", DeepLAsync);
        app.MapPost("/translate", LibreAsync);
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The mode of requests once <see cref="Script"/> is empty.</summary>
    public EngineMode Mode { get; set; } = EngineMode.Pseudo;

    /// <summary>Modes for the next requests, one per request.</summary>
    public ConcurrentQueue<EngineMode> Script { get; } = new();

    /// <summary>Every text received, in order.</summary>
    public ConcurrentQueue<string> Texts { get; } = new();

    public long Characters => Interlocked.Read(ref _characters);
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FakeEngine> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var engine = new FakeEngine(builder.Build());
        await engine._app.StartAsync();
        engine.BaseUri = new Uri(engine._app.Urls.First());
        return engine;
    }

    /// <summary>The settings that point the app at this engine.</summary>
    public Dictionary<string, string?> Settings(string engine) => new()
    {
        ["TRANSLATION_ENGINE"] = engine,
        ["TRANSLATION_URL"] = engine == "openai" ? new Uri(BaseUri, "/v1").AbsoluteUri : BaseUri.AbsoluteUri,
        ["TRANSLATION_KEY"] = "test-key",
        ["TRANSLATION_MODEL"] = "fake-model",
        ["TRANSLATION_TIMEOUT_SECONDS"] = "1",
    };

    public void Reset()
    {
        Interlocked.Exchange(ref _characters, 0);
        Interlocked.Exchange(ref _requests, 0);
        Texts.Clear();
    }

    private EngineMode Next() => Script.TryDequeue(out var mode) ? mode : Mode;

    private static async Task<bool> RefuseAsync(HttpContext context, EngineMode mode)
    {
        if (mode == EngineMode.RateLimited)
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "120";
            return true;
        }
        if (mode == EngineMode.Stall)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // the client gave up, as it should
            }
            return true;
        }
        return false;
    }

    private void Count(string text)
    {
        Interlocked.Add(ref _characters, text.Length);
        Texts.Enqueue(text);
    }

    private async Task OpenAiAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var mode = Next();
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (await RefuseAsync(context, mode))
        {
            return;
        }
        var user = body!["messages"]!.AsArray().Last(m => (string?)m!["role"] == "user")!["content"]!;
        var text = user is JsonArray parts ? string.Concat(parts.Select(p => (string?)p!["text"])) : (string)user!;
        Count(text);
        var reply = new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1,
            ["model"] = "fake-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Translate(text, mode) },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.ToJsonString());
    }

    private async Task DeepLAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var mode = Next();
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (await RefuseAsync(context, mode))
        {
            return;
        }
        if ((string?)context.Request.Headers.Authorization != "DeepL-Auth-Key test-key" || (string?)body!["tag_handling"] != "html")
        {
            context.Response.StatusCode = 403;
            return;
        }
        var translations = new JsonArray();
        foreach (var text in body["text"]!.AsArray().Select(t => (string)t!))
        {
            Count(text);
            translations.Add(new JsonObject { ["detected_source_language"] = "EN", ["text"] = Translate(text, mode) });
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["translations"] = translations }.ToJsonString());
    }

    private async Task LibreAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var mode = Next();
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (await RefuseAsync(context, mode))
        {
            return;
        }
        if ((string?)body!["format"] != "html" || (string?)body["target"] is not { Length: > 0 } || (string?)body["source"] is not { Length: > 0 })
        {
            context.Response.StatusCode = 400;
            return;
        }
        var translated = new JsonArray();
        foreach (var text in body["q"]!.AsArray().Select(t => (string)t!))
        {
            Count(text);
            translated.Add(Translate(text, mode));
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["translatedText"] = translated }.ToJsonString());
    }

    /// <summary>The pseudo-translation of an HTML block, spoiled as the mode says.</summary>
    public static string Translate(string html, EngineMode mode)
    {
        var translated = Pseudo(html);
        return mode switch
        {
            EngineMode.Broken => Tag().Replace(translated, ""),
            EngineMode.Hostile => "<script>alert(1)</script><img src=x onerror=alert(2)>" + translated,
            EngineMode.HostileAttributes => OpenTag().Replace(translated, m => $"<{m.Groups[1].Value} onclick=\"alert(3)\" href=\"javascript:alert(4)\" style=\"position:fixed\">"),
            _ => translated,
        };
    }

    /// <summary>Text between tags upper-cased, the first words marked "译:"; tags untouched.</summary>
    public static string Pseudo(string html)
    {
        var builder = new StringBuilder(html.Length + 4);
        var marked = false;
        var last = 0;
        foreach (var match in Tag().EnumerateMatches(html))
        {
            AppendText(html.AsSpan(last, match.Index - last));
            builder.Append(html, match.Index, match.Length);
            last = match.Index + match.Length;
        }
        AppendText(html.AsSpan(last));
        return builder.ToString();

        void AppendText(ReadOnlySpan<char> text)
        {
            if (!marked && text.Trim().Length > 0)
            {
                builder.Append("译:");
                marked = true;
            }
            // Entities stay as they are (&amp; upper-cased would be another character).
            var upper = text.ToString();
            builder.Append(Entity().Replace(upper.ToUpperInvariant(), m => m.Value.ToLowerInvariant()));
        }
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("<([a-z][a-z0-9-]*)>")]
    private static partial Regex OpenTag();

    [GeneratedRegex("&[A-Za-z]+;|&#[0-9A-Fa-f]+;")]
    private static partial Regex Entity();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
