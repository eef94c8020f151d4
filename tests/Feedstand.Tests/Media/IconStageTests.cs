using System.Net;
using System.Net.Sockets;
using Feedstand.Crawling;
using Feedstand.Media;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Feedstand.Tests.Media;

/// <summary>The icon stage on both stores, and the proxy's redirect check, against a loopback server.</summary>
public sealed class IconStageTests : IAsyncLifetime
{
    private FeedServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FeedServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Providers => TestApp.Providers;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private void MapPng(string path) =>
        _server.Map(path, async context =>
        {
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(MediaProxyTests.Png);
        });

    private Task<long> AddStoredFeedAsync(TestApp app, string? iconUrl, string? siteUrl) =>
        app.AddFeedAsync(_server.Url("/feed.xml"), configure: feed =>
        {
            feed.IconUrl = iconUrl;
            feed.SiteUrl = siteUrl;
            feed.FetchState!.LastSuccessAt = app.Clock.GetUtcNow();
        });

    private static Task<FeedIcon?> IconAsync(TestApp app, long feedId) =>
        app.WithDbAsync(db => db.FeedIcons.AsNoTracking().SingleOrDefaultAsync(i => i.FeedId == feedId, Ct));

    [Theory, MemberData(nameof(Providers))]
    public async Task The_feeds_own_image_is_stored_and_not_fetched_again_within_a_week(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        MapPng("/logo.png");
        var feedId = await AddStoredFeedAsync(app, _server.Url("/logo.png"), _server.Url("/"));

        Assert.Equal(1, await app.Get<IconStage>().RunOnceAsync(Ct));
        Assert.Equal(0, await app.Get<IconStage>().RunOnceAsync(Ct));
        app.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, await app.Get<IconStage>().RunOnceAsync(Ct));

        var icon = await IconAsync(app, feedId);
        Assert.Equal(MediaProxyTests.Png, icon!.Body);
        Assert.Equal("image/png", icon.ContentType);
        Assert.Equal(_server.Url("/logo.png"), icon.SourceUrl);
        Assert.Null(icon.Error);
        Assert.Equal(2, _server.CountOf("/logo.png"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Without_a_feed_image_the_site_pages_icon_link_is_used(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/site/", """<!doctype html><html><head><link rel="icon" href="/static/fav.png"></head><body>hi</body></html>""", "text/html");
        MapPng("/static/fav.png");
        var feedId = await AddStoredFeedAsync(app, null, _server.Url("/site/"));

        await app.Get<IconStage>().RunOnceAsync(Ct);

        var icon = await IconAsync(app, feedId);
        Assert.Equal(_server.Url("/static/fav.png"), icon!.SourceUrl);
        Assert.Equal(MediaProxyTests.Png, icon.Body);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_site_without_any_icon_records_the_attempt_without_a_body(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/bare/", "<!doctype html><html><head><title>t</title></head><body>hi</body></html>", "text/html");
        _server.MapDocument("/favicon.ico", "<!doctype html><html><body>not an icon</body></html>", "text/html");
        var feedId = await AddStoredFeedAsync(app, _server.Url("/gone.png"), _server.Url("/bare/"));

        await app.Get<IconStage>().RunOnceAsync(Ct);

        var icon = await IconAsync(app, feedId);
        Assert.Null(icon!.Body);
        Assert.Equal(_server.Url("/favicon.ico"), icon.SourceUrl);
        Assert.Contains("not an image", icon.Error, StringComparison.Ordinal);
        Assert.Equal(1, _server.CountOf("/gone.png"));
        Assert.Equal(0, await app.Get<IconStage>().RunOnceAsync(Ct));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_redirect_to_a_private_address_is_refused_by_the_guard(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        MapPng("/private.png");
        _server.MapRedirect("/hop.png", 302, _server.Url("/private.png"));
        await using var services = ServicesWithPublicAlias(app.ConnectionString, "public.test", _server.BaseUri.Port);
        await using var scope = services.CreateAsyncScope();

        var answer = await scope.ServiceProvider.GetRequiredService<MediaProxy>()
            .GetAsync($"http://public.test:{_server.BaseUri.Port}/hop.png", Ct);

        Assert.Equal(403, answer.Status);
        Assert.Contains("private address", answer.Problem, StringComparison.Ordinal);
        Assert.Equal(1, _server.CountOf("/hop.png"));
        Assert.Equal(0, _server.CountOf("/private.png"));
    }

    /// <summary>
    /// Private addresses refused, except that <paramref name="alias"/> connects to the loopback
    /// server, as a public host would: its redirects then meet the real guard.
    /// </summary>
    private static ServiceProvider ServicesWithPublicAlias(string connectionString, string alias, int port)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DB"] = connectionString,
            ["ALLOW_PRIVATE_ADDRESSES"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddFeedstand(configuration);
        services.AddHttpClient(FeedFetcher.ClientName).ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = async (context, ct) =>
            {
                if (context.DnsEndPoint.Host != alias)
                {
                    return await sp.GetRequiredService<AddressGuard>().ConnectAsync(context, ct);
                }
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        return services.BuildServiceProvider();
    }
}
