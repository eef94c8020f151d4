using Feedstand.Data;
using Feedstand.Discovery;
using Feedstand.Tests.Infrastructure;

namespace Feedstand.Tests.Discovery;

public sealed class ThisWeekTests
{
    public static TheoryData<string> Providers => TestApp.Providers;

    [Fact]
    public void Freshness_halves_every_two_days_and_subscriptions_lift_slowly()
    {
        Assert.Equal(1, ThisWeek.Score(0, TimeSpan.Zero), 6);
        Assert.Equal(0.5, ThisWeek.Score(0, TimeSpan.FromHours(48)), 6);
        Assert.Equal(1 + Math.Log(11), ThisWeek.Score(10, TimeSpan.Zero), 6);
        // A post of four days ago from a feed with 100 subscriptions beats today's post of an unknown feed.
        Assert.True(ThisWeek.Score(100, TimeSpan.FromDays(4)) > ThisWeek.Score(0, TimeSpan.Zero));
        Assert.True(ThisWeek.Score(100, TimeSpan.FromDays(6)) < ThisWeek.Score(0, TimeSpan.Zero));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_week_is_ranked_filtered_and_paged(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(provider);
        var now = app.Clock.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            var rust = new Tag { Name = "rust" };
            var go = new Tag { Name = "go" };
            db.Feeds.AddRange(
                Feed("loved", "en", [rust], ("loved-3d", now.AddDays(-3)), ("loved-old", now.AddDays(-8))),
                Feed("quiet", "en", [rust], ("quiet-1h", now.AddHours(-1)), ("quiet-5d", now.AddDays(-5)), ("quiet-future", now.AddDays(2))),
                Feed("gopher", "de", [go], ("gopher-2h", now.AddHours(-2))));
            await db.SaveChangesAsync(ct);
            var loved = db.Feeds.Single(f => f.Slug == "loved").Id;
            db.SubscriptionCounts.Add(new SubscriptionCount { FeedId = loved, Day = SubscriptionDays.Of(now), Reader = "feedly", Subscriptions = 1 });
            await db.SaveChangesAsync(ct);
        });

        var all = await app.WithDbAsync(db => ThisWeek.LoadAsync(db, null, null, 1, 10, now, ct));
        Assert.Equal(["quiet-1h", "gopher-2h", "loved-3d", "quiet-5d"], all.Posts.Select(p => p.Title));
        Assert.Equal(1, all.Posts.Single(p => p.Title == "loved-3d").Subscriptions);
        Assert.False(all.HasMore);

        var tagged = await app.WithDbAsync(db => ThisWeek.LoadAsync(db, "RUST", null, 1, 10, now, ct));
        Assert.Equal(["quiet-1h", "loved-3d", "quiet-5d"], tagged.Posts.Select(p => p.Title));
        Assert.Equal("rust", tagged.Tag);

        var german = await app.WithDbAsync(db => ThisWeek.LoadAsync(db, null, "de-AT", 1, 10, now, ct));
        Assert.Equal(["gopher-2h"], german.Posts.Select(p => p.Title));

        var second = await app.WithDbAsync(db => ThisWeek.LoadAsync(db, null, null, 2, 3, now, ct));
        Assert.Equal(["quiet-5d"], second.Posts.Select(p => p.Title));
        var first = await app.WithDbAsync(db => ThisWeek.LoadAsync(db, null, null, 1, 3, now, ct));
        Assert.True(first.HasMore);

        // With many subscriptions the loved feed's older post rises above the fresh posts of unknown feeds.
        await app.WithDbAsync(async db =>
        {
            var row = db.SubscriptionCounts.Single();
            row.Subscriptions = 100;
            await db.SaveChangesAsync(ct);
        });
        var lifted = await app.WithDbAsync(db => ThisWeek.LoadAsync(db, null, null, 1, 10, now, ct));
        Assert.Equal("loved-3d", lifted.Posts[0].Title);
    }

    internal static Feed Feed(string slug, string language, List<Tag> tags, params (string Title, DateTimeOffset Date)[] posts)
    {
        var feed = new Feed
        {
            Slug = slug, FeedUrl = $"https://{slug}.example/feed", Title = slug, Language = language, Tags = tags,
            CreatedAt = TestApp.Start, LastEntryAt = posts.Length == 0 ? null : posts.Max(p => p.Date),
            FetchState = new FetchState { NextFetchAt = TestApp.Start, LastFetchAt = TestApp.Start, LastSuccessAt = TestApp.Start },
        };
        foreach (var (title, date) in posts)
        {
            feed.Entries.Add(new Entry
            {
                Key = title, Title = title, Link = $"https://{slug}.example/{title}", ContentHash = title,
                PublishedAt = date, SortDate = date, FirstSeenAt = date, ContentHtml = "<p>" + title + "</p>",
            });
        }
        return feed;
    }
}
