using System.Buffers;
using Feedstand.Feeds;
using Feedstand.Feeds.Discovery;

namespace Feedstand.Crawling;

public enum FetchErrorKind
{
    InvalidUrl,
    Timeout,
    TooLarge,
    TooManyRedirects,
    RedirectLoop,
    HttpStatus,
    Gone,
    RateLimited,
    Blocked,
    Dns,
    Tls,
    Connection,
    NotAFeed,
    Unparseable,
    Empty,

    /// <summary>Our fault, not the feed's: the refresh threw (a bug, the database away).</summary>
    Crashed,
}

/// <summary>Why a fetch (or the parse after it) failed, in words an admin can act on.</summary>
/// <param name="RetryAfter">What the server asked for with <c>Retry-After</c> (429, 503).</param>
/// <param name="Status">The HTTP status, when there was a response.</param>
public sealed record FetchError(FetchErrorKind Kind, string Message, TimeSpan? RetryAfter = null, int? Status = null)
{
    public override string ToString() => Message;

    /// <summary>Why a response that arrived is not a feed: an HTML page, or the parser's own message.</summary>
    public static FetchError FromParse(FeedParseException exception, FetchResult response)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(response);
        return FeedDiscovery.LooksLikeHtml(response.Body.Span)
            ? new FetchError(FetchErrorKind.NotAFeed, "not a feed: the server returned an HTML page", Status: response.Status)
            : new FetchError(FetchErrorKind.Unparseable, exception.Message, Status: response.Status);
    }

    public static FetchError Crashed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new FetchError(FetchErrorKind.Crashed, $"refresh crashed: {exception.Message}");
    }
}

/// <summary>The validators of the last good response, sent back as a conditional GET.</summary>
public sealed record FetchValidators(string? ETag, string? LastModified);

/// <summary>
/// The outcome of one fetch: a body, "not modified", or an error. The body lives in a pooled
/// buffer until <see cref="Dispose"/>.
/// </summary>
public sealed class FetchResult : IDisposable
{
    private byte[]? _buffer;
    private int _length;

    private FetchResult(string requestedUrl)
    {
        RequestedUrl = requestedUrl;
        FinalUrl = requestedUrl;
    }

    public string RequestedUrl { get; }

    /// <summary>Where the last hop landed, after redirects.</summary>
    public string FinalUrl { get; private set; }

    public FetchError? Error { get; private set; }
    public bool IsNotModified { get; private set; }
    public bool IsSuccess => Error is null && !IsNotModified;

    /// <summary>True when at least one redirect was followed and every one was permanent (301/308).</summary>
    public bool IsPermanentlyMoved { get; private set; }

    public int? Status { get; private set; }
    public string? ContentType { get; private set; }

    /// <summary>The response's <c>Content-Location</c>: the parser resolves relative links against it.</summary>
    public string? ContentLocation { get; private set; }
    public string? ETag { get; private set; }
    public string? LastModified { get; private set; }

    /// <summary><c>Cache-Control: max-age</c> of the response.</summary>
    public TimeSpan? MaxAge { get; private set; }

    /// <summary>The response's <c>Link</c> header values, as sent (WebSub discovery reads <c>rel="hub"</c> and <c>rel="self"</c> there).</summary>
    public IReadOnlyList<string> LinkHeaders { get; private set; } = [];

    /// <summary>Bytes received on the wire (before decompression).</summary>
    public long WireBytes { get; private set; }

    public ReadOnlyMemory<byte> Body => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    internal static FetchResult Failed(string requestedUrl, FetchError error, string? finalUrl = null) =>
        new(requestedUrl) { Error = error, FinalUrl = finalUrl ?? requestedUrl, Status = error.Status };

    internal static FetchResult NotModified(string requestedUrl, ResponseFacts facts) =>
        new FetchResult(requestedUrl) { IsNotModified = true }.With(facts);

    internal static FetchResult Succeeded(string requestedUrl, ResponseFacts facts, byte[] pooledBuffer, int length, long wireBytes) =>
        new FetchResult(requestedUrl) { _buffer = pooledBuffer, _length = length, WireBytes = wireBytes }.With(facts);

    /// <summary>A result around bytes already in memory (tests, previews of uploaded documents).</summary>
    public static FetchResult FromBody(string url, ReadOnlySpan<byte> body, string? contentType = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(body.Length, 1));
        body.CopyTo(buffer);
        return Succeeded(url, new ResponseFacts(url, false, 200, contentType, null, null, null), buffer, body.Length, body.Length);
    }

    private FetchResult With(ResponseFacts facts)
    {
        FinalUrl = facts.FinalUrl;
        IsPermanentlyMoved = facts.IsPermanentlyMoved;
        Status = facts.Status;
        ContentType = facts.ContentType;
        ContentLocation = facts.ContentLocation;
        ETag = facts.ETag;
        LastModified = facts.LastModified;
        MaxAge = facts.MaxAge;
        LinkHeaders = facts.Links ?? [];
        return this;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _length = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

internal sealed record ResponseFacts(
    string FinalUrl, bool IsPermanentlyMoved, int Status, string? ContentType, string? ETag, string? LastModified, TimeSpan? MaxAge,
    string? ContentLocation = null,
    IReadOnlyList<string>? Links = null);
