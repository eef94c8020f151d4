namespace Feedstand.Crawling;

/// <summary>
/// When to poll a feed next: from its own rhythm (the mean time between its posts), never
/// sooner than its <c>ttl</c> or <c>Cache-Control: max-age</c> ask, clamped between 15 minutes
/// and 24 hours, with ±10 % jitter so feeds added together spread out. After errors: 15 min ×
/// 2^(errors−1) up to 24 h, and never before the server's <c>Retry-After</c>.
/// </summary>
public static class PollInterval
{
    public static readonly TimeSpan Min = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Max = TimeSpan.FromHours(24);

    /// <summary>For a feed whose posts carry no dates.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(1);

    /// <summary>The longest wait a <c>Retry-After</c> can impose.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(7);

    private const double Jitter = 0.1;
    private const int DatesConsidered = 20;

    /// <summary>The mean interval between the newest (up to 20) distinct post dates; null with fewer than two.</summary>
    public static TimeSpan? AverageBetweenPosts(IEnumerable<DateTimeOffset> postDates)
    {
        var dates = postDates.Distinct().OrderDescending().Take(DatesConsidered).ToList();
        if (dates.Count < 2)
        {
            return null;
        }
        return (dates[0] - dates[^1]) / (dates.Count - 1);
    }

    /// <param name="jitterUnit">A number in [0, 1) from the caller's random source; 0.5 means no jitter.</param>
    public static TimeSpan ForFeed(TimeSpan? averageBetweenPosts, TimeSpan? ttl, TimeSpan? maxAge, double jitterUnit)
    {
        var interval = averageBetweenPosts ?? Default;
        if (ttl is { } asked && asked > interval)
        {
            interval = asked;
        }
        if (maxAge is { } cached && cached > interval)
        {
            interval = cached;
        }
        interval = Clamp(interval, Min, Max);
        return Clamp(interval * (1 + (jitterUnit * 2 - 1) * Jitter), Min, Max);
    }

    /// <summary>
    /// A feed a WebSub hub pushes: polled once a day all the same (a hub may miss a post, or stop),
    /// a little earlier than <see cref="Max"/> so it never waits longer.
    /// </summary>
    public static TimeSpan ForPushedFeed(double jitterUnit) => Max * (1 - jitterUnit * Jitter);

    public static TimeSpan Backoff(int consecutiveErrors, TimeSpan? retryAfter, double jitterUnit)
    {
        var exponent = Math.Clamp(consecutiveErrors - 1, 0, 16);
        var wait = Clamp(Min * Math.Pow(2, exponent), Min, Max);
        wait = Clamp(wait * (1 + (jitterUnit * 2 - 1) * Jitter), Min, Max);
        if (retryAfter is { } asked && asked > wait)
        {
            wait = asked > MaxRetryAfter ? MaxRetryAfter : asked;
        }
        return wait;
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}
