using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Feedstand.Data;

/// <summary>
/// New entries of a refresh group written on the context's connection and transaction, in a few
/// set-based statements: on SQLite <c>INSERT … SELECT … FROM json_each(@rows)</c> with up to 4 MB
/// of rows each (usually one per group), on PostgreSQL multi-row INSERTs of 200 rows (one round
/// trip each). The refresher's hot write:
/// through change tracking every entry cost a command, a key read back and fix-ups, and the writer
/// spent most of a first pass there. Full-text search stays in step through the database itself
/// (SQLite triggers, PostgreSQL generated columns).
/// </summary>
/// <remarks>
/// SQLite: one statement per row made FTS5 flush its pending terms at every statement (the
/// trigger runs inside a statement savepoint), about 85 µs a row; many rows in one VALUES list
/// cost a linear parameter-name lookup per parameter. One JSON parameter avoids both.
/// </remarks>
internal static class EntryInsert
{
    // 17 parameters a row: 3,400 a statement, under PostgreSQL's 65,535.
    private const int RowsPerStatement = 200;

    // SQLite: a statement's JSON stops growing here, so a group of long posts is a few statements, not one huge string.
    private const int MaxJsonBytes = 4 << 20;

    private static readonly string[] Columns =
    [
        "feed_id", "key", "link", "title", "published_at", "updated_at", "authors", "categories", "enclosures",
        "summary_html", "content_html", "image_url", "comments_url", "search_text", "content_hash", "first_seen_at", "sort_date",
    ];

    private static readonly string SqliteSql =
        $"INSERT INTO entries ({string.Join(", ", Columns)}) SELECT "
        + string.Join(", ", Columns.Select((_, i) => $"value ->> {i}"))
        + " FROM json_each(@rows)";

    /// <summary>Inserts <paramref name="entries"/> (their <see cref="Entry.FeedId"/> set) inside the current transaction.</summary>
    public static async Task InsertEntriesAsync(this FeedstandDb db, IReadOnlyList<Entry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("EntryInsert runs inside the caller's transaction.");
        if (!db.IsPostgres)
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = transaction;
                command.CommandText = SqliteSql;
                var rows = command.AddParameter("rows");
                for (var start = 0; start < entries.Count;)
                {
                    (rows.Value, start) = SqliteRows(db, entries, start);
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }
            return;
        }
        for (var start = 0; start < entries.Count; start += RowsPerStatement)
        {
            var rows = Math.Min(RowsPerStatement, entries.Count - start);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = transaction;
                command.CommandText = PostgresSql(rows);
                for (var row = 0; row < rows; row++)
                {
                    AddRow(db, command, row, entries[start + row]);
                }
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Rows from <paramref name="start"/> as one JSON array of arrays, values in
    /// <see cref="Columns"/> order, until about <see cref="MaxJsonBytes"/>; and where the next chunk starts.
    /// </summary>
    private static (string Json, int Next) SqliteRows(FeedstandDb db, IReadOnlyList<Entry> entries, int start)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min(MaxJsonBytes, (entries.Count - start) * 2048));
        var next = start;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            while (next < entries.Count && (next == start || json.BytesCommitted + json.BytesPending < MaxJsonBytes))
            {
                json.WriteStartArray();
                foreach (var value in Values(db, entries[next++]))
                {
                    switch (value)
                    {
                        case null:
                            json.WriteNullValue();
                            break;
                        case long number:
                            json.WriteNumberValue(number);
                            break;
                        case string text:
                            json.WriteStringValue(text);
                            break;
                        default:
                            throw new InvalidOperationException($"no JSON form for {value.GetType()}");
                    }
                }
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return (Encoding.UTF8.GetString(buffer.WrittenSpan), next);
    }

    private static string PostgresSql(int rows)
    {
        var sql = new StringBuilder("INSERT INTO entries (", 64 + rows * Columns.Length * 8);
        sql.AppendJoin(", ", Columns).Append(") VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < Columns.Length; column++)
            {
                sql.Append(column == 0 ? "@p" : ", @p").Append(row * Columns.Length + column);
            }
            sql.Append(')');
        }
        return sql.ToString();
    }

    private static object?[] Values(FeedstandDb db, Entry entry) =>
    [
        entry.FeedId, entry.Key, entry.Link, entry.Title,
        entry.PublishedAt is { } published ? db.Instant(published) : null,
        entry.UpdatedAt is { } updated ? db.Instant(updated) : null,
        FeedstandDb.ToJson(entry.Authors), FeedstandDb.ToJson(entry.Categories), FeedstandDb.ToJson(entry.Enclosures),
        entry.SummaryHtml, entry.ContentHtml, entry.ImageUrl, entry.CommentsUrl, entry.SearchText, entry.ContentHash,
        db.Instant(entry.FirstSeenAt), db.Instant(entry.SortDate),
    ];

    private static void AddRow(FeedstandDb db, DbCommand command, int row, Entry entry)
    {
        var values = Values(db, entry);
        for (var column = 0; column < values.Length; column++)
        {
            command.AddParameter("p" + (row * Columns.Length + column).ToString(CultureInfo.InvariantCulture), values[column]);
        }
    }
}
