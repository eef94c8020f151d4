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

    /// <summary>
    /// Feed hits first (best first: feeds with a tag named by a word of the query, then text
    /// matches on title, description and site), then entry hits (best first); at most
    /// <paramref name="limit"/> of each. Words of <see cref="MaxExactLength"/> letters or fewer
    /// are matched as whole words, never by stem ("go" finds "go", not "going").
    /// </summary>
    public static async Task<IReadOnlyList<SearchHit>> SearchAsync(this FeedstandDb db, string query, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var words = Words(query ?? "");
        if (words.Count == 0 || limit <= 0)
        {
            return [];
        }

        var feedHits = await TagHitsAsync(db, words, limit, ct).ConfigureAwait(false);
        var entryHits = new List<SearchHit>();
        var exact = words.Where(IsExactWord).ToList();
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        try
        {
            var textHits = new List<SearchHit>();
            if (db.IsPostgres)
            {
                var text = string.Join(' ', words);
                var patterns = exact.Select(w => "\\m" + w + "\\M").ToList();
                await ReadAsync(connection, WithExactWords(PostgresFeedsSql, PostgresFeedText, "~*", patterns.Count), text, patterns, limit, SearchHitKind.Feed, words, textHits, ct).ConfigureAwait(false);
                await ReadAsync(connection, WithExactWords(PostgresEntriesSql, PostgresEntryText, "~*", patterns.Count), text, patterns, limit, SearchHitKind.Entry, words, entryHits, ct).ConfigureAwait(false);
            }
            else
            {
                var match = string.Join(' ', words.Select(w => "\"" + w + "\""));
                var patterns = exact.Select(w => "*[^a-z0-9]" + w + "[^a-z0-9]*").ToList();
                await ReadAsync(connection, WithExactWords(SqliteFeedsSql, SqliteFeedText, "GLOB", patterns.Count), match, patterns, limit, SearchHitKind.Feed, words, textHits, ct).ConfigureAwait(false);
                await ReadAsync(connection, WithExactWords(SqliteEntriesSql, SqliteEntryText, "GLOB", patterns.Count), match, patterns, limit, SearchHitKind.Entry, words, entryHits, ct).ConfigureAwait(false);
            }
            foreach (var hit in textHits)
            {
                if (feedHits.Count < limit && !feedHits.Exists(h => h.FeedId == hit.FeedId))
                {
                    feedHits.Add(hit);
                }
            }
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
        feedHits.AddRange(entryHits);
        return feedHits;
    }

    /// <summary>Words this short are matched whole, not by stem; only ASCII ones need it (the stemmer leaves the rest alone).</summary>
    public const int MaxExactLength = 3;

    private static bool IsExactWord(string word) =>
        word.Length <= MaxExactLength && word.All(char.IsAsciiLetterOrDigit);

    /// <summary>Adds one "whole word" condition per short word to a query's WHERE clause.</summary>
    private static string WithExactWords(string sql, string text, string op, int count)
    {
        var conditions = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            conditions.Append(" AND ").Append(text).Append(' ').Append(op).Append(" @w").Append(i);
        }
        return sql.Replace("/*exact*/", conditions.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Active feeds with a tag named by a word of the query (or by the words joined with dashes: "machine learning").</summary>
    private static async Task<List<SearchHit>> TagHitsAsync(FeedstandDb db, List<string> words, int limit, CancellationToken ct)
    {
        var names = words.Select(w => w.ToLowerInvariant()).Append(string.Join('-', words)).Distinct().ToList();
        var rows = await db.Feeds.AsNoTracking()
            .Where(f => f.Status == FeedStatus.Active && f.Tags.Any(t => names.Contains(t.Name)))
            .OrderByDescending(f => f.Tags.Count(t => names.Contains(t.Name))).ThenByDescending(f => f.LastEntryAt).ThenBy(f => f.Id)
            .Take(limit)
            .Select(f => new
            {
                f.Id,
                f.Slug,
                Title = f.DisplayTitle,
                Description = f.DisplayDescription,
                Tags = f.Tags.Where(t => names.Contains(t.Name)).Select(t => t.Name).ToList(),
            })
            .ToListAsync(ct).ConfigureAwait(false);
        return rows.Select(r => new SearchHit(SearchHitKind.Feed, r.Id, r.Slug, r.Title, null, null, null, null,
                MarkWords(Shorten(r.Description ?? "", 200), words), 1000 + r.Tags.Count))
            .ToList();
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max].TrimEnd() + "…";

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

    private static async Task ReadAsync(
        DbConnection connection, string sql, string match, List<string> patterns, int limit, SearchHitKind kind,
        List<string> words, List<SearchHit> hits, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            command.AddParameter("q", match);
            command.AddParameter("limit", limit);
            for (var i = 0; i < patterns.Count; i++)
            {
                command.AddParameter("w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), patterns[i]);
            }
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
                        SnippetHtml: Highlight(reader.IsDBNull(7) ? "" : reader.GetString(7), words),
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

    /// <summary>
    /// HTML-encodes the snippet, then turns the engine's private markers into mark elements. A
    /// word the engine marked only because it shares a stem with a short query word ("going"
    /// for "go") is left unmarked. Whitespace is collapsed, and none is left inside brackets
    /// ("(Will Larson )").
    /// </summary>
    internal static string Highlight(string snippet, IReadOnlyList<string> words)
    {
        var text = TidySpaces(snippet);
        var builder = new StringBuilder(text.Length + 32);
        var at = 0;
        while (at < text.Length)
        {
            var start = text.IndexOf(StartMark, at, StringComparison.Ordinal);
            if (start < 0)
            {
                builder.Append(WebUtility.HtmlEncode(text[at..].Replace(StopMark, "", StringComparison.Ordinal)));
                break;
            }
            builder.Append(WebUtility.HtmlEncode(text[at..start].Replace(StopMark, "", StringComparison.Ordinal)));
            var stop = text.IndexOf(StopMark, start + 1, StringComparison.Ordinal);
            var end = stop < 0 ? text.Length : stop;
            var marked = text[(start + 1)..end].Replace(StartMark, "", StringComparison.Ordinal);
            var encoded = WebUtility.HtmlEncode(marked);
            builder.Append(MatchesAWord(marked, words) ? "<mark>" + encoded + "</mark>" : encoded);
            at = stop < 0 ? text.Length : stop + 1;
        }
        return builder.ToString();
    }

    /// <summary>HTML-encodes plain text and marks each whole occurrence of a query word (for text no engine marked).</summary>
    internal static string MarkWords(string text, IReadOnlyList<string> words)
    {
        text = TidySpaces(text);
        var builder = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            var isWord = char.IsLetterOrDigit(text[i]);
            while (i < text.Length && char.IsLetterOrDigit(text[i]) == isWord)
            {
                i++;
            }
            var encoded = WebUtility.HtmlEncode(text[start..i]);
            builder.Append(isWord && words.Contains(text[start..i].ToLowerInvariant()) ? "<mark>" + encoded + "</mark>" : encoded);
        }
        return builder.ToString();
    }

    private static bool MatchesAWord(string marked, IReadOnlyList<string> words)
    {
        var lower = marked.ToLowerInvariant();
        foreach (var word in words)
        {
            if (lower == word)
            {
                return true;
            }
            if (word.Length > MaxExactLength || !word.All(char.IsAsciiLetterOrDigit))
            {
                // A stemmed match ("running" for "runs"): the same first letters.
                var common = 0;
                while (common < lower.Length && common < word.Length && lower[common] == word[common])
                {
                    common++;
                }
                if (common >= Math.Min(MaxExactLength, Math.Min(lower.Length, word.Length)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Collapses runs of whitespace and drops the space just inside brackets.</summary>
    private static string TidySpaces(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            var last = builder.Length == 0 ? '\0' : builder[^1];
            var closing = c is ')' or ']' or '}' or ',' or '.' or ';' or ':' or '!' or '?';
            var afterOpening = last is '(' or '[' or '{';
            if (space && !closing && !afterOpening)
            {
                builder.Append(' ');
            }
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    // The text a short word must appear in as a whole word; SQLite's lower() folds ASCII only, which is all a short word holds.
    private const string SqliteFeedText =
        "(' ' || lower(coalesce(f.title_override, f.title, '') || ' ' || coalesce(f.description_override, f.description, '') || ' ' || coalesce(f.site_url, '')) || ' ')";
    private const string SqliteEntryText = "(' ' || lower(coalesce(e.title, '') || ' ' || coalesce(e.search_text, '')) || ' ')";
    private const string PostgresFeedText =
        "(coalesce(f.title_override, f.title, '') || ' ' || coalesce(f.description_override, f.description, '') || ' ' || coalesce(f.site_url, ''))";
    private const string PostgresEntryText = "(coalesce(e.title, '') || ' ' || coalesce(e.search_text, ''))";

    private const string SqliteFeedsSql = """
        SELECT f.id, f.slug, coalesce(f.title_override, f.title, f.feed_url), NULL, NULL, NULL, NULL,
               snippet(feeds_fts, -1, char(57344), char(57345), '…', 24), -bm25(feeds_fts, 10.0, 3.0, 1.0)
        FROM feeds_fts JOIN feeds f ON f.id = feeds_fts.rowid
        WHERE feeds_fts MATCH @q AND f.status = 'Active'/*exact*/
        ORDER BY bm25(feeds_fts, 10.0, 3.0, 1.0)
        LIMIT @limit
        """;

    private const string SqliteEntriesSql = """
        SELECT f.id, f.slug, coalesce(f.title_override, f.title, f.feed_url), e.id, e.title, e.link, e.published_at,
               snippet(entries_fts, -1, char(57344), char(57345), '…', 24), -bm25(entries_fts, 5.0, 1.0)
        FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid JOIN feeds f ON f.id = e.feed_id
        WHERE entries_fts MATCH @q AND f.status = 'Active'/*exact*/
        ORDER BY bm25(entries_fts, 5.0, 1.0)
        LIMIT @limit
        """;

    private const string PostgresFeedsSql = """
        SELECT f.id, f.slug, coalesce(f.title_override, f.title, f.feed_url), NULL::bigint, NULL::text, NULL::text, NULL::timestamptz,
               ts_headline('english', concat_ws(' — ', coalesce(f.title_override, f.title), coalesce(f.description_override, f.description)), q,
                           'StartSel=' || chr(57344) || ', StopSel=' || chr(57345) || ', MaxWords=30, MinWords=10, MaxFragments=1'),
               ts_rank(f.search_vector, q)::float8 AS rank
        FROM feeds f, plainto_tsquery('english', @q) q
        WHERE f.search_vector @@ q AND f.status = 'Active'/*exact*/
        ORDER BY rank DESC
        LIMIT @limit
        """;

    private const string PostgresEntriesSql = """
        SELECT f.id, f.slug, coalesce(f.title_override, f.title, f.feed_url), e.id, e.title, e.link, e.published_at,
               ts_headline('english', concat_ws(' — ', e.title, e.search_text), q,
                           'StartSel=' || chr(57344) || ', StopSel=' || chr(57345) || ', MaxWords=30, MinWords=10, MaxFragments=1'),
               ts_rank(e.search_vector, q)::float8 AS rank
        FROM entries e JOIN feeds f ON f.id = e.feed_id, plainto_tsquery('english', @q) q
        WHERE e.search_vector @@ q AND f.status = 'Active'/*exact*/
        ORDER BY rank DESC
        LIMIT @limit
        """;
}
