using System.Globalization;
using System.Net;
using System.Text;

// bench/refresh: a loopback Kestrel serving FEEDS feeds of ENTRIES entries each, spread over
// HOSTS loopback addresses (127.0.1.1, 127.0.1.2...) so that the refresher's per-host limit
// sees many sites, as in real life. Every feed has an ETag: a second poll gets 304.
// With BENCH_ROTATE_SECONDS=N (bench/soak.sh), every feed gains a new post every N seconds (the
// oldest drops out), so that each refresh cycle writes.
// Usage: dotnet RefreshBench.dll PORT FEEDS ENTRIES HOSTS URL_LIST_FILE
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: RefreshBench PORT FEEDS ENTRIES HOSTS URL_LIST_FILE");
    return 1;
}
var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var feeds = int.Parse(args[1], CultureInfo.InvariantCulture);
var entries = int.Parse(args[2], CultureInfo.InvariantCulture);
var hosts = int.Parse(args[3], CultureInfo.InvariantCulture);
var rotateSeconds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_ROTATE_SECONDS"), out var r) && r > 0 ? r : 0;
var started = DateTimeOffset.UtcNow;
long Version() => rotateSeconds == 0 ? 0 : (long)(DateTimeOffset.UtcNow - started).TotalSeconds / rotateSeconds;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(options =>
{
    for (var h = 1; h <= hosts; h++)
    {
        options.Listen(IPAddress.Parse($"127.0.1.{h}"), port);
    }
});
var app = builder.Build();

var requests = 0L;
var notModified = 0L;
app.MapGet("/f{id:int}.xml", (HttpContext context, int id) =>
{
    Interlocked.Increment(ref requests);
    if (id < 0 || id >= feeds)
    {
        return Results.NotFound();
    }
    var version = Version();
    var etag = $"\"f{id}-v{version + 1}\"";
    if (context.Request.Headers.IfNoneMatch == etag)
    {
        Interlocked.Increment(ref notModified);
        context.Response.Headers.ETag = etag;
        return Results.StatusCode(304);
    }
    context.Response.Headers.ETag = etag;
    return Results.Bytes(Feed(id, entries, version), "application/rss+xml; charset=utf-8");
});
app.MapGet("/stats", () => $"requests={requests} not_modified={notModified}\n");

await app.StartAsync();
await File.WriteAllLinesAsync(args[4], Enumerable.Range(0, feeds).Select(i => $"http://127.0.1.{i % hosts + 1}:{port}/f{i}.xml"));
Console.Error.WriteLine($"serving {feeds} feeds x {entries} entries on {hosts} loopback hosts, port {port}");
await app.WaitForShutdownAsync();
return 0;

static byte[] Feed(int id, int entries, long version)
{
    var newest = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(-id).AddHours(7 * version);
    var xml = new StringBuilder(entries * 1400);
    xml.Append(CultureInfo.InvariantCulture, $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Bench feed {id}</title><link>https://site{id}.example/</link>
        <description>Posts about benchmarks, number {id}</description><language>en</language>
        <image><url>https://site{id}.example/icon.png</url><title>Bench feed {id}</title><link>https://site{id}.example/</link></image>
        """);
    for (var n = 0; n < entries; n++)
    {
        var e = version + n;
        var date = newest.AddHours(-7 * n).ToString("r", CultureInfo.InvariantCulture);
        xml.Append(CultureInfo.InvariantCulture, $"""
            <item><title>Post {e} of feed {id}: measuring things</title><link>https://site{id}.example/posts/{e}</link>
            <guid>https://site{id}.example/posts/{e}</guid><pubDate>{date}</pubDate><author>jane@site{id}.example (Jane Doe)</author>
            <category>bench</category><description><![CDATA[<p>Paragraph one of post {e} with <a href="/posts/{e - 1}">a relative link</a> and <em>emphasis</em>.</p>
            <p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.
            Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.</p>
            <pre><code>for (var i = 0; i &lt; {e}; i++) Console.WriteLine(i);</code></pre>
            <ul><li>one</li><li>two</li></ul><img src="/img/{e}.png" alt="figure {e}"></p>]]></description></item>
            """);
    }
    xml.Append("</channel></rss>");
    return Encoding.UTF8.GetBytes(xml.ToString());
}
