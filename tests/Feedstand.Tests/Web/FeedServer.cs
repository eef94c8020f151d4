using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Feedstand.Tests.Web;

/// <summary>A loopback server started by the test: the fixture feed, a page with one feed, a page with two.</summary>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FeedServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public string Url(string path) => new Uri(Address, path).AbsoluteUri;

    public static async Task<FeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fixture = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "data", "fixtures", "irrational-exuberance.rss"));
        app.MapGet("/blog/posts.rss", () => Results.Bytes(fixture, "application/rss+xml"));
        app.MapGet("/blog/notes.rss", () => Results.Bytes(fixture, "application/rss+xml"));
        app.MapGet("/one.html", () => Results.Content(
            """<!doctype html><html><head><title>One</title><link rel="alternate" type="application/rss+xml" href="/blog/posts.rss"></head><body>hi</body></html>""",
            "text/html"));
        app.MapGet("/two.html", () => Results.Content(
            """<!doctype html><html><head><title>Two</title><link rel="alternate" type="application/rss+xml" title="Posts" href="/blog/posts.rss"><link rel="alternate" type="application/atom+xml" title="Notes" href="/blog/notes.rss"></head><body>hi</body></html>""",
            "text/html"));
        app.MapGet("/plain.html", () => Results.Content("<!doctype html><html><head><title>None</title></head><body>no feed</body></html>", "text/html"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FeedServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
