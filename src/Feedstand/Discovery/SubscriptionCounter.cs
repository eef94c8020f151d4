using System.Security.Cryptography;
using System.Text;
using Feedstand.Data;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Discovery;

/// <summary>UTC days as the subscription tables keep them: whole days since 1970-01-01.</summary>
public static class SubscriptionDays
{
    /// <summary>"This month": today and the 29 days before it.</summary>
    public const int Month = 30;

    public static int Of(DateTimeOffset instant) => (int)Math.Floor(instant.ToUnixTimeSeconds() / 86400.0);

    /// <summary>The first day of the month that ends today.</summary>
    public static int MonthStart(DateTimeOffset now) => Of(now) - (Month - 1);
}

/// <summary>
/// Counts a visitor's subscription once per feed per UTC day, without cookies and without keeping
/// the address: the visitor is HMAC-SHA256(day key, day | feed | address | user agent), truncated to
/// 16 bytes and kept only for that day. The day key is random, made by the first node that counts
/// on a new day (<c>INSERT … ON CONFLICT DO NOTHING</c>, so every node of a PostgreSQL deployment
/// agrees on it) and deleted with the day's hashes the next day, after which nobody — not even the
/// operator — can tell whether an address was among them. The counts table holds numbers only.
/// </summary>
public sealed class SubscriptionCounter(TimeProvider clock)
{
    private const int HashBytes = 16;

    private readonly Lock _gate = new();
    private (int Day, byte[] Key)? _dayKey;

    /// <summary>
    /// Counts one subscription of <paramref name="feedId"/> through <paramref name="reader"/> unless
    /// this visitor was already counted for this feed today; true when it counted.
    /// </summary>
    public async Task<bool> CountAsync(FeedstandDb db, long feedId, string reader, string address, string userAgent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var day = SubscriptionDays.Of(clock.GetUtcNow());
        var key = await DayKeyAsync(db, day, ct).ConfigureAwait(false);
        var visitor = Encoding.UTF8.GetBytes($"{day}\n{feedId}\n{address}\n{userAgent}");
        var hash = HMACSHA256.HashData(key, visitor).AsSpan(0, HashBytes).ToArray();
        var added = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO subscription_visitors (day, hash) VALUES ({day}, {hash}) ON CONFLICT DO NOTHING", ct).ConfigureAwait(false);
        if (added == 0)
        {
            return false;
        }
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO subscription_counts (feed_id, day, reader, subscriptions) VALUES ({feedId}, {day}, {reader}, 1)
            ON CONFLICT (feed_id, day, reader) DO UPDATE SET subscriptions = subscription_counts.subscriptions + 1
            """, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes the keys and visitor hashes of the days before today (also done by the first count of a day).</summary>
    public async Task ForgetPastDaysAsync(FeedstandDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var today = SubscriptionDays.Of(clock.GetUtcNow());
        await db.Database.ExecuteSqlAsync($"DELETE FROM subscription_visitors WHERE day < {today}", ct).ConfigureAwait(false);
        await db.Database.ExecuteSqlAsync($"DELETE FROM subscription_day_keys WHERE day < {today}", ct).ConfigureAwait(false);
    }

    private async Task<byte[]> DayKeyAsync(FeedstandDb db, int day, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_dayKey is { } known && known.Day == day)
            {
                return known.Key;
            }
        }
        await ForgetPastDaysAsync(db, ct).ConfigureAwait(false);
        var candidate = RandomNumberGenerator.GetBytes(32);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO subscription_day_keys (day, key) VALUES ({day}, {candidate}) ON CONFLICT DO NOTHING", ct).ConfigureAwait(false);
        var key = await db.SubscriptionDayKeys.AsNoTracking().Where(k => k.Day == day).Select(k => k.Key).SingleAsync(ct).ConfigureAwait(false);
        lock (_gate)
        {
            _dayKey = (day, key);
        }
        return key;
    }
}

/// <summary>A feed's subscriptions this month: visitors who clicked a reader or copied the URL, plus what readers report.</summary>
public sealed record SubscriptionTally(int Visitors, IReadOnlyList<ReaderFigure> Readers)
{
    public static readonly SubscriptionTally None = new(0, []);

    public int Total => Visitors + Readers.Sum(r => r.Subscribers);
}

/// <summary>Subscribers a reader reported this month, over all our feed URLs of one feed.</summary>
public sealed record ReaderFigure(string Reader, int Subscribers);

/// <summary>The subscription figures pages, the API and OPML show.</summary>
public static class Subscriptions
{
    /// <summary>
    /// This month's tally of each feed in <paramref name="feedIds"/> (feeds without any are absent):
    /// visitors counted in the last <see cref="SubscriptionDays.Month"/> days, plus each reader's
    /// latest figure for every feed URL of ours it fetched in that time.
    /// </summary>
    public static async Task<Dictionary<long, SubscriptionTally>> ThisMonthAsync(
        FeedstandDb db, IReadOnlyCollection<long> feedIds, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var result = new Dictionary<long, SubscriptionTally>();
        if (feedIds.Count == 0)
        {
            return result;
        }
        var fromDay = SubscriptionDays.MonthStart(now);
        var from = now.AddDays(-SubscriptionDays.Month);
        var visitors = await db.SubscriptionCounts.AsNoTracking()
            .Where(c => feedIds.Contains(c.FeedId) && c.Day >= fromDay)
            .GroupBy(c => c.FeedId)
            .Select(g => new { FeedId = g.Key, Count = g.Sum(c => c.Subscriptions) })
            .ToDictionaryAsync(g => g.FeedId, g => g.Count, ct).ConfigureAwait(false);
        var readers = await db.ReaderSubscribers.AsNoTracking()
            .Where(r => r.FeedId != null && feedIds.Contains(r.FeedId.Value) && r.SeenAt >= from)
            .GroupBy(r => new { FeedId = r.FeedId!.Value, r.Reader })
            .Select(g => new { g.Key.FeedId, g.Key.Reader, Count = g.Sum(r => r.Subscribers) })
            .ToListAsync(ct).ConfigureAwait(false);
        var readersByFeed = readers.ToLookup(r => r.FeedId);
        foreach (var id in feedIds)
        {
            var byReader = readersByFeed[id]
                .OrderByDescending(r => r.Count).ThenBy(r => r.Reader, StringComparer.Ordinal)
                .Select(r => new ReaderFigure(r.Reader, r.Count)).ToList();
            var clicked = visitors.GetValueOrDefault(id);
            if (clicked > 0 || byReader.Count > 0)
            {
                result[id] = new SubscriptionTally(clicked, byReader);
            }
        }
        return result;
    }

    /// <summary>The month's total of one feed, as a SQL expression for ordering (<c>sort=popular</c>).</summary>
    public static IOrderedQueryable<Feed> OrderByThisMonth(IQueryable<Feed> feeds, DateTimeOffset now)
    {
        var fromDay = SubscriptionDays.MonthStart(now);
        var from = now.AddDays(-SubscriptionDays.Month);
        return feeds.OrderByDescending(f =>
            f.SubscriptionCounts.Where(c => c.Day >= fromDay).Sum(c => c.Subscriptions)
            + f.ReaderSubscribers.Where(r => r.SeenAt >= from).Sum(r => r.Subscribers));
    }
}
