using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Net.Sockets;
using System.Security.Authentication;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

/// <summary>
/// HTTP for feeds: conditional GET, gzip/deflate/brotli decompressed here under a size cap and
/// a ratio limit, redirects followed by hand (at most 5, loops detected, every hop through
/// the <see cref="AddressGuard"/>), a total time limit, per-host and global concurrency limits.
/// Every failure comes back as a <see cref="FetchError"/> with a specific message.
/// </summary>
public sealed class FeedFetcher(
    IHttpClientFactory httpClientFactory,
    HostLimiter limiter,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<FeedFetcher> logger)
{
    /// <summary>The named client; its handler is configured in <see cref="CrawlingSetup"/>.</summary>
    public const string ClientName = "feeds";

    public const int MaxRedirects = 5;

    /// <summary>The handler's limit on making one connection: the name lookup and the TCP connect.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private const string FeedAccept =
        "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

    private const string PageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

    private const string ImageAccept = "image/avif, image/webp, image/png, image/svg+xml, image/*;q=0.8, */*;q=0.5";

    /// <summary>Below this, a high ratio is harmless (a tiny feed of repeated text compresses well).</summary>
    private const int RatioCheckFloorBytes = 1 << 20;

    private readonly FeedstandOptions _options = options.Value;
    private readonly string _userAgent = $"Feedstand/1.0 (+{options.Value.PublicUrl})";

    /// <summary>Fetches a feed, sending back the validators of the last good response.</summary>
    public Task<FetchResult> FetchAsync(string url, FetchValidators? validators, CancellationToken ct) =>
        FetchAsync(url, validators, FeedAccept, _options.MaxBodyBytes, ct);

    /// <summary>Fetches an HTML page (discovery, site icons): same limits, HTML in the Accept header.</summary>
    public Task<FetchResult> FetchPageAsync(string url, CancellationToken ct) =>
        FetchAsync(url, null, PageAccept, Math.Min(_options.MaxBodyBytes, 2L << 20), ct);

    /// <summary>Fetches an article page for its full text: HTML in the Accept header, conditional GET, the full-text page size limit.</summary>
    public Task<FetchResult> FetchArticleAsync(string url, FetchValidators? validators, CancellationToken ct) =>
        FetchAsync(url, validators, PageAccept, _options.FullTextMaxPageBytes, ct);

    /// <summary>
    /// Fetches an image for the media proxy or the icon stage: same guard, redirects and time limit,
    /// images in the Accept header, the media size limit. Nothing of a visitor's request is sent.
    /// </summary>
    public Task<FetchResult> FetchImageAsync(string url, CancellationToken ct) =>
        FetchAsync(url, null, ImageAccept, _options.MediaMaxBytes, ct);

    private async Task<FetchResult> FetchAsync(string url, FetchValidators? validators, string accept, long maxBytes, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var current))
        {
            return FetchResult.Failed(url, new FetchError(FetchErrorKind.InvalidUrl, $"not a valid absolute URL: {url}"));
        }

        var limit = TimeSpan.FromSeconds(_options.FetchTimeoutSeconds);
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var token = linked.Token;
        var client = httpClientFactory.CreateClient(ClientName);
        var visited = new HashSet<string>(StringComparer.Ordinal) { current.AbsoluteUri };
        var allPermanent = true;
        var started = clock.GetTimestamp();

        try
        {
            for (var hop = 0; ; hop++)
            {
                if (AddressGuard.CheckScheme(current) is { } schemeError)
                {
                    return FetchResult.Failed(url, schemeError, current.AbsoluteUri);
                }

                using var slot = await limiter.AcquireAsync(current.IdnHost, hop == 0 ? ct : token).ConfigureAwait(false);
                if (hop == 0)
                {
                    // The time limit counts from the first byte we may send, not from the wait for a slot.
                    timeout.CancelAfter(limit);
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
                if (validators?.ETag is { Length: > 0 } etag)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }
                if (validators?.LastModified is { Length: > 0 } lastModified)
                {
                    request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                var elapsed = clock.GetElapsedTime(started);
                Log.Fetched(logger, current, status, elapsed.TotalMilliseconds);

                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (response.Headers.Location is not { } location)
                    {
                        return FetchResult.Failed(url, new FetchError(FetchErrorKind.HttpStatus, $"redirect (HTTP {status}) without a Location header", Status: status), current.AbsoluteUri);
                    }
                    if (hop + 1 > MaxRedirects)
                    {
                        return FetchResult.Failed(url, new FetchError(FetchErrorKind.TooManyRedirects, $"too many redirects (more than {MaxRedirects})", Status: status), current.AbsoluteUri);
                    }
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (!visited.Add(next.AbsoluteUri))
                    {
                        return FetchResult.Failed(url, new FetchError(FetchErrorKind.RedirectLoop, $"redirect loop: {current.AbsoluteUri} redirects back to {next.AbsoluteUri}", Status: status), current.AbsoluteUri);
                    }
                    allPermanent &= status is 301 or 308;
                    current = next;
                    continue;
                }

                var facts = new ResponseFacts(
                    current.AbsoluteUri,
                    hop > 0 && allPermanent,
                    status,
                    response.Content.Headers.ContentType?.ToString(),
                    response.Headers.ETag?.ToString(),
                    response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture),
                    response.Headers.CacheControl?.MaxAge,
                    response.Content.Headers.ContentLocation?.OriginalString,
                    response.Headers.TryGetValues("Link", out var links) ? [.. links.Take(20)] : null);

                if (status == 304)
                {
                    return FetchResult.NotModified(url, facts);
                }
                if (status is >= 200 and < 300)
                {
                    return await ReadBodyAsync(url, response, facts, maxBytes, token).ConfigureAwait(false);
                }
                return FetchResult.Failed(url, StatusError(response, status), current.AbsoluteUri);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Our time limit, or the handler's limit on making a connection (name lookup included),
            // which HttpClient reports as a cancellation too.
            var message = timeout.IsCancellationRequested
                ? $"timed out after {FormatSeconds(limit)}"
                : $"could not connect to {current.Host} within {FormatSeconds(ConnectTimeout)}";
            return FetchResult.Failed(url, new FetchError(FetchErrorKind.Timeout, message), current.AbsoluteUri);
        }
        catch (HttpRequestException ex)
        {
            return FetchResult.Failed(url, ConnectionError(ex, current), current.AbsoluteUri);
        }
    }

    private async Task<FetchResult> ReadBodyAsync(string url, HttpResponseMessage response, ResponseFacts facts, long maxBytes, CancellationToken ct)
    {
        var encoding = response.Content.Headers.ContentEncoding.LastOrDefault()?.Trim().ToLowerInvariant();
        var isCompressed = encoding is "gzip" or "x-gzip" or "deflate" or "br";
        if (encoding is not (null or "" or "identity") && !isCompressed)
        {
            return FetchResult.Failed(url, new FetchError(FetchErrorKind.Unparseable, $"unsupported Content-Encoding: {encoding}", Status: facts.Status), facts.FinalUrl);
        }
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            return FetchResult.Failed(url, TooLarge(maxBytes, facts.Status), facts.FinalUrl);
        }

        var network = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using var wire = new CountingStream(network);
        Stream body = encoding switch
        {
            "gzip" or "x-gzip" => new GZipStream(wire, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(wire, CompressionMode.Decompress, leaveOpen: true),
            "br" => new BrotliStream(wire, CompressionMode.Decompress, leaveOpen: true),
            _ => wire,
        };

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = 0;
        var handedOver = false;
        try
        {
            await using (body.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    var read = await body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    length += read;
                    if (length > maxBytes)
                    {
                        return FetchResult.Failed(url, TooLarge(maxBytes, facts.Status), facts.FinalUrl);
                    }
                    if (isCompressed && length > RatioCheckFloorBytes && length > wire.BytesRead * _options.MaxDecompressionRatio)
                    {
                        return FetchResult.Failed(url, new FetchError(FetchErrorKind.TooLarge,
                            $"refused: the {encoding} body expands more than {_options.MaxDecompressionRatio} times (a decompression bomb?)", Status: facts.Status), facts.FinalUrl);
                    }
                }
            }
            if (length == 0)
            {
                return FetchResult.Failed(url, new FetchError(FetchErrorKind.Empty, "empty response body", Status: facts.Status), facts.FinalUrl);
            }
            handedOver = true;
            return FetchResult.Succeeded(url, facts, buffer, length, wire.BytesRead);
        }
        catch (InvalidDataException ex)
        {
            return FetchResult.Failed(url, new FetchError(FetchErrorKind.Unparseable, $"corrupt {encoding} body: {ex.Message}", Status: facts.Status), facts.FinalUrl);
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            return FetchResult.Failed(url, new FetchError(FetchErrorKind.Connection, $"connection lost while reading the body: {ex.Message}", Status: facts.Status), facts.FinalUrl);
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private FetchError StatusError(HttpResponseMessage response, int status)
    {
        var retryAfter = RetryAfter(response);
        return status switch
        {
            410 => new FetchError(FetchErrorKind.Gone, "gone: the server says the feed was removed for good (HTTP 410)", Status: status),
            429 => new FetchError(FetchErrorKind.RateLimited,
                retryAfter is { } wait ? $"rate limited (HTTP 429): asked to retry after {FormatSeconds(wait)}" : "rate limited (HTTP 429)", retryAfter, status),
            503 => new FetchError(FetchErrorKind.RateLimited,
                retryAfter is { } wait ? $"service unavailable (HTTP 503): asked to retry after {FormatSeconds(wait)}" : "service unavailable (HTTP 503)", retryAfter, status),
            404 => new FetchError(FetchErrorKind.HttpStatus, "not found (HTTP 404)", Status: status),
            401 or 403 => new FetchError(FetchErrorKind.HttpStatus, $"access denied (HTTP {status})", Status: status),
            >= 500 => new FetchError(FetchErrorKind.HttpStatus, $"server error (HTTP {status} {response.ReasonPhrase})", Status: status),
            _ => new FetchError(FetchErrorKind.HttpStatus, $"unexpected response (HTTP {status} {response.ReasonPhrase})", Status: status),
        };
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    private static FetchError ConnectionError(HttpRequestException ex, Uri uri)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case AddressRefusedException refused:
                    return new FetchError(FetchErrorKind.Blocked, refused.Message);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return new FetchError(FetchErrorKind.Dns, $"cannot resolve {uri.Host}: no such host");
                case AuthenticationException tls:
                    return new FetchError(FetchErrorKind.Tls, $"TLS error with {uri.Host}: {tls.Message}");
                case SocketException socket:
                    return new FetchError(FetchErrorKind.Connection, $"cannot connect to {uri.Host}: {socket.Message}");
                default:
                    break;
            }
        }
        if (ex.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            return new FetchError(FetchErrorKind.Dns, $"cannot resolve {uri.Host}: no such host");
        }
        if (ex.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            return new FetchError(FetchErrorKind.Tls, $"TLS error with {uri.Host}: {ex.Message}");
        }
        return new FetchError(FetchErrorKind.Connection, $"connection to {uri.Host} failed: {ex.Message}");
    }

    private static FetchError TooLarge(long maxBytes, int status) =>
        new(FetchErrorKind.TooLarge, $"response larger than {FormatBytes(maxBytes)}", Status: status);

    internal static string FormatSeconds(TimeSpan span) =>
        span.TotalSeconds < 120
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min");

    internal static string FormatBytes(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MB")
        : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 10} KB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");

    /// <summary>Counts the compressed bytes read, for the decompression-ratio limit.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            BytesRead += read;
            return read;
        }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
