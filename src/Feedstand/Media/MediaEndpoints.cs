using System.Security.Cryptography;
using System.Text;
using Feedstand.Data;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Feedstand.Media;

/// <summary>
/// <c>/media/{signature}/{url}</c>, the signed image proxy, and <c>/icons/{slug}</c>, a listed feed's
/// icon (the one the icon stage cached, else its letter avatar).
/// </summary>
public static class MediaEndpoints
{
    /// <summary>
    /// Whatever the bytes are, a browser opening them directly runs nothing: an SVG with a script
    /// stays inert, and nothing of ours can be framed or reached from it.
    /// </summary>
    public const string MediaPolicy = "sandbox; default-src 'none'";

    private static readonly TimeSpan IconLifetime = TimeSpan.FromDays(7);
    private static readonly TimeSpan AvatarLifetime = TimeSpan.FromDays(1);

    public static IEndpointRouteBuilder MapMediaEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/media/{signature}/{encoded}", ["GET", "HEAD"], ServeMediaAsync).RequireRateLimiting(RateLimits.Media);
        routes.MapMethods("/icons/{slug}", ["GET", "HEAD"], ServeIconAsync);
        return routes;
    }

    private static async Task<IResult> ServeMediaAsync(
        HttpContext context, string signature, string encoded, MediaSigner signer, MediaLinks links, MediaProxy proxy, TimeProvider clock, CancellationToken ct)
    {
        if (links.Mode == MediaProxyMode.None)
        {
            return Problem(StatusCodes.Status404NotFound, "the media proxy is off (FEEDSTAND_MEDIA_PROXY=none)");
        }
        if (signer.Verify(signature, encoded) is not { } url)
        {
            return Problem(StatusCodes.Status403Forbidden, "this media link is not signed by this directory");
        }
        var answer = await proxy.GetAsync(url, ct);
        if (answer.Image is not { } image)
        {
            return Problem(answer.Status, answer.Problem ?? "image not available");
        }
        var remaining = image.ExpiresAt - clock.GetUtcNow();
        return Image(context, image.ContentType, image.Body, image.ETag, remaining < TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : remaining);
    }

    private static async Task<IResult> ServeIconAsync(HttpContext context, string slug, FeedstandDb db, CancellationToken ct)
    {
        var feed = await db.Feeds.AsNoTracking()
            .Where(f => f.Slug == slug && (f.Status == FeedStatus.Active || f.Status == FeedStatus.Retired))
            .Select(f => new
            {
                Name = f.TitleOverride ?? f.Title ?? f.Slug,
                Icon = db.FeedIcons.Where(i => i.FeedId == f.Id && i.Body != null).Select(i => new { i.ContentType, i.Body, i.ETag }).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        if (feed is null)
        {
            return Problem(StatusCodes.Status404NotFound, "no listed feed has this name");
        }
        if (feed.Icon is { Body: { } body, ContentType: { } type } icon)
        {
            return Image(context, type, body, icon.ETag ?? "\"icon\"", IconLifetime);
        }
        var svg = Encoding.UTF8.GetBytes(LetterAvatar.Svg(feed.Name));
        return Image(context, ImageTypes.Svg, svg, "\"" + Convert.ToHexStringLower(SHA256.HashData(svg).AsSpan(0, 8)) + "\"", AvatarLifetime);
    }

    private static IResult Image(HttpContext context, string contentType, byte[] body, string etag, TimeSpan maxAge)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = MediaPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = $"public, max-age={(long)maxAge.TotalSeconds}";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        return Results.File(body, contentType, entityTag: EntityTagHeaderValue.Parse(etag));
    }

    private static IResult Problem(int status, string message) =>
        Results.Text(message, "text/plain; charset=utf-8", Encoding.UTF8, status);
}
