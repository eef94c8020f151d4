using System.Data.Common;
using Feedstand.Crawling;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>
/// Bulk insert of new feeds (import-opml, the starter directory): one transaction per batch and
/// prepared statements reused row after row, instead of change tracking tens of thousands of rows.
/// </summary>
public static class FeedImport
{
    /// <param name="tagIds">Known tags by name; tags created here are added to it.</param>
    /// <returns>How many feeds were inserted.</returns>
    public static async Task<int> InsertAsync(FeedstandDb db, IReadOnlyList<(Feed Feed, List<string> Tags)> feeds, Dictionary<string, long> tagIds, DateTimeOffset nextFetchAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(feeds);
        ArgumentNullException.ThrowIfNull(tagIds);
        if (feeds.Count == 0)
        {
            return 0;
        }
        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var insertFeed = Command(connection, transaction, """
                    INSERT INTO feeds (slug, feed_url, site_url, title, description, language, status, created_at)
                    VALUES (@slug, @feed_url, @site_url, @title, @description, @language, @status, @created_at)
                    RETURNING id
                    """, "slug", "feed_url", "site_url", "title", "description", "language", "status", "created_at");
                var insertState = Command(connection, transaction,
                    "INSERT INTO fetch_states (feed_id, next_fetch_at, consecutive_errors) VALUES (@feed_id, @next_fetch_at, 0)",
                    "feed_id", "next_fetch_at");
                var insertTag = Command(connection, transaction, "INSERT INTO tags (name) VALUES (@name) RETURNING id", "name");
                var insertFeedTag = Command(connection, transaction, "INSERT INTO feed_tags (feed_id, tag_id) VALUES (@feed_id, @tag_id)", "feed_id", "tag_id");
                await using (insertFeed.ConfigureAwait(false))
                await using (insertState.ConfigureAwait(false))
                await using (insertTag.ConfigureAwait(false))
                await using (insertFeedTag.ConfigureAwait(false))
                {
                    var next = FeedClaims.Instant(db, nextFetchAt);
                    foreach (var (feed, tags) in feeds)
                    {
                        Set(insertFeed, feed.Slug, feed.FeedUrl, feed.SiteUrl, feed.Title, feed.Description, feed.Language,
                            feed.Status.ToString(), FeedClaims.Instant(db, feed.CreatedAt));
                        var feedId = Convert.ToInt64(await insertFeed.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                        feed.Id = feedId;
                        Set(insertState, feedId, next);
                        await insertState.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        foreach (var name in tags)
                        {
                            if (!tagIds.TryGetValue(name, out var tagId))
                            {
                                Set(insertTag, name);
                                tagId = Convert.ToInt64(await insertTag.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                                tagIds.Add(name, tagId);
                            }
                            Set(insertFeedTag, feedId, tagId);
                            await insertFeedTag.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        }
                    }
                }
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
            return feeds.Count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
