using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Feedstand.Tests.Data;

public class StoreTests
{
    public static TheoryData<string> Providers => TestApp.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Feeds_tags_entries_and_fetch_state_round_trip(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var feedId = await app.WithDbAsync(async db =>
        {
            var feed = new Feed
            {
                Slug = "a", FeedUrl = "https://a.example/feed", CreatedAt = TestApp.Start,
                Tags = [new Tag { Name = "rust" }, new Tag { Name = "web" }],
                FetchState = new FetchState { NextFetchAt = TestApp.Start, AveragePostInterval = TimeSpan.FromHours(5), ETag = "\"x\"" },
            };
            feed.Entries.Add(new Entry
            {
                Key = "k", ContentHash = "h", FirstSeenAt = TestApp.Start, SortDate = TestApp.Start.AddDays(-1),
                Authors = ["Jane"], Categories = ["a", "b"], Enclosures = [new EntryEnclosure { Url = "https://a.example/x.mp3", Type = "audio/mpeg", Length = 42 }],
            });
            db.Feeds.Add(feed);
            await db.SaveChangesAsync();
            return feed.Id;
        });

        var loaded = await app.WithDbAsync(db => db.Feeds.AsNoTracking().Include(f => f.Tags).Include(f => f.Entries).Include(f => f.FetchState).SingleAsync(f => f.Id == feedId));

        Assert.Equal(["rust", "web"], loaded.Tags.Select(t => t.Name).Order());
        var entry = Assert.Single(loaded.Entries);
        Assert.Equal(["Jane"], entry.Authors);
        Assert.Equal(["a", "b"], entry.Categories);
        Assert.Equal(42, Assert.Single(entry.Enclosures).Length);
        Assert.Equal(TestApp.Start.AddDays(-1), entry.SortDate);
        Assert.Equal(TimeSpan.FromHours(5), loaded.FetchState!.AveragePostInterval);
        Assert.Equal(FeedStatus.Active, loaded.Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Two_feeds_cannot_share_a_slug_or_a_url(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddFeedAsync("https://a.example/feed", slug: "a");

        await Assert.ThrowsAsync<DbUpdateException>(() => app.AddFeedAsync("https://b.example/feed", slug: "a"));
        await Assert.ThrowsAsync<DbUpdateException>(() => app.AddFeedAsync("https://a.example/feed", slug: "b"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_entry_key_is_unique_within_its_feed_only(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var a = await app.AddFeedAsync("https://a.example/feed");
        var b = await app.AddFeedAsync("https://b.example/feed");
        Entry Make(long feedId) => new() { FeedId = feedId, Key = "same", ContentHash = "h", FirstSeenAt = TestApp.Start, SortDate = TestApp.Start };

        await app.WithDbAsync(async db =>
        {
            db.Entries.AddRange(Make(a), Make(b));
            await db.SaveChangesAsync();
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDbAsync(async db =>
        {
            db.Entries.Add(Make(a));
            await db.SaveChangesAsync();
        }));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Deleting_a_feed_deletes_its_entries_and_state(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var feedId = await app.AddFeedAsync("https://a.example/feed");
        await app.WithDbAsync(async db =>
        {
            db.Entries.Add(new Entry { FeedId = feedId, Key = "k", ContentHash = "h", FirstSeenAt = TestApp.Start, SortDate = TestApp.Start });
            await db.SaveChangesAsync();
            await db.Feeds.Where(f => f.Id == feedId).ExecuteDeleteAsync();
        });

        Assert.Equal(0, await app.WithDbAsync(db => db.Entries.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.FetchStates.CountAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Instants_compare_and_sort_in_queries(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddFeedAsync("https://a.example/feed", configure: f => f.LastEntryAt = TestApp.Start.AddDays(-2));
        await app.AddFeedAsync("https://b.example/feed", configure: f => f.LastEntryAt = TestApp.Start.AddDays(-1));

        var urls = await app.WithDbAsync(db => db.Feeds.Where(f => f.LastEntryAt > TestApp.Start.AddDays(-3))
            .OrderByDescending(f => f.LastEntryAt).Select(f => f.FeedUrl).ToListAsync());

        Assert.Equal(["https://b.example/feed", "https://a.example/feed"], urls);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_migrations_match_the_model(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);

        // Startup skips MigrateAsync (and its own model check) when no migration is pending.
        Assert.False(await app.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges())));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_database_a_migration_behind_is_brought_up_to_date(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var all = await app.WithDbAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
        await app.WithDbAsync(db => db.GetService<IMigrator>().MigrateAsync(all[^2]));
        Assert.Equal([all[^1]], await app.WithDbAsync(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));

        await FeedstandServices.MigrateAsync(app.Services, CancellationToken.None);

        Assert.Empty(await app.WithDbAsync(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));
        Assert.Equal(0, await app.WithDbAsync(db => db.DataProtectionKeys.CountAsync()));
    }
}
