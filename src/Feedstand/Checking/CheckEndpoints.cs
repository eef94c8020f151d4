using System.Globalization;
using System.Text;
using System.Text.Json;
using Feedstand.Feeds.Checking;
using Feedstand.Feeds.Model;
using Feedstand.Web;

namespace Feedstand.Checking;

/// <summary><c>/feeds/{slug}/check.json</c> and <c>/feeds/{slug}/badge.svg</c>: the report of a listed feed from stored data.</summary>
public static class CheckEndpoints
{
    public static IEndpointRouteBuilder MapCheckEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feeds/{slug}/check.json", ReportJsonAsync).RequireRateLimiting(RateLimits.Api);
        app.MapGet("/feeds/{slug}/badge.svg", BadgeAsync).RequireRateLimiting(RateLimits.Api);
        return app;
    }

    private static async Task<IResult> ReportJsonAsync(string slug, FeedReport reports, CancellationToken ct)
    {
        if (await reports.BuildAsync(slug, refreshDiscovery: false, ct) is not { } listed)
        {
            return TypedResults.NotFound();
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = FeedJson.Encoder }))
        {
            CheckJson.Write(writer, listed.Report, url: listed.FeedUrl);
        }
        return TypedResults.Bytes(buffer.ToArray(), "application/json; charset=utf-8");
    }

    private static async Task<IResult> BadgeAsync(string slug, FeedReport reports, HttpContext context, CancellationToken ct)
    {
        if (await reports.ScoreAsync(slug, ct) is not { } found)
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Text(Badge(found.Score), "image/svg+xml; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>A flat two-part badge: "feed check" and the score, coloured by the score.</summary>
    public static string Badge(int? score)
    {
        var value = score is { } s ? s.ToString(CultureInfo.InvariantCulture) + "/100" : "pending";
        var color = score switch { >= 90 => "#2e7d32", >= 70 => "#9e9d24", >= 50 => "#ef6c00", null => "#757575", _ => "#c62828" };
        const int left = 74;
        var right = 8 + (value.Length * 7);
        var width = left + right;
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="feed check: {value}">
            <title>feed check: {value}</title>
            <rect width="{left}" height="20" fill="#555"/><rect x="{left}" width="{right}" height="20" fill="{color}"/>
            <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
            <text x="{left / 2}" y="14">feed check</text><text x="{left + (right / 2)}" y="14">{value}</text>
            </g></svg>
            """);
    }
}
