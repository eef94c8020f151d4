using System.Security.Cryptography;
using System.Text;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Media;

/// <summary>What the proxy answers: an image, or a status with a message saying why not.</summary>
public sealed record MediaAnswer(CachedMedia? Image, int Status, string? Problem)
{
    public static MediaAnswer Of(CachedMedia image) => new(image, StatusCodes.Status200OK, null);
    public static MediaAnswer Refused(int status, string problem) => new(null, status, problem);
}

/// <summary>
/// The media proxy behind <c>/media/…</c>: a cached image while it is fresh, else one fetch through
/// <see cref="FeedFetcher.FetchImageAsync"/> (SSRF guard on every hop, host limits, size and time caps),
/// accepted only when the Content-Type says image and the bytes are one of <see cref="ImageTypes"/>.
/// A failed fetch serves the stale copy when there is one.
/// </summary>
public sealed class MediaProxy(FeedstandDb db, FeedFetcher fetcher, WriteLock writeLock, IOptions<FeedstandOptions> options, TimeProvider clock)
{
    private readonly FeedstandOptions _options = options.Value;

    public async Task<MediaAnswer> GetAsync(string url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return MediaAnswer.Refused(StatusCodes.Status400BadRequest, "not an absolute http or https URL");
        }
        var hash = HashOf(url);
        var now = clock.GetUtcNow();
        var cached = await db.MediaCache.AsNoTracking().SingleOrDefaultAsync(m => m.UrlHash == hash, ct).ConfigureAwait(false);
        if (cached is not null && cached.ExpiresAt > now)
        {
            return MediaAnswer.Of(cached);
        }

        using var fetched = await fetcher.FetchImageAsync(url, ct).ConfigureAwait(false);
        var refused = Check(fetched, out var type);
        if (refused is not null)
        {
            // The server is away or failing for now: yesterday's copy is better than nothing.
            var isPassing = fetched.Error?.Kind is FetchErrorKind.Timeout or FetchErrorKind.Connection or FetchErrorKind.Dns or FetchErrorKind.RateLimited
                || fetched.Error is { Kind: FetchErrorKind.HttpStatus, Status: >= 500 };
            return cached is not null && isPassing ? MediaAnswer.Of(cached) : refused;
        }

        var body = fetched.Body.ToArray();
        var image = new CachedMedia
        {
            UrlHash = hash,
            Url = url,
            ContentType = type!,
            Body = body,
            Bytes = body.Length,
            ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16)) + "\"",
            FetchedAt = now,
            ExpiresAt = now + Lifetime(fetched.MaxAge),
        };
        await StoreAsync(image, cached is not null, ct).ConfigureAwait(false);
        return MediaAnswer.Of(image);
    }

    /// <summary>
    /// Why a fetched response is not served (null when it is an image we serve), with its sniffed type.
    /// A bad upstream is never a 5xx of ours: unreachable, failing or slow servers give a 404 naming the
    /// cause, a body that is no image a 415, one too large a 413, a refused address a 403.
    /// </summary>
    public static MediaAnswer? Check(FetchResult fetched, out string? type)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        type = null;
        if (fetched.Error is { } error)
        {
            return error.Kind switch
            {
                FetchErrorKind.InvalidUrl => MediaAnswer.Refused(StatusCodes.Status400BadRequest, error.Message),
                FetchErrorKind.Blocked => MediaAnswer.Refused(StatusCodes.Status403Forbidden, error.Message),
                FetchErrorKind.TooLarge => MediaAnswer.Refused(StatusCodes.Status413PayloadTooLarge, error.Message),
                _ => MediaAnswer.Refused(StatusCodes.Status404NotFound, "image not available: " + error.Message),
            };
        }
        if (!fetched.IsSuccess)
        {
            return MediaAnswer.Refused(StatusCodes.Status404NotFound, "image not available: the server answered without an image");
        }
        if (!ImageTypes.IsImageContentType(fetched.ContentType))
        {
            return MediaAnswer.Refused(StatusCodes.Status415UnsupportedMediaType, $"not an image: the server sent {fetched.ContentType ?? "no Content-Type"}");
        }
        type = ImageTypes.Sniff(fetched.Body.Span);
        return type is null
            ? MediaAnswer.Refused(StatusCodes.Status415UnsupportedMediaType, "not an image the proxy serves (PNG, JPEG, GIF, WebP, AVIF, ICO, BMP or SVG)")
            : null;
    }

    public static string HashOf(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));

    /// <summary>The configured days, or the upstream's max-age when longer (capped at 30 days).</summary>
    private TimeSpan Lifetime(TimeSpan? maxAge)
    {
        var configured = TimeSpan.FromDays(_options.MediaCacheDays);
        return maxAge is { } upstream && upstream > configured ? TimeSpan.FromTicks(Math.Min(upstream.Ticks, TimeSpan.FromDays(30).Ticks)) : configured;
    }

    private async Task StoreAsync(CachedMedia image, bool replaces, CancellationToken ct)
    {
        if (_options.MediaCacheBytes < image.Bytes)
        {
            return;
        }
        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            if (replaces)
            {
                await db.MediaCache.Where(m => m.UrlHash == image.UrlHash).ExecuteDeleteAsync(ct).ConfigureAwait(false);
            }
            db.MediaCache.Add(image);
            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another request (or node) stored the same image a moment ago: theirs serves as well.
                db.ChangeTracker.Clear();
                return;
            }
            db.ChangeTracker.Clear();
            await PruneAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps the cache under MEDIA_CACHE_BYTES: the oldest fetches go first.</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        var total = await db.MediaCache.SumAsync(m => m.Bytes, ct).ConfigureAwait(false);
        if (total <= _options.MediaCacheBytes)
        {
            return;
        }
        var excess = total - _options.MediaCacheBytes;
        var oldest = await db.MediaCache.AsNoTracking().OrderBy(m => m.FetchedAt).Select(m => new { m.UrlHash, m.Bytes }).Take(500).ToListAsync(ct).ConfigureAwait(false);
        var doomed = new List<string>();
        foreach (var row in oldest)
        {
            if (excess <= 0)
            {
                break;
            }
            doomed.Add(row.UrlHash);
            excess -= row.Bytes;
        }
        await db.MediaCache.Where(m => doomed.Contains(m.UrlHash)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
    }
}
