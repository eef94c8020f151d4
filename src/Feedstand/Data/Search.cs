using System.Data.Common;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

public enum SearchHitKind
{
    Feed = 0,
    Entry = 1,
}

/// <summary>
/// One match: a feed (EntryId null) or an entry of a feed. <see cref="SnippetHtml"/> is
/// HTML-encoded text with the matched words inside <c>&lt;mark&gt;</c>: safe to embed as is.
/// Higher <see cref="Rank"/> is better; ranks compare within one kind only.
/// </summary>
public sealed record SearchHit(
    SearchHitKind Kind,
    long FeedId,
    string FeedSlug,
    string FeedTitle,
    long? EntryId,
    string? EntryTitle,
    string? EntryLink,
    DateTimeOffset? PublishedAt,
    string SnippetHtml,
    double Rank);

/// <summary>
/// Full-text search over active feeds and their entries: FTS5 on SQLite, tsvector + GIN on
/// PostgreSQL, behind one method. The user's words are reduced to letters and digits and
/// quoted, so no query syntax of either engine can be injected.
/// </summary>
public static class Search
{
    private const string StartMark = "\uE000";
    private const string StopMark = "\uE001";
    private const int MaxWords = 16;

    /// <summary>Feed hits first (best first), then entry hits (best first); at most <paramref name="limit"/> of each.</summary>
    public static async Task<IReadOnlyList<SearchHit>> SearchAsync(FeedstandDb db, string query, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var words = Words(query ?? "");
        if (words.Count == 0 || limit <= 0)
        {
            return [];
        }

        var hits = new List<SearchHit>();
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        try
        {
            if (db.IsPostgres)
            {
                var text = string.Join(' ', words);
                await ReadAsync(connection, PostgresFeedsSql, text, limit, SearchHitKind.Feed, hits, ct).ConfigureAwait(false);
                await ReadAsync(connection, PostgresEntriesSql, text, limit, SearchHitKind.Entry, hits, ct).ConfigureAwait(false);
            }
            else
            {
                var match = string.Join(' ', words.Select(w => "\"" + w + "\""));
                await ReadAsync(connection, SqliteFeedsSql, match, limit, SearchHitKind.Feed, hits, ct).ConfigureAwait(false);
                await ReadAsync(connection, SqliteEntriesSql, match, limit, SearchHitKind.Entry, hits, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
        return hits;
    }

    /// <summary>The query's words: runs of letters and digits, lower-cased, at most 16.</summary>
    internal static List<string> Words(string query)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= query.Length && words.Count < MaxWords; i++)
        {
            var isWordChar = i < query.Length && char.IsLetterOrDigit(query[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                words.Add(query[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }

    private static async Task ReadAsync(DbConnection connection, string sql, string match, int limit, SearchHitKind kind, List<SearchHit> hits, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            AddParameter(command, "q", match);
            AddParameter(command, "limit", limit);
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    hits.Add(new SearchHit(
                        kind,
                        FeedId: reader.GetInt64(0),
                        FeedSlug: reader.GetString(1),
                        FeedTitle: reader.GetString(2),
                        EntryId: reader.IsDBNull(3) ? null : reader.GetInt64(3),
                        EntryTitle: reader.IsDBNull(4) ? null : reader.GetString(4),
                        EntryLink: reader.IsDBNull(5) ? null : reader.GetString(5),
                        PublishedAt: ReadInstant(reader, 6),
                        SnippetHtml: Highlight(reader.IsDBNull(7) ? "" : reader.GetString(7)),
                        Rank: Convert.ToDouble(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
    }

    private static DateTimeOffset? ReadInstant(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }
        return reader.GetValue(ordinal) switch
        {
            long milliseconds => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds),
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            DateTimeOffset instant => instant.ToUniversalTime(),
            var other => throw new InvalidOperationException($"Unexpected instant of type {other.GetType().Name}."),
        };
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>HTML-encodes the snippet, then turns the engine's private markers into mark elements.</summary>
    internal static string Highlight(string snippet)
    {
        var builder = new StringBuilder(WebUtility.HtmlEncode(snippet));
        builder.Replace(StartMark, "<mark>").Replace(StopMark, "</mark>");
        return builder.ToString();
    }

    private const string SqliteFeedsSql = """
        SELECT f.id, f.slug, coalesce(f.title_override, f.title, f.feed_url), NULL, NULL, NULL, NULL,
               snippet(feeds_fts, -1, char(57344), char(57345), '…', 24), -bm25(feeds_fts, 10.0, 3.0, 1.0)
        FROM feeds_fts JOIN feeds f ON f.id = feeds_fts.rowid
        WHERE feeds_fts MATCH @q AND f.status = 'Active'
        ORDER BY bm25(feeds_fts, 10.0, 3.0, 1.0)
        LIMIT @limit
        """;

    private const string SqliteEntriesSql = """
        SELECT f.id, f.slug, coalesce(f.title_override, f.title, f.feed_url), e.id, e.title, e.link, e.published_at,
               snippet(entries_fts, -1, char(57344), char(57345), '…', 24), -bm25(entries_fts, 5.0, 1.0)
        FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid JOIN feeds f ON f.id = e.feed_id
        WHERE entries_fts MATCH @q AND f.status = 'Active'
        ORDER BY bm25(entries_fts, 5.0, 1.0)
        LIMIT @limit
        """;

    private const string PostgresFeedsSql = """
        SELECT f.id, f.slug, coalesce(f.title_override, f.title, f.feed_url), NULL::bigint, NULL::text, NULL::text, NULL::timestamptz,
               ts_headline('english', concat_ws(' — ', coalesce(f.title_override, f.title), coalesce(f.description_override, f.description)), q,
                           'StartSel=' || chr(57344) || ', StopSel=' || chr(57345) || ', MaxWords=30, MinWords=10, MaxFragments=1'),
               ts_rank(f.search_vector, q)::float8 AS rank
        FROM feeds f, plainto_tsquery('english', @q) q
        WHERE f.search_vector @@ q AND f.status = 'Active'
        ORDER BY rank DESC
        LIMIT @limit
        """;

    private const string PostgresEntriesSql = """
        SELECT f.id, f.slug, coalesce(f.title_override, f.title, f.feed_url), e.id, e.title, e.link, e.published_at,
               ts_headline('english', concat_ws(' — ', e.title, e.search_text), q,
                           'StartSel=' || chr(57344) || ', StopSel=' || chr(57345) || ', MaxWords=30, MinWords=10, MaxFragments=1'),
               ts_rank(e.search_vector, q)::float8 AS rank
        FROM entries e JOIN feeds f ON f.id = e.feed_id, plainto_tsquery('english', @q) q
        WHERE e.search_vector @@ q AND f.status = 'Active'
        ORDER BY rank DESC
        LIMIT @limit
        """;
}
