using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>
/// Claims of due feeds for one refresher with a lease, so that any number of refreshers share the
/// work and a crashed one's claims return when the lease ends. PostgreSQL: <c>FOR UPDATE SKIP
/// LOCKED</c>, concurrent claimers never wait on each other. SQLite: the same single UPDATE,
/// made atomic by SQLite's one writer at a time.
/// </summary>
public partial class FeedstandDb
{
    /// <summary>
    /// The one claim statement; {0} picks the feeds, {1} orders them. SQLite: CROSS JOIN makes it walk
    /// fetch_states by the ORDER BY's index (next_fetch_at, or the key). PostgreSQL: claimers skip rows another holds.
    /// </summary>
    private static string ClaimSql(bool postgres, string which, string order) => $"""
        UPDATE fetch_states SET lease_until = @until, lease_owner = @owner
        WHERE feed_id IN (
          SELECT s.feed_id FROM fetch_states s {(postgres ? "JOIN" : "CROSS JOIN")} feeds f ON f.id = s.feed_id
          WHERE {which} AND (s.lease_until IS NULL OR s.lease_until < @now) AND f.status = 'Active'
          ORDER BY {order}
          LIMIT @limit{(postgres ? "\n  FOR UPDATE OF s SKIP LOCKED" : "")})
        RETURNING feed_id
        """;

    private static readonly string SqliteDueSql = ClaimSql(postgres: false, "s.next_fetch_at <= @now", "s.next_fetch_at");
    private static readonly string PostgresDueSql = ClaimSql(postgres: true, "s.next_fetch_at <= @now", "s.next_fetch_at");
    private static readonly string SqliteNotFetchedSinceSql = ClaimSql(postgres: false, "(s.last_fetch_at IS NULL OR s.last_fetch_at < @cutoff)", "s.feed_id");
    private static readonly string PostgresNotFetchedSinceSql = ClaimSql(postgres: true, "(s.last_fetch_at IS NULL OR s.last_fetch_at < @cutoff)", "s.feed_id");

    /// <summary>Claims up to <paramref name="limit"/> active feeds whose next poll is due.</summary>
    public Task<List<long>> ClaimDueFeedsAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct) =>
        ClaimAsync(IsPostgres ? PostgresDueSql : SqliteDueSql, owner, now, lease, limit, cutoff: null, ct);

    /// <summary>Claims up to <paramref name="limit"/> active feeds not fetched since <paramref name="cutoff"/>, due or not.</summary>
    public Task<List<long>> ClaimFeedsNotFetchedSinceAsync(string owner, DateTimeOffset cutoff, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct) =>
        ClaimAsync(IsPostgres ? PostgresNotFetchedSinceSql : SqliteNotFetchedSinceSql, owner, now, lease, limit, cutoff, ct);

    private async Task<List<long>> ClaimAsync(string sql, string owner, DateTimeOffset now, TimeSpan lease, int limit, DateTimeOffset? cutoff, CancellationToken ct)
    {
        var connection = Database.GetDbConnection();
        await Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = sql;
                command.AddParameter("until", Instant(now + lease));
                command.AddParameter("owner", owner);
                command.AddParameter("now", Instant(now));
                command.AddParameter("limit", limit);
                if (cutoff is { } value)
                {
                    command.AddParameter("cutoff", Instant(value));
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
            await Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The heartbeat: extends every lease <paramref name="owner"/> still holds, so a live node keeps its claims.</summary>
    public Task<int> RenewLeasesAsync(string owner, DateTimeOffset until, CancellationToken ct) =>
        FetchStates.Where(s => s.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, until), ct);

    /// <summary>Gives back every lease <paramref name="owner"/> still holds (feeds it stopped before writing).</summary>
    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken ct) =>
        FetchStates.Where(s => s.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null).SetProperty(x => x.LeaseOwner, (string?)null), ct);

    /// <summary>
    /// Active feeds not fetched since <paramref name="cutoff"/> that another node holds a live lease
    /// on: what <c>refresh --all</c> still waits for, and when the first of those leases ends.
    /// </summary>
    public async Task<LeasedElsewhere> LeasedElsewhereAsync(string owner, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await FetchStates.AsNoTracking()
            .Where(s => s.Feed!.Status == FeedStatus.Active && (s.LastFetchAt == null || s.LastFetchAt < cutoff)
                && s.LeaseOwner != null && s.LeaseOwner != owner && s.LeaseUntil >= now)
            .OrderBy(s => s.LeaseUntil)
            .Select(s => new { s.Feed!.Slug, s.LeaseUntil })
            .ToListAsync(ct).ConfigureAwait(false);
        return rows.Count == 0
            ? LeasedElsewhere.None
            : new LeasedElsewhere(rows.ConvertAll(r => r.Slug), rows[0].LeaseUntil!.Value);
    }
}

/// <summary>Feeds another node holds, by slug, and the earliest end of their leases.</summary>
public sealed record LeasedElsewhere(IReadOnlyList<string> Slugs, DateTimeOffset FirstLeaseEnd)
{
    public static readonly LeasedElsewhere None = new([], DateTimeOffset.MaxValue);

    public int Count => Slugs.Count;
}
