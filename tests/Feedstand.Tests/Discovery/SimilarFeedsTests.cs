using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Discovery;
using Feedstand.Seeding;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedstand.Tests.Discovery;

public sealed class SimilarFeedsTests
{
    public static TheoryData<string> Providers => TestApp.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task On_the_starter_directory_at_least_80_percent_of_suggestions_share_a_tag(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(provider);
        var pending = new PendingSnapshots();
        await app.WithDbAsync(db => new Seeder(db, pending, app.Clock, NullLogger<Seeder>.Instance).SeedIfEmptyAsync(ct));
        var refresher = app.Get<FeedRefresher>();
        while (pending.Queue.TryDequeue(out var snapshot))
        {
            var feed = await app.WithDbAsync(db => db.Feeds.AsNoTracking().Where(f => f.Id == snapshot.FeedId).Select(FeedToFetch.Projection).SingleAsync(ct));
            await refresher.RefreshAsync(feed, FetchResult.FromBody(feed.FeedUrl, await File.ReadAllBytesAsync(snapshot.Path, ct)), ct);
        }

        var written = await app.Get<SimilarFeeds>().ComputeAsync(ct);

        var (suggestions, feeds) = await app.WithDbAsync(async db => (
            await db.SimilarFeeds.AsNoTracking().Select(s => new { s.FeedId, s.OtherId, s.Score }).ToListAsync(ct),
            await db.Feeds.AsNoTracking().Select(f => new { f.Id, Tags = f.Tags.Select(t => t.Name).ToList(), Posts = f.Entries.Count() }).ToDictionaryAsync(f => f.Id, ct)));
        Assert.Equal(written, suggestions.Count);
        Assert.True(feeds.Count >= 500, $"{feeds.Count} feeds");
        var suggested = suggestions.GroupBy(s => s.FeedId).ToList();
        Assert.True(suggested.Count >= feeds.Count * 9 / 10, $"{suggested.Count} of {feeds.Count} feeds have suggestions");
        Assert.All(suggested, g => Assert.InRange(g.Count(), 1, SimilarFeeds.PerFeed));
        Assert.DoesNotContain(suggestions, s => s.FeedId == s.OtherId);
        var sharing = suggestions.Count(s => feeds[s.FeedId].Tags.Intersect(feeds[s.OtherId].Tags).Any());
        var share = (double)sharing / suggestions.Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"{provider}: {share:P1} of {suggestions.Count} suggestions for {suggested.Count} of {feeds.Count} feeds share a tag");
        Assert.True(share >= 0.8, $"{share:P1} of {suggestions.Count} suggestions share a tag");
        // The feeds with posts and a tag some other feed has get suggestions (the offline snapshot's
        // Chinese coin forum is alone in its tag and its language: nothing is like it, and none is made up).
        var tagged = feeds.Values.SelectMany(f => f.Tags).GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        Assert.All(feeds.Values.Where(f => f.Posts > 0 && f.Tags.Any(tagged.Contains)), f => Assert.Contains(suggestions, s => s.FeedId == f.Id));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Feeds_without_tags_are_matched_by_the_text_of_their_posts_CJK_included(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(provider);
        var now = app.Clock.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            db.Feeds.AddRange(
                WithText("rust-a", now, "Fighting the borrow checker", "Lifetimes and the borrow checker in Rust, ownership explained."),
                WithText("rust-b", now, "Ownership in Rust", "The borrow checker enforces ownership; lifetimes annotate references."),
                WithText("ml-zh-a", now, "机器学习入门", "机器学习和深度学习的基础知识，神经网络训练。"),
                WithText("ml-zh-b", now, "深度学习笔记", "神经网络训练技巧：深度学习与机器学习。"),
                WithText("garden", now, "Tomatoes in June", "Watering tomatoes and pruning roses in the garden."),
                WithText("kitchen", now, "Sourdough bread", "Flour, water, salt and patience make bread."));
            await db.SaveChangesAsync(ct);
        });
        var similar = app.Get<SimilarFeeds>();

        Assert.True(await similar.RunAfterRefreshAsync(ct));

        var best = await app.WithDbAsync(async db => (await db.SimilarFeeds.AsNoTracking()
                .Select(s => new { From = db.Feeds.Single(f => f.Id == s.FeedId).Slug, To = s.Other!.Slug, s.Score })
                .ToListAsync(ct))
            .GroupBy(s => s.From)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.Score).First().To));
        Assert.Equal("rust-b", best["rust-a"]);
        Assert.Equal("rust-a", best["rust-b"]);
        Assert.Equal("ml-zh-b", best["ml-zh-a"]);
        Assert.Equal("ml-zh-a", best["ml-zh-b"]);
        Assert.False(best.ContainsKey("kitchen"));

        // Computed a moment ago: the refresher does not compute again until an hour has passed and posts arrived.
        Assert.False(await similar.RunAfterRefreshAsync(ct));
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.False(await similar.RunAfterRefreshAsync(ct));
        await app.WithDbAsync(async db =>
        {
            var garden = await db.Feeds.SingleAsync(f => f.Slug == "garden", ct);
            db.Entries.Add(new Entry { FeedId = garden.Id, Key = "new", Title = "Roses", ContentHash = "new", FirstSeenAt = app.Clock.GetUtcNow(), SortDate = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync(ct);
        });
        Assert.True(await similar.RunAfterRefreshAsync(ct));
    }

    private static Feed WithText(string slug, DateTimeOffset now, string title, string text)
    {
        var feed = ThisWeekTests.Feed(slug, "en", [], (title, now.AddDays(-1)));
        feed.Entries[0].SearchText = text;
        return feed;
    }
}
