using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>
/// Claims due feeds for one refresher with a lease, so that any number of refreshers share the
/// work and a crashed one's claims return when the lease ends. PostgreSQL: <c>FOR UPDATE SKIP
/// LOCKED</c>, concurrent claimers never wait on each other. SQLite: the same single UPDATE,
/// made atomic by SQLite's one writer at a time.
/// </summary>
public static class FeedClaims
{
    // CROSS JOIN makes SQLite walk fetch_states by its next_fetch_at index, in ORDER BY order.
    internal const string SqliteDueSql = """
        UPDATE fetch_states SET lease_until = @until, lease_owner = @owner
        WHERE feed_id IN (
          SELECT s.feed_id FROM fetch_states s CROSS JOIN feeds f ON f.id = s.feed_id
          WHERE s.next_fetch_at <= @now AND (s.lease_until IS NULL OR s.lease_until < @now) AND f.status = 'Active'
          ORDER BY s.next_fetch_at
          LIMIT @limit)
        RETURNING feed_id
        """;

    internal const string PostgresDueSql = """
        UPDATE fetch_states SET lease_until = @until, lease_owner = @owner
        WHERE feed_id IN (
          SELECT s.feed_id FROM fetch_states s JOIN feeds f ON f.id = s.feed_id
          WHERE s.next_fetch_at <= @now AND (s.lease_until IS NULL OR s.lease_until < @now) AND f.status = 'Active'
          ORDER BY s.next_fetch_at
          LIMIT @limit
          FOR UPDATE OF s SKIP LOCKED)
        RETURNING feed_id
        """;

    private const string SqliteAllSql = """
        UPDATE fetch_states SET lease_until = @until, lease_owner = @owner
        WHERE feed_id IN (
          SELECT s.feed_id FROM fetch_states s JOIN feeds f ON f.id = s.feed_id
          WHERE (s.last_fetch_at IS NULL OR s.last_fetch_at < @cutoff) AND (s.lease_until IS NULL OR s.lease_until < @now) AND f.status = 'Active'
          ORDER BY s.feed_id
          LIMIT @limit)
        RETURNING feed_id
        """;

    private const string PostgresAllSql = """
        UPDATE fetch_states SET lease_until = @until, lease_owner = @owner
        WHERE feed_id IN (
          SELECT s.feed_id FROM fetch_states s JOIN feeds f ON f.id = s.feed_id
          WHERE (s.last_fetch_at IS NULL OR s.last_fetch_at < @cutoff) AND (s.lease_until IS NULL OR s.lease_until < @now) AND f.status = 'Active'
          ORDER BY s.feed_id
          LIMIT @limit
          FOR UPDATE OF s SKIP LOCKED)
        RETURNING feed_id
        """;

    /// <summary>Claims up to <paramref name="limit"/> active feeds whose next poll is due.</summary>
    public static Task<List<long>> ClaimDueAsync(FeedstandDb db, string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return ClaimAsync(db, db.IsPostgres ? PostgresDueSql : SqliteDueSql, owner, now, lease, limit, cutoff: null, ct);
    }

    /// <summary>Claims up to <paramref name="limit"/> active feeds not fetched since <paramref name="cutoff"/>, due or not.</summary>
    public static Task<List<long>> ClaimNotFetchedSinceAsync(FeedstandDb db, string owner, DateTimeOffset cutoff, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return ClaimAsync(db, db.IsPostgres ? PostgresAllSql : SqliteAllSql, owner, now, lease, limit, cutoff, ct);
    }

    private static async Task<List<long>> ClaimAsync(FeedstandDb db, string sql, string owner, DateTimeOffset now, TimeSpan lease, int limit, DateTimeOffset? cutoff, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = sql;
                Add(command, "until", db.Instant(now + lease));
                Add(command, "owner", owner);
                Add(command, "now", db.Instant(now));
                Add(command, "limit", limit);
                if (cutoff is { } value)
                {
                    Add(command, "cutoff", db.Instant(value));
                }
                var ids = new List<long>(limit);
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }
                return ids;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The heartbeat: extends every lease <paramref name="owner"/> still holds, so a live node keeps its claims.</summary>
    public static Task<int> RenewAsync(FeedstandDb db, string owner, DateTimeOffset until, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.FetchStates.Where(s => s.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, until), ct);
    }

    /// <summary>Gives back every lease <paramref name="owner"/> still holds (feeds it stopped before writing).</summary>
    public static Task<int> ReleaseAsync(FeedstandDb db, string owner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.FetchStates.Where(s => s.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null).SetProperty(x => x.LeaseOwner, (string?)null), ct);
    }

    /// <summary>
    /// Active feeds not fetched since <paramref name="cutoff"/> that another node holds a live lease
    /// on: what <c>refresh --all</c> still waits for, and when the first of those leases ends.
    /// </summary>
    public static async Task<LeasedElsewhere> LeasedElsewhereAsync(FeedstandDb db, string owner, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.FetchStates.AsNoTracking()
            .Where(s => s.Feed!.Status == FeedStatus.Active && (s.LastFetchAt == null || s.LastFetchAt < cutoff)
                && s.LeaseOwner != null && s.LeaseOwner != owner && s.LeaseUntil >= now)
            .OrderBy(s => s.LeaseUntil)
            .Select(s => new { s.Feed!.Slug, s.LeaseUntil })
            .ToListAsync(ct).ConfigureAwait(false);
        return rows.Count == 0
            ? LeasedElsewhere.None
            : new LeasedElsewhere(rows.ConvertAll(r => r.Slug), rows[0].LeaseUntil!.Value);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>Feeds another node holds, by slug, and the earliest end of their leases.</summary>
public sealed record LeasedElsewhere(IReadOnlyList<string> Slugs, DateTimeOffset FirstLeaseEnd)
{
    public static readonly LeasedElsewhere None = new([], DateTimeOffset.MaxValue);

    public int Count => Slugs.Count;
}
