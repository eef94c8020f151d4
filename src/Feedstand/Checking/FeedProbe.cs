using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Feedstand.Crawling;
using Feedstand.Feeds.Checking;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Checking;

/// <summary>The body and the HTTP record of a probe.</summary>
public sealed record ProbeResult(HttpFacts Http, byte[]? Body);

/// <summary>
/// Fetches a feed for the check and records how it was served: every redirect hop, the headers that
/// matter to readers, the time to first byte, the bytes on the wire and decompressed, and then a second,
/// conditional request with the validators of the first, to see whether the server really answers 304.
/// Uses the fetcher's HTTP client, so every connection goes through the <see cref="AddressGuard"/>.
/// </summary>
public sealed class FeedProbe(IHttpClientFactory httpClientFactory, IOptions<FeedstandOptions> options, TimeProvider clock)
{
    private const string Accept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

    private readonly FeedstandOptions _options = options.Value;

    public async Task<ProbeResult> ProbeAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var current) || current.Scheme is not ("http" or "https"))
        {
            return new ProbeResult(new HttpFacts { RequestedUrl = url, FinalUrl = url, Error = "not an http(s) URL" }, null);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.FetchTimeoutSeconds));
        var client = httpClientFactory.CreateClient(FeedFetcher.ClientName);
        var hops = new List<RedirectHop>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = NewRequest(current, null, null);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    hops.Add(new RedirectHop(status, current.AbsoluteUri, next.AbsoluteUri));
                    if (hop >= FeedFetcher.MaxRedirects)
                    {
                        return Failed(url, current, hops, status, "too many redirects");
                    }
                    current = next;
                    continue;
                }
                var ttfb = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var facts = new HttpFacts
                {
                    RequestedUrl = url,
                    FinalUrl = current.AbsoluteUri,
                    Status = status,
                    Redirects = hops,
                    ContentType = response.Content.Headers.ContentType?.ToString(),
                    ContentEncoding = response.Content.Headers.ContentEncoding.LastOrDefault(),
                    ETag = response.Headers.ETag?.ToString(),
                    LastModified = response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture),
                    CacheControl = response.Headers.CacheControl?.ToString(),
                    TimeToFirstByteMs = Math.Round(ttfb, 1),
                    RetryAfterSeconds = RetryAfter(response),
                };
                if (status is < 200 or >= 300)
                {
                    return new ProbeResult(facts with { Error = $"HTTP {status}" }, null);
                }
                var (body, wire) = await ReadBodyAsync(response, facts.ContentEncoding, timeout.Token).ConfigureAwait(false);
                facts = facts with { BodyBytes = body.Length, WireBytes = wire };
                if (facts.ETag is not null || facts.LastModified is not null)
                {
                    using var conditional = NewRequest(current, facts.ETag, facts.LastModified);
                    using var second = await client.SendAsync(conditional, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    facts = facts with { ConditionalStatus = (int)second.StatusCode };
                }
                return new ProbeResult(facts, body);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed(url, current, hops, null, $"timed out after {_options.FetchTimeoutSeconds} s");
        }
        catch (HttpRequestException ex)
        {
            var message = ex.InnerException is AddressRefusedException refused ? refused.Message : ex.Message;
            return Failed(url, current, hops, null, message);
        }
        catch (InvalidDataException ex)
        {
            return Failed(url, current, hops, null, "corrupt compressed body: " + ex.Message);
        }
    }

    private static ProbeResult Failed(string url, Uri current, List<RedirectHop> hops, int? status, string error) =>
        new(new HttpFacts { RequestedUrl = url, FinalUrl = current.AbsoluteUri, Redirects = hops, Status = status, Error = error }, null);

    private static HttpRequestMessage NewRequest(Uri url, string? etag, string? lastModified)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", "Feedstand-check/1.0");
        request.Headers.TryAddWithoutValidation("Accept", Accept);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }
        if (lastModified is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
        }
        return request;
    }

    private double? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return Math.Max(0, delta.TotalSeconds);
        }
        if (header?.Date is { } date)
        {
            return Math.Max(0, (date - clock.GetUtcNow()).TotalSeconds);
        }
        return null;
    }

    private async Task<(byte[] Body, long Wire)> ReadBodyAsync(HttpResponseMessage response, string? encoding, CancellationToken ct)
    {
        var network = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var wire = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await network.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                wire.Write(buffer, 0, read);
                if (wire.Length > _options.MaxBodyBytes)
                {
                    throw new HttpRequestException($"response larger than {_options.MaxBodyBytes} bytes");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var wireLength = wire.Length;
        wire.Position = 0;
        Stream? decoder = encoding?.ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => new GZipStream(wire, CompressionMode.Decompress),
            "deflate" => new ZLibStream(wire, CompressionMode.Decompress),
            "br" => new BrotliStream(wire, CompressionMode.Decompress),
            _ => null,
        };
        if (decoder is null)
        {
            return (wire.ToArray(), wireLength);
        }
        await using (decoder.ConfigureAwait(false))
        {
            using var plain = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            while ((n = await decoder.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                plain.Write(chunk, 0, n);
                if (plain.Length > _options.MaxBodyBytes)
                {
                    throw new HttpRequestException($"decompressed body larger than {_options.MaxBodyBytes} bytes");
                }
            }
            return (plain.ToArray(), wireLength);
        }
    }
}
