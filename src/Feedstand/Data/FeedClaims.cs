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

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
