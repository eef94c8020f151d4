using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Feedstand.Api;

/// <summary>
/// A response body with an ETag (a hash of the bytes) and an optional Last-Modified, answered
/// with 304 when the client already has it.
/// </summary>
public sealed class Conditional(byte[] body, string contentType, DateTimeOffset? lastModified) : IResult
{
    public ReadOnlyMemory<byte> Body => body;
    public string ContentType => contentType;

    /// <summary><c>Link</c> header values sent with the body (WebSub's hub and self).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    public static string ETagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToHexStringLower(hash[..12]) + "\"";
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var response = httpContext.Response;
        var etag = ETagOf(body);
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "public, max-age=60";
        if (Links.Count > 0)
        {
            response.Headers.Link = new Microsoft.Extensions.Primitives.StringValues([.. Links]);
        }
        DateTimeOffset? modified = lastModified is { } date
            ? new DateTimeOffset(date.UtcDateTime.Ticks - (date.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero)
            : null;
        if (modified is { } m)
        {
            response.Headers.LastModified = m.ToString("R", CultureInfo.InvariantCulture);
        }
        if (IsNotModified(request, etag, modified))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static bool IsNotModified(HttpRequest request, string etag, DateTimeOffset? modified)
    {
        var headers = request.GetTypedHeaders();
        if (headers.IfNoneMatch.Count > 0)
        {
            foreach (var candidate in headers.IfNoneMatch)
            {
                if (candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false))
                {
                    return true;
                }
            }
            return false;
        }
        return modified is { } m && headers.IfModifiedSince is { } since && m <= since;
    }
}
