using System.Collections.Concurrent;
using System.Net;
using Feedstand.Media;
using Feedstand.Tests.Infrastructure;
using Feedstand.Tests.Web;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Feedstand.Tests.Media;

/// <summary>The signed /media/… proxy and /icons/{slug}, through the real app and a loopback image server.</summary>
public sealed class MediaProxyTests : IAsyncLifetime
{
    /// <summary>A PNG signature and a few bytes: what the sniffer looks at.</summary>
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    private FeedServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FeedServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private void MapBytes(string path, byte[] body, string contentType) =>
        _server.Map(path, async context =>
        {
            context.Response.ContentType = contentType;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });

    private static string SignedPath(TestApp app, string url) => app.Services.GetRequiredService<MediaSigner>().PathFor(url);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_image_is_served_with_its_sniffed_type_and_safe_caching_headers()
    {
        await using var app = await TestApp.StartWebAsync();
        MapBytes("/a.png", Png, "image/png");

        using var response = await app.Client.GetAsync(SignedPath(app, _server.Url("/a.png")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Png, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(MediaEndpoints.MediaPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.InRange(response.Headers.CacheControl.MaxAge!.Value, TimeSpan.FromDays(6), TimeSpan.FromDays(7));
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task The_second_request_comes_from_the_cache_and_a_matching_etag_is_a_304()
    {
        await using var app = await TestApp.StartWebAsync();
        MapBytes("/b.png", Png, "image/png");
        var path = SignedPath(app, _server.Url("/b.png"));

        using var first = await app.Client.GetAsync(path, Ct);
        using var second = await app.Client.GetAsync(path, Ct);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var third = await app.Client.SendAsync(conditional, Ct);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(Png, await second.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, third.StatusCode);
        Assert.Equal(1, _server.CountOf("/b.png"));
    }

    [Fact]
    public async Task The_upstream_request_carries_nothing_of_the_visitor()
    {
        await using var app = await TestApp.StartWebAsync();
        var seen = new ConcurrentBag<UpstreamHeaders>();
        _server.Map("/c.png", async context =>
        {
            seen.Add(new UpstreamHeaders(
                context.Request.Headers.Cookie.ToString(), context.Request.Headers.Referer.ToString(),
                context.Request.Headers["X-Forwarded-For"].ToString(), context.Request.Headers.UserAgent.ToString()));
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(Png);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, SignedPath(app, _server.Url("/c.png")));
        request.Headers.Add("Cookie", "feedstand-admin=secret");
        request.Headers.Referrer = new Uri(app.Address, "/feeds/x");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await app.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = Assert.Single(seen);
        Assert.Equal("", upstream.Cookie);
        Assert.Equal("", upstream.Referer);
        Assert.Equal("", upstream.ForwardedFor);
        Assert.StartsWith("Feedstand/", upstream.UserAgent, StringComparison.Ordinal);
    }

    private sealed record UpstreamHeaders(string Cookie, string Referer, string ForwardedFor, string UserAgent);

    [Fact]
    public async Task A_forged_or_altered_signature_is_refused()
    {
        await using var app = await TestApp.StartWebAsync();
        MapBytes("/d.png", Png, "image/png");
        var parts = SignedPath(app, _server.Url("/d.png")).Split('/');
        var other = SignedPath(app, _server.Url("/other.png")).Split('/');

        using var forged = await app.Client.GetAsync($"/media/{new string('A', 43)}/{parts[3]}", Ct);
        using var swapped = await app.Client.GetAsync($"/media/{other[2]}/{parts[3]}", Ct);
        using var garbage = await app.Client.GetAsync("/media/x/%zz", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("not signed", await forged.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, swapped.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, garbage.StatusCode);
        Assert.Equal(0, _server.CountOf("/d.png"));
    }

    [Fact]
    public async Task A_private_address_is_refused_unless_allowed()
    {
        await using var app = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });
        MapBytes("/e.png", Png, "image/png");

        using var response = await app.Client.GetAsync(SignedPath(app, _server.Url("/e.png")), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("private address", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, _server.CountOf("/e.png"));
    }

    [Fact]
    public async Task Html_is_refused_whether_labelled_html_or_image()
    {
        await using var app = await TestApp.StartWebAsync();
        var html = "<!doctype html><html><body><script>alert(1)</script></body></html>"u8.ToArray();
        MapBytes("/page", html, "text/html");
        MapBytes("/lying.png", html, "image/png");

        using var labelled = await app.Client.GetAsync(SignedPath(app, _server.Url("/page")), Ct);
        using var lying = await app.Client.GetAsync(SignedPath(app, _server.Url("/lying.png")), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, labelled.StatusCode);
        Assert.Contains("text/html", await labelled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, lying.StatusCode);
        Assert.Equal("text/plain", lying.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_oversized_image_is_a_413()
    {
        await using var app = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["MEDIA_MAX_BYTES"] = "2048" });
        MapBytes("/big.png", [.. Png, .. new byte[4096]], "image/png");

        using var response = await app.Client.GetAsync(SignedPath(app, _server.Url("/big.png")), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 2 KB", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_upstream_is_a_404_naming_the_cause_never_a_5xx()
    {
        await using var app = await TestApp.StartWebAsync();
        _server.MapStatus("/broken.png", 500);

        using var broken = await app.Client.GetAsync(SignedPath(app, _server.Url("/broken.png")), Ct);
        using var missing = await app.Client.GetAsync(SignedPath(app, _server.Url("/missing.png")), Ct);

        Assert.Equal(HttpStatusCode.NotFound, broken.StatusCode);
        Assert.Contains("server error (HTTP 500", await broken.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_svg_is_served_sandboxed()
    {
        await using var app = await TestApp.StartWebAsync();
        MapBytes("/s.svg", """<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"""u8.ToArray(), "image/svg+xml");

        using var response = await app.Client.GetAsync(SignedPath(app, _server.Url("/s.svg")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("sandbox; default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task The_signing_key_is_kept_in_the_database_and_survives_a_restart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "feedstand-media-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?> { ["DB"] = $"Data Source={Path.Combine(folder, "f.db")}" };
        string first;
        await using (var app = await TestApp.StartWebAsync(settings))
        {
            first = SignedPath(app, "http://a.example/x.png");
        }
        await using (var again = await TestApp.StartWebAsync(settings))
        {
            Assert.Equal(first, SignedPath(again, "http://a.example/x.png"));
        }
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("http-only", true, false, "img-src 'self' https: data:;")]
    [InlineData("all", true, true, "img-src 'self' data:;")]
    [InlineData("none", false, false, "img-src 'self' https: http: data:;")]
    public async Task The_preview_page_rewrites_images_by_the_mode_and_the_policy_follows(string mode, bool proxiesHttp, bool proxiesHttps, string imgSrc)
    {
        await using var app = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["MEDIA_PROXY"] = mode });
        await app.WithDbAsync(async db =>
        {
            var feed = await TestFeeds.AddAsync(db, "pics", entries: 1);
            feed.Entries[0].ContentHtml = """<p><img src="http://pics.example/a.png" alt="a"> <img src="https://pics.example/b.png" alt="b"></p>""";
            await db.SaveChangesAsync(Ct);
        });

        using var response = await app.Client.GetAsync("/feeds/pics", Ct);
        var page = await TestApp.ParseAsync(response);

        var http = page.QuerySelector(".entry-content img[alt=a]")!.GetAttribute("src")!;
        var https = page.QuerySelector(".entry-content img[alt=b]")!.GetAttribute("src")!;
        Assert.Equal(proxiesHttp, http.StartsWith("/media/", StringComparison.Ordinal));
        Assert.Equal(proxiesHttps, https.StartsWith("/media/", StringComparison.Ordinal));
        Assert.Contains(imgSrc, response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(SecurityHeaders.For(MediaLinks.ParseMode(mode)), response.Headers.GetValues("Content-Security-Policy").Single());
        var stored = await app.WithDbAsync(db => db.Entries.Select(e => e.ContentHtml).SingleAsync(Ct));
        Assert.Contains("src=\"http://pics.example/a.png\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_proxy_off_media_paths_are_a_404()
    {
        await using var app = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["MEDIA_PROXY"] = "none" });
        MapBytes("/f.png", Png, "image/png");

        using var response = await app.Client.GetAsync(SignedPath(app, _server.Url("/f.png")), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, _server.CountOf("/f.png"));
    }

    [Fact]
    public async Task A_feed_without_an_icon_gets_a_letter_avatar_and_a_stored_icon_is_served()
    {
        await using var app = await TestApp.StartWebAsync();
        await app.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "plain", title: "Zebra notes");
            var iconic = await TestFeeds.AddAsync(db, "iconic");
            await db.SaveChangesAsync(Ct);
            db.FeedIcons.Add(new FeedIcon { FeedId = iconic.Id, Body = Png, ContentType = "image/png", ETag = "\"i1\"", FetchedAt = TestFeeds.Newest });
            await db.SaveChangesAsync(Ct);
        });

        using var avatar = await app.Client.GetAsync("/icons/plain", Ct);
        using var icon = await app.Client.GetAsync("/icons/iconic", Ct);
        using var missing = await app.Client.GetAsync("/icons/nope", Ct);
        var page = await app.GetPageAsync("/feeds/plain");

        Assert.Equal("image/svg+xml", avatar.Content.Headers.ContentType!.MediaType);
        var svg = await avatar.Content.ReadAsStringAsync(Ct);
        Assert.Contains(">Z</text>", svg, StringComparison.Ordinal);
        Assert.Contains(LetterAvatar.ColourOf("Zebra notes"), svg, StringComparison.Ordinal);
        Assert.Equal(Png, await icon.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(TimeSpan.FromDays(7), icon.Headers.CacheControl!.MaxAge);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var img = page.QuerySelector("img.feed-icon")!;
        Assert.Equal("/icons/plain", img.GetAttribute("src"));
        Assert.Equal("", img.GetAttribute("alt"));
    }

    [Fact]
    public async Task The_site_has_a_favicon_and_a_web_manifest_linked_from_every_page()
    {
        await using var app = await TestApp.StartWebAsync();

        var page = await app.GetPageAsync("/");
        foreach (var link in page.QuerySelectorAll("link[rel=icon], link[rel=apple-touch-icon], link[rel=manifest]"))
        {
            using var response = await app.Client.GetAsync(link.GetAttribute("href"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using var manifest = await app.Client.GetAsync("/site.webmanifest", Ct);
        using var ico = await app.Client.GetAsync("/favicon.ico", Ct);

        Assert.Equal(4, page.QuerySelectorAll("link[rel=icon], link[rel=apple-touch-icon], link[rel=manifest]").Length);
        Assert.Equal("application/manifest+json", manifest.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"name\": \"Feedstand\"", await manifest.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal([0, 0, 1, 0], (await ico.Content.ReadAsByteArrayAsync(Ct))[..4]);
    }
}
