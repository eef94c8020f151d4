namespace Feedstand.Data;

/// <summary>What a visitor or an admin needs to know about a feed's fetching, in one word.</summary>
public enum FeedHealth
{
    Ok = 0,

    /// <summary>The last fetch failed (one or more errors in a row): not "active", whatever the listing's status.</summary>
    Failing = 1,

    /// <summary>Listed but not fetched yet.</summary>
    NeverFetched = 2,

    /// <summary>Fetched fine, but its newest post is older than <see cref="FeedHealthRules.StaleAfter"/> (or it has none).</summary>
    Stale = 3,

    /// <summary>Submitted, waiting for a moderator.</summary>
    Pending = 4,

    Retired = 5,
    Rejected = 6,
}

/// <summary>The one place that turns a listing's status and fetch state into a <see cref="FeedHealth"/>.</summary>
public static class FeedHealthRules
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(365);

    public static FeedHealth Of(FeedStatus status, DateTimeOffset? lastFetchAt, int consecutiveErrors, DateTimeOffset? lastEntryAt, DateTimeOffset staleBefore) =>
        status switch
        {
            FeedStatus.Pending => FeedHealth.Pending,
            FeedStatus.Retired => FeedHealth.Retired,
            FeedStatus.Rejected => FeedHealth.Rejected,
            _ when consecutiveErrors > 0 => FeedHealth.Failing,
            _ when lastFetchAt is null => FeedHealth.NeverFetched,
            _ when lastEntryAt is null || lastEntryAt < staleBefore => FeedHealth.Stale,
            _ => FeedHealth.Ok,
        };

    /// <summary>The feeds in one health state, as a query (the admin's filter).</summary>
    public static IQueryable<Feed> WhereHealth(this IQueryable<Feed> feeds, FeedHealth health, DateTimeOffset staleBefore) => health switch
    {
        FeedHealth.Pending => feeds.Where(f => f.Status == FeedStatus.Pending),
        FeedHealth.Retired => feeds.Where(f => f.Status == FeedStatus.Retired),
        FeedHealth.Rejected => feeds.Where(f => f.Status == FeedStatus.Rejected),
        FeedHealth.Failing => feeds.Where(f => f.Status == FeedStatus.Active && f.FetchState != null && f.FetchState.ConsecutiveErrors > 0),
        FeedHealth.NeverFetched => feeds.Where(f => f.Status == FeedStatus.Active
            && (f.FetchState == null || (f.FetchState.ConsecutiveErrors == 0 && f.FetchState.LastFetchAt == null))),
        FeedHealth.Stale => feeds.Where(f => f.Status == FeedStatus.Active && f.FetchState != null
            && f.FetchState.ConsecutiveErrors == 0 && f.FetchState.LastFetchAt != null
            && (f.LastEntryAt == null || f.LastEntryAt < staleBefore)),
        _ => feeds.Where(f => f.Status == FeedStatus.Active && f.FetchState != null
            && f.FetchState.ConsecutiveErrors == 0 && f.FetchState.LastFetchAt != null
            && f.LastEntryAt != null && f.LastEntryAt >= staleBefore),
    };
}
