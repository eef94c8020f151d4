using System.IO.Compression;
using System.Text;
using Feedstand.Checking;
using Feedstand.Feeds.Checking;
using Feedstand.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Feedstand.Tests.Checking;

/// <summary>How the loopback server behaves in one case of the HTTP section's tests.</summary>
public sealed record Switches(bool ETag = false, bool Honour304 = false, bool Gzip = false, int Redirect = 0, string CacheControl = "", string ContentType = "application/rss+xml")
{
    public override string ToString() =>
        $"etag={ETag} 304={Honour304} gzip={Gzip} redirect={Redirect} cache='{CacheControl}' type={ContentType}";
}

public sealed class FeedProbeTests : IAsyncLifetime
{
    private static readonly string Feed = """<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title><link>https://a.example/</link><description>D</description>"""
        + string.Concat(Enumerable.Range(1, 20).Select(i => $"<item><title>Post {i}</title><guid>https://a.example/{i}</guid><description>Some words about post {i}, long enough to compress.</description></item>"))
        + "</channel></rss>";

    private readonly FakeTimeProvider _clock = new(TestApp.Start);
    private FeedServer _server = null!;
    private ServiceProvider _services = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _services = TestApp.ServicesWithoutDatabase(_clock);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private void Serve(string path, Switches switches)
    {
        var body = Encoding.UTF8.GetBytes(Feed);
        _server.Map(path, async context =>
        {
            if (switches.ETag)
            {
                if (switches.Honour304 && context.Request.Headers.IfNoneMatch == "\"v1\"")
                {
                    context.Response.StatusCode = 304;
                    return;
                }
                context.Response.Headers.ETag = "\"v1\"";
            }
            if (switches.CacheControl.Length > 0)
            {
                context.Response.Headers.CacheControl = switches.CacheControl;
            }
            context.Response.ContentType = switches.ContentType;
            var bytes = body;
            if (switches.Gzip && context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal))
            {
                using var buffer = new MemoryStream();
                using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
                {
                    gzip.Write(body);
                }
                bytes = buffer.ToArray();
                context.Response.Headers.ContentEncoding = "gzip";
            }
            await context.Response.Body.WriteAsync(bytes);
        });
    }

    public static TheoryData<Switches, string[], string[]> Cases => new()
    {
        { new Switches(ETag: true, Honour304: true, Gzip: true, CacheControl: "max-age=600"), ["ConditionalHonoured"], ["NotCompressed", "NoValidators", "NoCacheControl", "ConditionalNotHonoured", "TemporaryRedirect"] },
        { new Switches(ETag: true, Honour304: false), ["ConditionalNotHonoured", "NotCompressed", "NoCacheControl"], ["ConditionalHonoured"] },
        { new Switches(), ["NoValidators", "NotCompressed"], ["ConditionalHonoured", "ConditionalNotHonoured"] },
        { new Switches(ETag: true, Honour304: true, Redirect: 302), ["TemporaryRedirect", "ConditionalHonoured"], ["PermanentRedirect"] },
        { new Switches(ETag: true, Honour304: true, Redirect: 301), ["PermanentRedirect"], ["TemporaryRedirect"] },
        { new Switches(ContentType: "text/html"), ["UnexpectedContentType"], [] },
    };

    [Theory, MemberData(nameof(Cases))]
    public async Task The_http_section_reports_how_the_server_behaves(Switches switches, string[] expected, string[] absent)
    {
        Serve("/feed.xml", switches);
        var url = _server.Url("/feed.xml");
        if (switches.Redirect != 0)
        {
            _server.MapRedirect("/old.xml", switches.Redirect, url);
            url = _server.Url("/old.xml");
        }
        var probe = _services.GetRequiredService<FeedProbe>();

        var probed = await probe.ProbeAsync(url, TestContext.Current.CancellationToken);
        var report = FeedChecker.Check(probed.Body!, new CheckInput { Url = probed.Http.FinalUrl, ContentType = probed.Http.ContentType, Http = probed.Http });

        Assert.NotNull(probed.Body);
        Assert.Equal(200, probed.Http.Status);
        Assert.True(probed.Http.TimeToFirstByteMs >= 0);
        Assert.Equal(20, report.Readers!.Items);
        var ids = report.Findings.Where(f => f.Section == CheckSection.Http).Select(f => f.Id).ToList();
        foreach (var id in expected)
        {
            Assert.Contains(id, ids);
        }
        foreach (var id in absent)
        {
            Assert.DoesNotContain(id, ids);
        }
        Assert.Equal(switches.Gzip ? "gzip" : null, probed.Http.ContentEncoding);
        Assert.Equal(switches.Redirect == 0 ? 0 : 1, probed.Http.Redirects.Count);
        if (switches.Gzip)
        {
            Assert.True(probed.Http.WireBytes < probed.Http.BodyBytes);
        }
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_busy_server_asking_to_wait_is_reported_with_its_retry_after(int status)
    {
        _server.MapStatus("/busy.xml", status, response => response.Headers.RetryAfter = "120");
        var probe = _services.GetRequiredService<FeedProbe>();

        var probed = await probe.ProbeAsync(_server.Url("/busy.xml"), TestContext.Current.CancellationToken);
        var report = FeedChecker.Check(ReadOnlyMemory<byte>.Empty, new CheckInput { Http = probed.Http });

        Assert.Null(probed.Body);
        Assert.Equal(status, probed.Http.Status);
        Assert.Equal(120, probed.Http.RetryAfterSeconds);
        Assert.Contains(report.Findings, f => f.Id == "RetryAfter");
        Assert.DoesNotContain(report.Findings, f => f.Id == "RateLimitedWithoutRetryAfter");
    }

    [Fact]
    public async Task A_private_address_is_refused_by_the_guard_unless_allowed()
    {
        await using var guarded = TestApp.ServicesWithoutDatabase(_clock, new Dictionary<string, string?> { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });
        Serve("/feed.xml", new Switches());

        var probed = await guarded.GetRequiredService<FeedProbe>().ProbeAsync(_server.Url("/feed.xml"), TestContext.Current.CancellationToken);

        Assert.Null(probed.Body);
        Assert.NotNull(probed.Http.Error);
        Assert.Equal(0, _server.CountOf("/feed.xml"));
    }
}
