using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Discovery;

/// <summary>
/// /feeds/{slug}/subscribe/{reader}: the one-click subscribe links go through here, a 302 to the
/// reader that counts the click (<see cref="Visitors.IsSubscribeClick"/>, <see cref="SubscriptionCounter"/>);
/// POST /feeds/{slug}/subscribe/copy is what the copy button sends, same-origin only, 204.
/// </summary>
public static class SubscribeEndpoints
{
    public const string Copy = "copy";

    public static IEndpointRouteBuilder MapSubscribeEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/feeds/{slug}/subscribe/{reader}", [HttpMethods.Get, HttpMethods.Head], SubscribeAsync)
            .RequireRateLimiting(RateLimits.Api);
        routes.MapPost("/feeds/{slug}/subscribe/copy", CopyAsync)
            .RequireRateLimiting(RateLimits.Api)
            .DisableAntiforgery();
        return routes;
    }

    /// <summary>The link a preview page gives for a reader: ours, so the click is counted.</summary>
    public static string Link(string slug, Reader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return "/feeds/" + Uri.EscapeDataString(slug) + "/subscribe/" + reader.Key;
    }

    public static async Task<Results<RedirectHttpResult, NotFound>> SubscribeAsync(
        HttpContext context, FeedstandDb db, SubscriptionCounter counter, string slug, string reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        var chosen = Readers.All.FirstOrDefault(r => r.Key == reader);
        var feed = chosen is null ? null : await FindAsync(db, slug, ct);
        if (chosen is null || feed is null)
        {
            return TypedResults.NotFound();
        }
        if (Visitors.IsSubscribeClick(context.Request))
        {
            var (address, agent) = Visitors.Identify(context);
            await counter.CountAsync(db, feed.Id, chosen.Key, address, agent, ct);
        }
        return TypedResults.Redirect(chosen.SubscribeUrl(feed.FeedUrl));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> CopyAsync(
        HttpContext context, FeedstandDb db, SubscriptionCounter counter, string slug, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        if (!Visitors.IsSameOrigin(context.Request))
        {
            return TypedResults.Problem(
                title: "Forbidden", detail: "Only Feedstand's own pages count a copied feed URL.", statusCode: StatusCodes.Status403Forbidden);
        }
        var feed = await FindAsync(db, slug, ct);
        if (feed is null)
        {
            return TypedResults.NotFound();
        }
        if (!Visitors.IsRobot(context.Request.Headers.UserAgent))
        {
            var (address, agent) = Visitors.Identify(context);
            await counter.CountAsync(db, feed.Id, Copy, address, agent, ct);
        }
        return TypedResults.NoContent();
    }

    private sealed record FeedTarget(long Id, string FeedUrl);

    private static Task<FeedTarget?> FindAsync(FeedstandDb db, string slug, CancellationToken ct) =>
        db.Feeds.AsNoTracking()
            .Where(f => f.Slug == slug && (f.Status == FeedStatus.Active || f.Status == FeedStatus.Retired))
            .Select(f => new FeedTarget(f.Id, f.FeedUrl))
            .SingleOrDefaultAsync(ct);
}
