using System.Data.Common;
using Feedstand.Crawling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Feedstand.Data;

/// <summary>
/// New entries of a refresh group written on the context's connection and transaction: on
/// PostgreSQL a few multi-row INSERTs (one round trip per 200 rows), on SQLite one prepared
/// single-row INSERT run per entry (in process, no round trips; SQLite looks named parameters up
/// one by one, so thousands in one statement cost more than they save). The refresher's hot write: through change tracking every entry cost a command, a
/// key read back and fix-ups, and the writer spent most of a first pass there. Full-text search
/// stays in step through the database itself (SQLite triggers, PostgreSQL generated columns).
/// </summary>
internal static class EntryInsert
{
    // 17 parameters a row: 3,400 a statement, well under SQLite's 32,766 and PostgreSQL's 65,535.
    private const int RowsPerStatement = 200;

    private static readonly string[] Columns =
    [
        "feed_id", "key", "link", "title", "published_at", "updated_at", "authors", "categories", "enclosures",
        "summary_html", "content_html", "image_url", "comments_url", "search_text", "content_hash", "first_seen_at", "sort_date",
    ];

    /// <summary>Inserts <paramref name="entries"/> (their <see cref="Entry.FeedId"/> set) inside the current transaction.</summary>
    public static async Task InsertAsync(FeedstandDb db, IReadOnlyList<Entry> entries, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("EntryInsert runs inside the caller's transaction.");
        if (!db.IsPostgres)
        {
            await InsertOneByOneAsync(db, connection, transaction, entries, ct).ConfigureAwait(false);
            return;
        }
        for (var start = 0; start < entries.Count; start += RowsPerStatement)
        {
            var rows = Math.Min(RowsPerStatement, entries.Count - start);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = transaction;
                command.CommandText = Sql(rows);
                for (var row = 0; row < rows; row++)
                {
                    AddRow(db, command, row, entries[start + row]);
                }
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task InsertOneByOneAsync(FeedstandDb db, DbConnection connection, DbTransaction transaction, IReadOnlyList<Entry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = Sql(1);
            AddRow(db, command, 0, entries[0]);
            await command.PrepareAsync(ct).ConfigureAwait(false);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            for (var i = 1; i < entries.Count; i++)
            {
                SetRow(db, command, entries[i]);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private static string Sql(int rows)
    {
        var sql = new System.Text.StringBuilder("INSERT INTO entries (", 64 + rows * Columns.Length * 8);
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
        entry.PublishedAt is { } published ? FeedClaims.Instant(db, published) : null,
        entry.UpdatedAt is { } updated ? FeedClaims.Instant(db, updated) : null,
        FeedstandDb.ToJson(entry.Authors), FeedstandDb.ToJson(entry.Categories), FeedstandDb.ToJson(entry.Enclosures),
        entry.SummaryHtml, entry.ContentHtml, entry.ImageUrl, entry.CommentsUrl, entry.SearchText, entry.ContentHash,
        FeedClaims.Instant(db, entry.FirstSeenAt), FeedClaims.Instant(db, entry.SortDate),
    ];

    private static void AddRow(FeedstandDb db, DbCommand command, int row, Entry entry)
    {
        var values = Values(db, entry);
        for (var column = 0; column < values.Length; column++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "p" + (row * Columns.Length + column).ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameter.Value = values[column] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    private static void SetRow(FeedstandDb db, DbCommand command, Entry entry)
    {
        var values = Values(db, entry);
        for (var column = 0; column < values.Length; column++)
        {
            command.Parameters[column].Value = values[column] ?? DBNull.Value;
        }
    }
}
