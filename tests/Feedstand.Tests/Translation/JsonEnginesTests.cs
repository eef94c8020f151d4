using System.Net;
using System.Text;
using Feedstand.Translation;

namespace Feedstand.Tests.Translation;

/// <summary>DeepL and LibreTranslate share one request-and-reply path (TranslationEngine.TranslateByJsonAsync).</summary>
public class JsonEnginesTests
{
    private static readonly Uri Base = new("http://127.0.0.1:9/");

    private sealed class Answer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }
        public string? RequestBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            RequestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }

    private static (TranslationEngine Engine, Answer Answer) Engine(string name, HttpStatusCode status, string body)
    {
        var answer = new Answer(status, body);
        var http = new HttpClient(answer);
        TranslationEngine engine = name == "deepl"
            ? new DeepLEngine(http, TimeSpan.FromSeconds(30), Base, "k")
            : new LibreTranslateEngine(http, TimeSpan.FromSeconds(30), Base, "k");
        return (engine, answer);
    }

    [Fact]
    public async Task DeepL_reads_one_text_per_block_and_sends_its_key()
    {
        var (engine, answer) = Engine("deepl", HttpStatusCode.OK, """{"translations":[{"text":"<p>Hallo</p>"},{"text":"Welt"}]}""");

        var reply = await engine.TranslateAsync(["<p>Hello</p>", "World"], "en", "de", TestContext.Current.CancellationToken);

        Assert.Null(reply.Failure);
        Assert.Equal(["<p>Hallo</p>", "Welt"], reply.Texts);
        Assert.Equal("http://127.0.0.1:9/v2/translate", answer.Request!.RequestUri!.AbsoluteUri);
        Assert.Equal("DeepL-Auth-Key k", answer.Request.Headers.GetValues("Authorization").Single());
        Assert.Contains("\"target_lang\":\"DE\"", answer.RequestBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LibreTranslate_reads_one_text_per_block()
    {
        var (engine, answer) = Engine("libre", HttpStatusCode.OK, """{"translatedText":["Hola","Mundo"]}""");

        var reply = await engine.TranslateAsync(["Hello", "World"], null, "es", TestContext.Current.CancellationToken);

        Assert.Equal(["Hola", "Mundo"], reply.Texts);
        Assert.Equal("http://127.0.0.1:9/translate", answer.Request!.RequestUri!.AbsoluteUri);
        Assert.Contains("\"source\":\"auto\"", answer.RequestBody, StringComparison.Ordinal);
    }

    public static TheoryData<string, HttpStatusCode, string, EngineFailureKind, string> Failures => new()
    {
        { "deepl", HttpStatusCode.OK, """{"translations":[{"text":"only one"}]}""", EngineFailureKind.Failed, "reply does not have one translation per text" },
        { "libre", HttpStatusCode.OK, """{"translatedText":["only one"]}""", EngineFailureKind.Failed, "reply does not have one translation per text" },
        { "deepl", HttpStatusCode.OK, "not json", EngineFailureKind.Failed, "unreadable reply: " },
        { "libre", HttpStatusCode.OK, "{\"translatedText\": 5}", EngineFailureKind.Failed, "unreadable reply: " },
        { "libre", HttpStatusCode.OK, "null", EngineFailureKind.Failed, "reply does not have one translation per text" },
        { "deepl", HttpStatusCode.TooManyRequests, "", EngineFailureKind.RateLimited, "HTTP 429" },
        { "libre", HttpStatusCode.InternalServerError, "", EngineFailureKind.Failed, "HTTP 500" },
    };

    [Theory, MemberData(nameof(Failures))]
    public async Task A_reply_that_does_not_fit_is_a_failure_with_its_reason(string name, HttpStatusCode status, string body, EngineFailureKind kind, string message)
    {
        var (engine, _) = Engine(name, status, body);

        var reply = await engine.TranslateAsync(["a", "b"], "en", "de", TestContext.Current.CancellationToken);

        Assert.Null(reply.Texts);
        Assert.Equal(kind, reply.Failure!.Kind);
        Assert.StartsWith(message, reply.Failure.Message, StringComparison.Ordinal);
    }
}
