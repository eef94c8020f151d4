using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Data;

/// <summary>FeedstandDb.AddListingsAsync and ReplaceTagsAsync: the one way a feed is listed and its tags are replaced.</summary>
public class ListingsTests
{
    public static TheoryData<string> Providers => TestApp.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_new_listing_gets_a_unique_slug_clean_tags_and_its_first_fetch_now(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddFeedAsync("https://a.example/old.xml", slug: "a-example");
        var now = app.Clock.GetUtcNow();

        var created = await app.WithDbAsync(db => db.AddListingsAsync(
            [
                new NewListing("https://a.example/feed.xml") { Title = "A", IconUrl = "https://a.example/i.png", Language = " EN ", Tags = ["Rust", "rust", " ", "Machine Learning"] },
                new NewListing("https://a.example/rss") { SiteUrl = "https://a.example/" },
            ], now, TestContext.Current.CancellationToken));

        Assert.Equal(["a-example-2", "a-example-3"], created.Select(f => f.Slug));
        var stored = await app.WithDbAsync(db => db.Feeds.AsNoTracking().Include(f => f.Tags).Include(f => f.FetchState)
            .SingleAsync(f => f.Id == created[0].Id));
        Assert.Equal(["machine-learning", "rust"], stored.Tags.Select(t => t.Name).Order());
        Assert.Equal("en", stored.Language);
        Assert.Equal("https://a.example/i.png", stored.IconUrl);
        Assert.Equal(FeedStatus.Active, stored.Status);
        Assert.Equal(now, stored.FetchState!.NextFetchAt);
        Assert.Equal(now, stored.CreatedAt);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Urls_already_listed_or_repeated_are_skipped(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddFeedAsync("https://listed.example/feed");

        var created = await app.WithDbAsync(db => db.AddListingsAsync(
            [new NewListing("https://listed.example/feed"), new NewListing("https://new.example/feed"), new NewListing("https://new.example/feed")],
            app.Clock.GetUtcNow(), TestContext.Current.CancellationToken));

        Assert.Equal(["https://new.example/feed"], created.Select(f => f.FeedUrl));
        Assert.Equal(2, await app.WithDbAsync(db => db.Feeds.CountAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Many_listings_at_once_follow_the_same_rules(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddFeedAsync("https://same.example/feed0", slug: "same-example-feed0");
        var listings = Enumerable.Range(0, 120).Select(i => new NewListing($"https://same.example/feed{i % 60}") { SlugFrom = "https://same.example/", Tags = [i % 2 == 0 ? "Even" : "odd"] }).ToList();

        var created = await app.WithDbAsync(db => db.AddListingsAsync(listings, app.Clock.GetUtcNow(), TestContext.Current.CancellationToken));

        Assert.Equal(59, created.Count); // 60 distinct URLs, one already listed
        Assert.Equal(59, created.Select(f => f.Slug).Distinct().Count());
        Assert.Equal("same-example", created[0].Slug);
        var tags = await app.WithDbAsync(db => db.Tags.AsNoTracking().Select(t => new { t.Name, Feeds = t.Feeds.Count }).OrderBy(t => t.Name).ToListAsync());
        Assert.Equal([("even", 29), ("odd", 30)], tags.Select(t => (t.Name, t.Feeds)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Replacing_tags_reuses_known_tags_and_creates_new_ones(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var id = await app.AddFeedAsync("https://a.example/feed", configure: f => f.Tags = [new Tag { Name = "go" }, new Tag { Name = "web" }]);
        var webId = await app.WithDbAsync(db => db.Tags.Where(t => t.Name == "web").Select(t => t.Id).SingleAsync());

        await app.WithDbAsync(async db =>
        {
            var feed = await db.Feeds.Include(f => f.Tags).SingleAsync(f => f.Id == id);
            await db.ReplaceTagsAsync(feed, ["Web", "rust", "rust", ""], TestContext.Current.CancellationToken);
            await db.SaveChangesAsync();
        });

        var tags = await app.WithDbAsync(db => db.Feeds.Where(f => f.Id == id).SelectMany(f => f.Tags).OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync());
        Assert.Equal(["rust", "web"], tags.Select(t => t.Name));
        Assert.Equal(webId, tags[1].Id);
        Assert.True(await app.WithDbAsync(db => db.Tags.AnyAsync(t => t.Name == "go")), "a tag other feeds may use stays");
    }
}
