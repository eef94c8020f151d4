using System.Data.Common;
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
        if (db.IsPostgres)
        {
            return await InsertPostgresAsync(db, feeds, tagIds, nextFetchAt, ct).ConfigureAwait(false);
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
                    var next = db.Instant(nextFetchAt);
                    foreach (var (feed, tags) in feeds)
                    {
                        Set(insertFeed, feed.Slug, feed.FeedUrl, feed.SiteUrl, feed.Title, feed.Description, feed.Language,
                            feed.Status.ToString(), db.Instant(feed.CreatedAt));
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

    /// <summary>PostgreSQL: a few set-based statements per batch over arrays (unnest), not a round trip per row.</summary>
    private static async Task<int> InsertPostgresAsync(FeedstandDb db, IReadOnlyList<(Feed Feed, List<string> Tags)> feeds, Dictionary<string, long> tagIds, DateTimeOffset nextFetchAt, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var insertFeeds = Command(connection, transaction, """
                    INSERT INTO feeds (slug, feed_url, site_url, title, description, language, status, created_at)
                    SELECT slug, feed_url, site_url, title, description, language, status, created_at
                    FROM unnest(@slug::text[], @feed_url::text[], @site_url::text[], @title::text[], @description::text[], @language::text[], @status::text[], @created_at::timestamptz[])
                      AS t(slug, feed_url, site_url, title, description, language, status, created_at)
                    RETURNING id, feed_url
                    """, "slug", "feed_url", "site_url", "title", "description", "language", "status", "created_at");
                await using (insertFeeds.ConfigureAwait(false))
                {
                    Set(insertFeeds,
                        feeds.Select(f => f.Feed.Slug).ToArray(),
                        feeds.Select(f => f.Feed.FeedUrl).ToArray(),
                        feeds.Select(f => f.Feed.SiteUrl).ToArray(),
                        feeds.Select(f => f.Feed.Title).ToArray(),
                        feeds.Select(f => f.Feed.Description).ToArray(),
                        feeds.Select(f => f.Feed.Language).ToArray(),
                        feeds.Select(f => f.Feed.Status.ToString()).ToArray(),
                        feeds.Select(f => f.Feed.CreatedAt.ToUniversalTime()).ToArray());
                    var ids = new Dictionary<string, long>(feeds.Count, StringComparer.Ordinal);
                    var reader = await insertFeeds.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            ids[reader.GetString(1)] = reader.GetInt64(0);
                        }
                    }
                    foreach (var (feed, _) in feeds)
                    {
                        feed.Id = ids[feed.FeedUrl];
                    }
                }

                var insertStates = Command(connection, transaction,
                    "INSERT INTO fetch_states (feed_id, next_fetch_at, consecutive_errors) SELECT id, @next_fetch_at, 0 FROM unnest(@feed_id::bigint[]) AS t(id)",
                    "next_fetch_at", "feed_id");
                await using (insertStates.ConfigureAwait(false))
                {
                    Set(insertStates, nextFetchAt.ToUniversalTime(), feeds.Select(f => f.Feed.Id).ToArray());
                    await insertStates.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                var newTags = feeds.SelectMany(f => f.Tags).Where(n => !tagIds.ContainsKey(n)).Distinct().ToArray();
                if (newTags.Length > 0)
                {
                    var insertTags = Command(connection, transaction, "INSERT INTO tags (name) SELECT unnest(@name::text[]) RETURNING id, name", "name");
                    await using (insertTags.ConfigureAwait(false))
                    {
                        Set(insertTags, [newTags]);
                        var reader = await insertTags.ExecuteReaderAsync(ct).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                            {
                                tagIds[reader.GetString(1)] = reader.GetInt64(0);
                            }
                        }
                    }
                }
                var pairs = feeds.SelectMany(f => f.Tags.Select(n => (FeedId: f.Feed.Id, TagId: tagIds[n]))).ToList();
                if (pairs.Count > 0)
                {
                    var insertFeedTags = Command(connection, transaction,
                        "INSERT INTO feed_tags (feed_id, tag_id) SELECT * FROM unnest(@feed_id::bigint[], @tag_id::bigint[])", "feed_id", "tag_id");
                    await using (insertFeedTags.ConfigureAwait(false))
                    {
                        Set(insertFeedTags, pairs.Select(p => p.FeedId).ToArray(), pairs.Select(p => p.TagId).ToArray());
                        await insertFeedTags.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
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
