using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>What a new listing starts from: its feed URL and what is known of it (an OPML outline, a submission, a first fetch).</summary>
public sealed record NewListing(string FeedUrl)
{
    public string? SiteUrl { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? IconUrl { get; init; }
    public string? Language { get; init; }

    /// <summary>Tag names as people wrote them; cleaned with <see cref="Slugs.Tag"/>, empty ones dropped.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The URL the slug is made from: the site's, else the feed's, unless given.</summary>
    public string? SlugFrom { get; init; }
}

/// <summary>
/// Listings: the one way a feed enters the directory (<c>add</c>, the admin's approval, <c>import-opml</c>,
/// the starter directory) and the one way its tags are replaced (admin edits and approvals).
/// </summary>
public partial class FeedstandDb
{
    private const int ListingsPerBatch = 5000;

    /// <summary>Above this many listings, every slug in the store is read once instead of one query per listing.</summary>
    private const int ListingsBeforeReadingAllSlugs = 50;

    /// <summary>
    /// Creates active listings, each due for its first fetch at <paramref name="now"/>, with a unique slug
    /// and its tags (new tag names become tags). Feed URLs already listed, and repeats in
    /// <paramref name="listings"/>, are skipped. Rows go in by batches of prepared statements (SQLite)
    /// or set-based inserts over arrays (PostgreSQL), one transaction per batch, not through change tracking.
    /// </summary>
    /// <returns>The feeds created (with <see cref="Feed.Id"/> and <see cref="Feed.Slug"/>), in input order.</returns>
    public async Task<IReadOnlyList<Feed>> AddListingsAsync(IEnumerable<NewListing> listings, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(listings);
        var wanted = listings.DistinctBy(l => l.FeedUrl, StringComparer.Ordinal).ToList();
        var created = new List<Feed>(wanted.Count);
        var readAllSlugs = wanted.Count > ListingsBeforeReadingAllSlugs;
        var takenSlugs = readAllSlugs
            ? new HashSet<string>(await Feeds.AsNoTracking().Select(f => f.Slug).ToListAsync(ct).ConfigureAwait(false), StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        var tagIds = await Tags.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.Ordinal, ct).ConfigureAwait(false);
        foreach (var chunk in wanted.Chunk(ListingsPerBatch))
        {
            var urls = chunk.Select(l => l.FeedUrl).ToList();
            var listed = new HashSet<string>(
                await Feeds.AsNoTracking().Where(f => urls.Contains(f.FeedUrl)).Select(f => f.FeedUrl).ToListAsync(ct).ConfigureAwait(false),
                StringComparer.Ordinal);
            var batch = new List<(Feed Feed, List<string> Tags)>(chunk.Length);
            foreach (var listing in chunk.Where(l => !listed.Contains(l.FeedUrl)))
            {
                var slug = Slugs.FromUrl(listing.SlugFrom ?? listing.SiteUrl ?? listing.FeedUrl);
                var feed = new Feed
                {
                    Slug = readAllSlugs ? Slugs.Unique(slug, takenSlugs) : await UniqueSlugAsync(slug, takenSlugs, ct).ConfigureAwait(false),
                    FeedUrl = listing.FeedUrl,
                    SiteUrl = listing.SiteUrl,
                    Title = listing.Title,
                    Description = listing.Description,
                    IconUrl = listing.IconUrl,
                    Language = string.IsNullOrWhiteSpace(listing.Language) ? null : listing.Language.Trim().ToLowerInvariant(),
                    Status = FeedStatus.Active,
                    CreatedAt = now,
                };
                batch.Add((feed, CleanTagNames(listing.Tags)));
            }
            await InsertListingsAsync(batch, tagIds, now, ct).ConfigureAwait(false);
            created.AddRange(batch.Select(b => b.Feed));
        }
        return created;
    }

    /// <summary>
    /// Gives a tracked <paramref name="feed"/> (its <see cref="Feed.Tags"/> loaded) exactly these tags,
    /// cleaned with <see cref="Slugs.Tag"/>, creating the new ones; saved with the next SaveChanges.
    /// </summary>
    public async Task ReplaceTagsAsync(Feed feed, IEnumerable<string> names, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var wanted = CleanTagNames(names);
        var known = await Tags.Where(t => wanted.Contains(t.Name)).ToListAsync(ct).ConfigureAwait(false);
        feed.Tags.Clear();
        foreach (var name in wanted)
        {
            feed.Tags.Add(known.Find(t => t.Name == name) ?? Tags.Local.FirstOrDefault(t => t.Name == name) ?? new Tag { Name = name });
        }
    }

    /// <summary>
    /// <paramref name="slug"/>, or with -2, -3… appended, such that no feed in the store has it and it is
    /// not in <paramref name="taken"/> (which it is then added to).
    /// </summary>
    public async Task<string> UniqueSlugAsync(string slug, ISet<string> taken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var prefix = slug + "-";
        foreach (var stored in await Feeds.Where(f => f.Slug == slug || f.Slug.StartsWith(prefix)).Select(f => f.Slug).ToListAsync(ct).ConfigureAwait(false))
        {
            taken.Add(stored);
        }
        return Slugs.Unique(slug, taken);
    }

    private static List<string> CleanTagNames(IEnumerable<string> names) =>
        names.Select(Slugs.Tag).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <param name="tagIds">Known tags by name; tags created here are added to it.</param>
    private async Task InsertListingsAsync(List<(Feed Feed, List<string> Tags)> feeds, Dictionary<string, long> tagIds, DateTimeOffset nextFetchAt, CancellationToken ct)
    {
        if (feeds.Count == 0)
        {
            return;
        }
        if (IsPostgres)
        {
            await InsertListingsPostgresAsync(feeds, tagIds, nextFetchAt, ct).ConfigureAwait(false);
            return;
        }
        await Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var connection = Database.GetDbConnection();
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var insertFeed = Command(connection, transaction, """
                    INSERT INTO feeds (slug, feed_url, site_url, title, description, icon_url, language, status, created_at)
                    VALUES (@slug, @feed_url, @site_url, @title, @description, @icon_url, @language, @status, @created_at)
                    RETURNING id
                    """, "slug", "feed_url", "site_url", "title", "description", "icon_url", "language", "status", "created_at");
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
                    var next = Instant(nextFetchAt);
                    foreach (var (feed, tags) in feeds)
                    {
                        Set(insertFeed, feed.Slug, feed.FeedUrl, feed.SiteUrl, feed.Title, feed.Description, feed.IconUrl, feed.Language,
                            feed.Status.ToString(), Instant(feed.CreatedAt));
                        var feedId = Convert.ToInt64(await insertFeed.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
                        feed.Id = feedId;
                        Set(insertState, feedId, next);
                        await insertState.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        foreach (var name in tags)
                        {
                            if (!tagIds.TryGetValue(name, out var tagId))
                            {
                                Set(insertTag, name);
                                tagId = Convert.ToInt64(await insertTag.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
                                tagIds.Add(name, tagId);
                            }
                            Set(insertFeedTag, feedId, tagId);
                            await insertFeedTag.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        }
                    }
                }
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>PostgreSQL: a few set-based statements per batch over arrays (unnest), not a round trip per row.</summary>
    private async Task InsertListingsPostgresAsync(List<(Feed Feed, List<string> Tags)> feeds, Dictionary<string, long> tagIds, DateTimeOffset nextFetchAt, CancellationToken ct)
    {
        await Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var connection = Database.GetDbConnection();
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var insertFeeds = Command(connection, transaction, """
                    INSERT INTO feeds (slug, feed_url, site_url, title, description, icon_url, language, status, created_at)
                    SELECT slug, feed_url, site_url, title, description, icon_url, language, status, created_at
                    FROM unnest(@slug::text[], @feed_url::text[], @site_url::text[], @title::text[], @description::text[], @icon_url::text[], @language::text[], @status::text[], @created_at::timestamptz[])
                      AS t(slug, feed_url, site_url, title, description, icon_url, language, status, created_at)
                    RETURNING id, feed_url
                    """, "slug", "feed_url", "site_url", "title", "description", "icon_url", "language", "status", "created_at");
                await using (insertFeeds.ConfigureAwait(false))
                {
                    Set(insertFeeds,
                        feeds.Select(f => f.Feed.Slug).ToArray(),
                        feeds.Select(f => f.Feed.FeedUrl).ToArray(),
                        feeds.Select(f => f.Feed.SiteUrl).ToArray(),
                        feeds.Select(f => f.Feed.Title).ToArray(),
                        feeds.Select(f => f.Feed.Description).ToArray(),
                        feeds.Select(f => f.Feed.IconUrl).ToArray(),
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
        }
        finally
        {
            await Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.AddParameter(name);
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
