using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Feedstand.Tests.Infrastructure;

/// <summary>One request as the server saw it.</summary>
public sealed record SeenRequest(string Path, string? UserAgent, string? IfNoneMatch, string? IfModifiedSince, string? AcceptEncoding);

/// <summary>
/// A real Kestrel on 127.0.0.1, port 0, scripted per path: each test maps the paths it needs
/// to handlers (and may change them between polls) and reads back what was requested.
/// </summary>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    private FeedServer(WebApplication app)
    {
        _app = app;
        app.Run(async context =>
        {
            var path = context.Request.Path.Value + context.Request.QueryString.Value;
            _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
            Requests.Enqueue(new SeenRequest(path, context.Request.Headers.UserAgent, context.Request.Headers.IfNoneMatch,
                context.Request.Headers.IfModifiedSince, context.Request.Headers.AcceptEncoding));
            if (_routes.TryGetValue(path, out var handler) || _routes.TryGetValue(context.Request.Path.Value!, out handler))
            {
                await handler(context);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
    }

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<FeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var server = new FeedServer(builder.Build());
        await server._app.StartAsync();
        server.BaseUri = new Uri(server._app.Urls.First());
        return server;
    }

    public string Url(string path) => new Uri(BaseUri, path).AbsoluteUri;

    /// <summary>
    /// A server with a small site: the fixture feed at /blog/posts.rss and /blog/notes.rss, a page
    /// linking to one feed (/one.html), one linking to two (/two.html) and one to none (/plain.html).
    /// </summary>
    public static async Task<FeedServer> StartWithSiteAsync()
    {
        var server = await StartAsync();
        var fixture = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "data", "fixtures", "irrational-exuberance.rss"));
        server.MapDocument("/blog/posts.rss", fixture, etag: null);
        server.MapDocument("/blog/notes.rss", fixture, etag: null);
        server.MapDocument("/one.html",
            """<!doctype html><html><head><title>One</title><link rel="alternate" type="application/rss+xml" href="/blog/posts.rss"></head><body>hi</body></html>""",
            "text/html", etag: null);
        server.MapDocument("/two.html",
            """<!doctype html><html><head><title>Two</title><link rel="alternate" type="application/rss+xml" title="Posts" href="/blog/posts.rss"><link rel="alternate" type="application/atom+xml" title="Notes" href="/blog/notes.rss"></head><body>hi</body></html>""",
            "text/html", etag: null);
        server.MapDocument("/plain.html", "<!doctype html><html><head><title>None</title></head><body>no feed</body></html>", "text/html", etag: null);
        return server;
    }

    public int CountOf(string path) => _counts.TryGetValue(path, out var n) ? n : 0;

    public void Map(string path, RequestDelegate handler) => _routes[path] = handler;

    /// <summary>Serves a document with an ETag and Last-Modified, answering 304 to a matching conditional GET.</summary>
    public void MapDocument(string path, string body, string contentType = "application/rss+xml", string? etag = "\"v1\"")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Map(path, async context =>
        {
            if (etag is not null)
            {
                if (context.Request.Headers.IfNoneMatch == etag)
                {
                    context.Response.StatusCode = 304;
                    context.Response.Headers.ETag = etag;
                    return;
                }
                context.Response.Headers.ETag = etag;
            }
            context.Response.Headers.LastModified = "Sat, 10 Jan 2026 10:00:00 GMT";
            context.Response.ContentType = contentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes);
        });
    }

    public void MapStatus(string path, int status, Action<HttpResponse>? headers = null) =>
        Map(path, context =>
        {
            context.Response.StatusCode = status;
            headers?.Invoke(context.Response);
            return Task.CompletedTask;
        });

    public void MapRedirect(string path, int status, string location) =>
        MapStatus(path, status, response => response.Headers.Location = location);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
