using Feedstand.Data;

namespace Feedstand.Tests.Web;

/// <summary>Listings written straight into the store, as a refresh would leave them.</summary>
public static class TestFeeds
{
    public static readonly DateTimeOffset Newest = new(2025, 10, 26, 19, 0, 0, TimeSpan.Zero);

    public static async Task<Feed> AddAsync(
        FeedstandDb db, string slug, int entries = 3, string[]? tags = null, string language = "en",
        string? title = null, FeedStatus status = FeedStatus.Active)
    {
        var tagRows = new List<Tag>();
        foreach (var name in tags ?? [])
        {
            tagRows.Add(db.Tags.Local.FirstOrDefault(t => t.Name == name) ?? db.Tags.FirstOrDefault(t => t.Name == name) ?? new Tag { Name = name });
        }
        var feed = new Feed
        {
            Slug = slug,
            FeedUrl = $"https://{slug}.example/feed.xml",
            SiteUrl = $"https://{slug}.example/",
            Title = title ?? "Blog " + slug,
            Description = "Writing about " + slug,
            IconUrl = $"https://{slug}.example/icon.png",
            Language = language,
            Status = status,
            CreatedAt = Newest.AddDays(-100),
            LastEntryAt = entries > 0 ? Newest : null,
            Tags = tagRows,
            FetchState = new FetchState
            {
                LastFetchAt = Newest,
                LastSuccessAt = Newest,
                LastStatus = 200,
                NextFetchAt = Newest.AddHours(1),
                AveragePostInterval = TimeSpan.FromDays(3),
            },
        };
        for (var i = 0; i < entries; i++)
        {
            var date = Newest.AddDays(-i);
            feed.Entries.Add(new Entry
            {
                Key = $"https://{slug}.example/post-{i}",
                Link = $"https://{slug}.example/post-{i}",
                Title = $"Post {i} of {slug}",
                PublishedAt = date,
                SortDate = date,
                FirstSeenAt = date,
                ContentHtml = $"<p>Body of post {i} with <strong>bold</strong> text.</p>",
                SearchText = $"Body of post {i} with bold text.",
                SummaryHtml = $"<p>Summary {i}</p>",
                ContentHash = "hash" + i,
                Authors = ["Ada"],
                Categories = ["notes"],
            });
        }
        db.Feeds.Add(feed);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return feed;
    }
}
