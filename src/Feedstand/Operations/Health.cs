using Feedstand.Data;

namespace Feedstand.Operations;

/// <summary>
/// <c>/healthz</c>: "ok", or "degraded" with the reason — 503 when the database cannot be reached,
/// 200 when the refresher lags (the most overdue feed has waited more than <see cref="MaxLag"/>),
/// since the site still serves what is stored.
/// </summary>
public static class Health
{
    public static readonly TimeSpan MaxLag = TimeSpan.FromHours(1);

    public sealed record Report(string Status, string Database, double RefreshLagSeconds, int DueFeeds, string? Reason);

    public static void MapHealth(this IEndpointRouteBuilder endpoints) => endpoints.MapGet("/healthz", CheckAsync);

    private static async Task<IResult> CheckAsync(FeedstandDb db, TimeProvider clock, CancellationToken ct)
    {
        RefreshQueue queue;
        try
        {
            queue = await RefreshQueue.ReadAsync(db, clock.GetUtcNow(), ct);
        }
        catch (Exception ex) when (DatabaseOutage.IsCause(ex))
        {
            return TypedResults.Json(
                new Report("degraded", "unreachable", 0, 0, "The database cannot be reached: " + DatabaseOutage.Describe(ex)),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var lagging = queue.Lag > MaxLag;
        return TypedResults.Ok(new Report(
            lagging ? "degraded" : "ok", "ok", Math.Round(queue.Lag.TotalSeconds), queue.Due,
            lagging ? $"The refresher lags: the most overdue feed has waited {queue.Lag.TotalMinutes:0} minutes ({queue.Due} feeds due)." : null));
    }
}
