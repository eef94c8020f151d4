using System.IO.Compression;
using System.Text;
using Feedstand.Crawling;
using Feedstand.Settings;
using Feedstand.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Feedstand.Tests.Crawling;

public sealed class FeedFetcherTests : IAsyncLifetime
{
    private const string Feed = """<rss version="2.0"><channel><title>T</title></channel></rss>""";

    private readonly FakeTimeProvider _clock = new(TestApp.Start);
    private FeedServer _server = null!;
    private ServiceProvider _services = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _services = TestApp.ServicesWithoutDatabase(_clock, new Dictionary<string, string?> { ["MAX_BODY_BYTES"] = "65536" });
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private FeedFetcher Fetcher => _services.GetRequiredService<FeedFetcher>();

    private Task<FetchResult> FetchAsync(string path, FetchValidators? validators = null) =>
        Fetcher.FetchAsync(_server.Url(path), validators, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_feed_comes_back_with_its_body_type_and_validators()
    {
        _server.MapDocument("/feed.xml", Feed);

        using var result = await FetchAsync("/feed.xml");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(Feed, Encoding.UTF8.GetString(result.Body.Span));
        Assert.Equal("application/rss+xml", result.ContentType);
        Assert.Equal("\"v1\"", result.ETag);
        Assert.Equal("Sat, 10 Jan 2026 10:00:00 GMT", result.LastModified);
        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task Requests_name_feedstand_and_its_url_and_accept_compression()
    {
        _server.MapDocument("/feed.xml", Feed);

        using var result = await FetchAsync("/feed.xml");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("Feedstand/1.0 (+https://feedstand.test)", request.UserAgent);
        Assert.Equal("gzip, deflate, br", request.AcceptEncoding);
    }

    [Fact]
    public async Task Validators_are_sent_back_and_304_means_not_modified()
    {
        _server.MapDocument("/feed.xml", Feed, etag: "\"abc\"");

        using var result = await FetchAsync("/feed.xml", new FetchValidators("\"abc\"", "Sat, 10 Jan 2026 10:00:00 GMT"));

        Assert.True(result.IsNotModified);
        Assert.Null(result.Error);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("\"abc\"", request.IfNoneMatch);
        Assert.Equal("Sat, 10 Jan 2026 10:00:00 GMT", request.IfModifiedSince);
    }

    [Fact]
    public async Task A_chain_of_301_and_308_lands_on_the_feed_and_counts_as_moved()
    {
        _server.MapRedirect("/old", 301, "/older");
        _server.MapRedirect("/older", 308, _server.Url("/feed.xml"));
        _server.MapDocument("/feed.xml", Feed);

        using var result = await FetchAsync("/old");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(_server.Url("/feed.xml"), result.FinalUrl);
        Assert.True(result.IsPermanentlyMoved);
    }

    [Fact]
    public async Task A_temporary_redirect_in_the_chain_is_not_a_move()
    {
        _server.MapRedirect("/old", 301, "/temp");
        _server.MapRedirect("/temp", 302, "/feed.xml");
        _server.MapDocument("/feed.xml", Feed);

        using var result = await FetchAsync("/old");

        Assert.True(result.IsSuccess);
        Assert.False(result.IsPermanentlyMoved);
    }

    [Fact]
    public async Task A_redirect_loop_is_detected()
    {
        _server.MapRedirect("/a", 302, "/b");
        _server.MapRedirect("/b", 302, "/a");

        using var result = await FetchAsync("/a");

        Assert.Equal(FetchErrorKind.RedirectLoop, result.Error?.Kind);
        Assert.Contains("redirect loop", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_five_redirects_are_refused()
    {
        for (var i = 0; i < 7; i++)
        {
            _server.MapRedirect($"/r{i}", 301, $"/r{i + 1}");
        }

        using var result = await FetchAsync("/r0");

        Assert.Equal(FetchErrorKind.TooManyRedirects, result.Error?.Kind);
        Assert.Equal("too many redirects (more than 5)", result.Error!.Message);
        Assert.Equal(6, _server.Requests.Count);
    }

    public static TheoryData<int, FetchErrorKind, string> Statuses => new()
    {
        { 404, FetchErrorKind.HttpStatus, "not found (HTTP 404)" },
        { 403, FetchErrorKind.HttpStatus, "access denied (HTTP 403)" },
        { 410, FetchErrorKind.Gone, "gone: the server says the feed was removed for good (HTTP 410)" },
        { 500, FetchErrorKind.HttpStatus, "server error (HTTP 500 Internal Server Error)" },
        { 429, FetchErrorKind.RateLimited, "rate limited (HTTP 429)" },
    };

    [Theory, MemberData(nameof(Statuses))]
    public async Task Error_statuses_get_their_own_message(int status, FetchErrorKind kind, string message)
    {
        _server.MapStatus("/feed.xml", status);

        using var result = await FetchAsync("/feed.xml");

        Assert.Equal(kind, result.Error?.Kind);
        Assert.Equal(message, result.Error!.Message);
        Assert.Equal(status, result.Error.Status);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Retry_after_in_seconds_is_reported(int status)
    {
        _server.MapStatus("/feed.xml", status, response => response.Headers.RetryAfter = "7200");

        using var result = await FetchAsync("/feed.xml");

        Assert.Equal(FetchErrorKind.RateLimited, result.Error?.Kind);
        Assert.Equal(TimeSpan.FromHours(2), result.Error!.RetryAfter);
        Assert.Contains("retry after 120 min", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_after_as_a_date_counts_from_now()
    {
        _server.MapStatus("/feed.xml", 429, response => response.Headers.RetryAfter = TestApp.Start.AddMinutes(30).ToString("r"));

        using var result = await FetchAsync("/feed.xml");

        Assert.Equal(TimeSpan.FromMinutes(30), result.Error?.RetryAfter);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Map("/stall", async context =>
        {
            arrived.SetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });

        var fetching = FetchAsync("/stall");
        await arrived.Task.WaitAsync(TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(5));
        using var result = await fetching;

        Assert.Equal(FetchErrorKind.Timeout, result.Error?.Kind);
        Assert.Equal("timed out after 5 s", result.Error!.Message);
    }

    [Fact]
    public async Task An_endless_body_stops_at_the_size_limit()
    {
        _server.Map("/endless", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            var chunk = Encoding.UTF8.GetBytes(new string('x', 8192));
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

        using var result = await FetchAsync("/endless");

        Assert.Equal(FetchErrorKind.TooLarge, result.Error?.Kind);
        Assert.Equal("response larger than 64 KB", result.Error!.Message);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_reading()
    {
        _server.Map("/big", async context =>
        {
            context.Response.ContentLength = 1_000_000;
            await context.Response.Body.WriteAsync(new byte[100]);
        });

        using var result = await FetchAsync("/big");

        Assert.Equal(FetchErrorKind.TooLarge, result.Error?.Kind);
    }

    [Fact]
    public async Task A_gzip_bomb_is_refused()
    {
        await using var services = TestApp.ServicesWithoutDatabase(_clock);
        var bomb = Compress(new byte[50 << 20], level: CompressionLevel.SmallestSize, brotli: false);
        _server.Map("/bomb", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(bomb);
        });

        using var result = await services.GetRequiredService<FeedFetcher>().FetchAsync(_server.Url("/bomb"), null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.TooLarge, result.Error?.Kind);
        Assert.Contains("decompression bomb", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task Compressed_bodies_are_decompressed(string encoding)
    {
        var body = Encoding.UTF8.GetBytes(Feed);
        var compressed = encoding switch
        {
            "gzip" => Compress(body, CompressionLevel.Optimal, brotli: false),
            "br" => Compress(body, CompressionLevel.Optimal, brotli: true),
            _ => Zlib(body),
        };
        _server.Map("/feed.xml", async context =>
        {
            context.Response.Headers.ContentEncoding = encoding;
            await context.Response.Body.WriteAsync(compressed);
        });

        using var result = await FetchAsync("/feed.xml");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(Feed, Encoding.UTF8.GetString(result.Body.Span));
        Assert.Equal(compressed.Length, result.WireBytes);
    }

    [Fact]
    public async Task An_empty_body_is_an_error()
    {
        _server.MapStatus("/empty", 200);

        using var result = await FetchAsync("/empty");

        Assert.Equal(FetchErrorKind.Empty, result.Error?.Kind);
        Assert.Equal("empty response body", result.Error!.Message);
    }

    [Fact]
    public async Task A_closed_port_is_a_connection_error()
    {
        using var result = await Fetcher.FetchAsync("http://127.0.0.1:1/feed", null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.Connection, result.Error?.Kind);
        Assert.StartsWith("cannot connect to 127.0.0.1", result.Error!.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The handler's own limit on making a connection (the name lookup and the TCP connect) ends
    /// in a cancellation the caller did not ask for: a timeout of this fetch, never an exception
    /// (which the refresher once took for the database going away).
    /// </summary>
    [Fact]
    public async Task A_connection_that_cannot_be_made_in_time_is_a_timeout_not_an_exception()
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(50),
            ConnectCallback = async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            },
        };
        var fetcher = new FeedFetcher(new OneClient(handler), _services.GetRequiredService<HostLimiter>(),
            _services.GetRequiredService<IOptions<FeedstandOptions>>(), _clock, NullLogger<FeedFetcher>.Instance);

        using var result = await fetcher.FetchAsync("http://feeds.example/feed.xml", null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.Timeout, result.Error?.Kind);
        Assert.Equal("could not connect to feeds.example within 15 s", result.Error!.Message);
    }

    private sealed class OneClient(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    [Fact]
    public async Task Loopback_is_refused_when_private_addresses_are_not_allowed()
    {
        await using var guarded = TestApp.ServicesWithoutDatabase(_clock, new Dictionary<string, string?> { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });
        _server.MapDocument("/feed.xml", Feed);

        using var result = await guarded.GetRequiredService<FeedFetcher>().FetchAsync(_server.Url("/feed.xml"), null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.Blocked, result.Error?.Kind);
        Assert.Equal("refused: 127.0.0.1 resolves to a private address (127.0.0.1)", result.Error!.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Localhost_by_name_is_refused_too()
    {
        await using var guarded = TestApp.ServicesWithoutDatabase(_clock, new Dictionary<string, string?> { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });

        using var result = await guarded.GetRequiredService<FeedFetcher>().FetchAsync($"http://localhost:{_server.BaseUri.Port}/feed.xml", null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.Blocked, result.Error?.Kind);
        Assert.StartsWith("refused: localhost resolves to a private address", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_is_refused()
    {
        _server.MapRedirect("/old", 301, "file:///etc/passwd");

        using var result = await FetchAsync("/old");

        Assert.Equal(FetchErrorKind.Blocked, result.Error?.Kind);
        Assert.Equal("refused: only http and https URLs are fetched, not file:", result.Error!.Message);
    }

    private static byte[] Compress(byte[] data, CompressionLevel level, bool brotli)
    {
        using var output = new MemoryStream();
        using (Stream compressor = brotli ? new BrotliStream(output, level) : new GZipStream(output, level))
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var compressor = new ZLibStream(output, CompressionLevel.Optimal))
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }
}
