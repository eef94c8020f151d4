using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

// bench/websub: a WebSub hub and publisher on loopback. It serves /feed.xml naming its /hub,
// verifies the subscription Feedstand asks for (echoed challenge), then pushes PUSHES signed fat
// pings of one new post each and times, for each, from the push to the post's title on the
// preview page (GET APP/feeds/{slug}, polled every 10 ms).
// Usage: dotnet WebSubBench.dll HUB_PORT APP_URL PUSHES SLUG_FILE
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: WebSubBench HUB_PORT APP_URL PUSHES SLUG_FILE");
    return 1;
}
var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var appUrl = args[1].TrimEnd('/');
var pushes = int.Parse(args[2], CultureInfo.InvariantCulture);
var slugFile = args[3];
var hubUrl = $"http://127.0.0.1:{port}/hub";
var topic = $"http://127.0.0.1:{port}/feed.xml";

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
var app = builder.Build();
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var subscribed = new TaskCompletionSource<(string Callback, string Secret)>(TaskCreationOptions.RunContinuationsAsynchronously);

app.MapGet("/feed.xml", () => Results.Text(Atom([("urn:bench:0", "Bench post zero")]), "application/atom+xml"));
app.MapPost("/hub", async (HttpRequest request) =>
{
    var form = await request.ReadFormAsync();
    var callback = form["hub.callback"].ToString();
    var secret = form["hub.secret"].ToString();
    if (form["hub.mode"] != "subscribe" || form["hub.topic"] != topic || callback.Length == 0 || secret.Length == 0)
    {
        return Results.BadRequest("unexpected request");
    }
    _ = Task.Run(async () =>
    {
        // Verification of intent, after the 202.
        var challenge = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var url = $"{callback}?hub.mode=subscribe&hub.topic={Uri.EscapeDataString(topic)}&hub.challenge={challenge}&hub.lease_seconds=86400";
        var answer = await http.GetStringAsync(url);
        if (answer.Trim() == challenge)
        {
            subscribed.TrySetResult((callback, secret));
        }
        else
        {
            subscribed.TrySetException(new InvalidOperationException("the callback did not echo the challenge"));
        }
    });
    return Results.StatusCode(202);
});
await app.StartAsync();
Console.Error.WriteLine($"hub on {hubUrl}");

var (callbackUrl, key) = await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(120));
while (!File.Exists(slugFile) || new FileInfo(slugFile).Length == 0)
{
    await Task.Delay(50);
}
var slug = (await File.ReadAllTextAsync(slugFile)).Trim();
Console.Error.WriteLine($"subscribed: feed {slug}, callback {callbackUrl}");

var timings = new List<double>();
for (var i = 1; i <= pushes; i++)
{
    var title = $"Bench post {i} {Guid.NewGuid():N}";
    var body = Encoding.UTF8.GetBytes(Atom([($"urn:bench:{i}", title)]));
    using var content = new ByteArrayContent(body);
    content.Headers.TryAddWithoutValidation("Content-Type", "application/atom+xml");
    using var push = new HttpRequestMessage(HttpMethod.Post, callbackUrl) { Content = content };
    push.Headers.TryAddWithoutValidation("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body)));
    push.Headers.TryAddWithoutValidation("Link", $"<{hubUrl}>; rel=\"hub\", <{topic}>; rel=\"self\"");
    var clock = Stopwatch.StartNew();
    using (var answer = await http.SendAsync(push))
    {
        if ((int)answer.StatusCode / 100 != 2)
        {
            Console.Error.WriteLine($"push {i}: HTTP {(int)answer.StatusCode}");
            return 2;
        }
    }
    while (true)
    {
        var page = await http.GetStringAsync($"{appUrl}/feeds/{slug}");
        if (page.Contains(title, StringComparison.Ordinal))
        {
            break;
        }
        if (clock.Elapsed > TimeSpan.FromSeconds(60))
        {
            Console.Error.WriteLine($"push {i}: not on the page after 60 s");
            return 2;
        }
        await Task.Delay(10);
    }
    timings.Add(clock.Elapsed.TotalMilliseconds);
}
timings.Sort();
double Percentile(double p) => timings[Math.Clamp((int)Math.Ceiling(p * timings.Count) - 1, 0, timings.Count - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT pushes={timings.Count} p50_ms={Percentile(0.5):0} p95_ms={Percentile(0.95):0} max_ms={timings[^1]:0} mean_ms={timings.Average():0}"));
await app.StopAsync();
return 0;

string Atom(IEnumerable<(string Id, string Title)> entries)
{
    var xml = new StringBuilder($"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>WebSub bench</title><id>urn:websub-bench</id><updated>{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}</updated><link rel="alternate" href="https://bench.example/"/><link rel="hub" href="{hubUrl}"/><link rel="self" href="{topic}"/>""");
    foreach (var (id, title) in entries)
    {
        xml.Append(CultureInfo.InvariantCulture, $"""<entry><id>{id}</id><title>{title}</title><link href="https://bench.example/{Uri.EscapeDataString(id)}"/><updated>{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}</updated><content type="html">&lt;p&gt;{title}&lt;/p&gt;</content><author><name>Bench</name></author></entry>""");
    }
    return xml.Append("</feed>").ToString();
}
