using Feedstand.Data;
using Feedstand.Discovery;
using Feedstand.Pages.RandomBlog;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedstand.Tests.Discovery;

public sealed class SubscriptionStoreTests
{
    public static TheoryData<string> Providers => TestApp.Providers;

    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

    [Theory, MemberData(nameof(Providers))]
    public async Task A_visitor_counts_once_per_feed_per_day_and_yesterdays_hashes_and_key_are_gone(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(provider);
        var alpha = await app.AddFeedAsync("https://alpha.example/feed");
        var beta = await app.AddFeedAsync("https://beta.example/feed");
        var counter = app.Get<SubscriptionCounter>();

        Task<bool> CountAsync(long feed, string reader, string address) =>
            app.WithDbAsync(db => counter.CountAsync(db, feed, reader, address, Browser, ct));

        Assert.True(await CountAsync(alpha, "feedly", "203.0.113.7"));
        Assert.False(await CountAsync(alpha, "inoreader", "203.0.113.7"));
        Assert.False(await CountAsync(alpha, SubscribeEndpoints.Copy, "203.0.113.7"));
        Assert.True(await CountAsync(beta, "feedly", "203.0.113.7"));
        Assert.True(await CountAsync(alpha, "copy", "198.51.100.1"));

        var today = SubscriptionDays.Of(app.Clock.GetUtcNow());
        var (counts, hashes, keys) = await app.WithDbAsync(async db => (
            await db.SubscriptionCounts.OrderBy(c => c.FeedId).ThenBy(c => c.Reader).Select(c => new { c.FeedId, c.Reader, c.Subscriptions }).ToListAsync(ct),
            await db.SubscriptionVisitors.ToListAsync(ct),
            await db.SubscriptionDayKeys.ToListAsync(ct)));
        Assert.Equal([new { FeedId = alpha, Reader = "copy", Subscriptions = 1 }, new { FeedId = alpha, Reader = "feedly", Subscriptions = 1 }, new { FeedId = beta, Reader = "feedly", Subscriptions = 1 }], counts);
        Assert.Equal(3, hashes.Count);
        Assert.All(hashes, h => Assert.Equal(16, h.Hash.Length));
        Assert.All(hashes, h => Assert.Equal(today, h.Day));
        Assert.Equal(today, Assert.Single(keys).Day);

        // The next day: the same visitor counts again, and yesterday's hashes and key are deleted.
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await CountAsync(alpha, "feedly", "203.0.113.7"));
        var (hashDays, keyDays, total) = await app.WithDbAsync(async db => (
            await db.SubscriptionVisitors.Select(v => v.Day).Distinct().ToListAsync(ct),
            await db.SubscriptionDayKeys.Select(k => k.Day).ToListAsync(ct),
            await db.SubscriptionCounts.Where(c => c.FeedId == alpha).SumAsync(c => c.Subscriptions, ct)));
        Assert.Equal([today + 1], hashDays);
        Assert.Equal([today + 1], keyDays);
        Assert.Equal(3, total);

        // A day without subscriptions: the refresher's sweep still forgets the day before.
        app.Clock.Advance(TimeSpan.FromDays(1));
        await app.WithDbAsync(db => counter.ForgetPastDaysAsync(db, ct));
        Assert.Equal(0, await app.WithDbAsync(db => db.SubscriptionVisitors.CountAsync(ct)));
        Assert.Equal(0, await app.WithDbAsync(db => db.SubscriptionDayKeys.CountAsync(ct)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_month_adds_visitors_and_each_readers_latest_figure_per_feed_url(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(provider);
        var alpha = await app.AddFeedAsync("https://alpha.example/feed", "alpha");
        var beta = await app.AddFeedAsync("https://beta.example/feed", "beta");
        var quiet = await app.AddFeedAsync("https://quiet.example/feed", "quiet");
        var now = app.Clock.GetUtcNow();
        var today = SubscriptionDays.Of(now);
        await app.WithDbAsync(async db =>
        {
            db.SubscriptionCounts.AddRange(
                new SubscriptionCount { FeedId = alpha, Day = today, Reader = "feedly", Subscriptions = 2 },
                new SubscriptionCount { FeedId = alpha, Day = today - 29, Reader = "copy", Subscriptions = 1 },
                new SubscriptionCount { FeedId = alpha, Day = today - 30, Reader = "copy", Subscriptions = 50 },
                new SubscriptionCount { FeedId = beta, Day = today - 3, Reader = "inoreader", Subscriptions = 4 });
            await db.SaveChangesAsync(ct);
        });
        var recorder = new ReaderReportRecorder(app.Get<IServiceScopeFactory>(), app.Clock, NullLogger<ReaderReportRecorder>.Instance);
        await recorder.RecordAsync("/feeds/alpha/rss", "alpha", new ReaderReport("Feedly", 12), ct);
        await recorder.RecordAsync("/feeds/alpha/atom", "alpha", new ReaderReport("Feedly", 3), ct);
        await recorder.RecordAsync("/feeds/alpha/rss", "alpha", new ReaderReport("Feedly", 15), ct); // the latest figure wins
        await recorder.RecordAsync("/feeds/alpha/translated/de/json", "alpha", new ReaderReport("Inoreader", 5), ct);
        await recorder.RecordAsync("/tags/rust/rss", null, new ReaderReport("Feedly", 40), ct);
        await recorder.RecordAsync("/feeds/missing/rss", "missing", new ReaderReport("Feedly", 40), ct);

        var tallies = await app.WithDbAsync(db => Subscriptions.ThisMonthAsync(db, [alpha, beta, quiet], now, ct));
        Assert.Equal(3, tallies[alpha].Visitors);
        Assert.Equal([new ReaderFigure("Feedly", 18), new ReaderFigure("Inoreader", 5)], tallies[alpha].Readers);
        Assert.Equal(26, tallies[alpha].Total);
        Assert.Equal(4, tallies[beta].Total);
        Assert.False(tallies.ContainsKey(quiet));
        var rows = await app.WithDbAsync(db => db.ReaderSubscribers.OrderBy(r => r.Path).Select(r => new { r.Path, r.FeedId }).ToListAsync(ct));
        Assert.Equal(["/feeds/alpha/atom", "/feeds/alpha/rss", "/feeds/alpha/translated/de/json", "/tags/rust/rss"], rows.Select(r => r.Path));
        Assert.Null(rows[^1].FeedId);

        var order = await app.WithDbAsync(db => Subscriptions.OrderByThisMonth(db.Feeds, now).ThenBy(f => f.Id).Select(f => f.Slug).ToListAsync(ct));
        Assert.Equal(["alpha", "beta", "quiet"], order);

        // A figure not seen for a month no longer counts.
        var later = now.AddDays(31);
        var old = await app.WithDbAsync(db => Subscriptions.ThisMonthAsync(db, [alpha], later, ct));
        Assert.False(old.ContainsKey(alpha));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_random_blog_is_a_working_feed_that_posted_in_the_last_year(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(provider);
        var now = app.Clock.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            var rust = new Tag { Name = "rust" };
            var good = ThisWeekTests.Feed("good", "en", [rust], ("p", now.AddDays(-100)));
            var german = ThisWeekTests.Feed("deutsch", "de-DE", [], ("p", now.AddDays(-10)));
            var failing = ThisWeekTests.Feed("failing", "en", [rust], ("p", now.AddDays(-1)));
            failing.FetchState!.ConsecutiveErrors = 2;
            var stale = ThisWeekTests.Feed("stale", "en", [rust], ("p", now.AddDays(-400)));
            var neverFetched = ThisWeekTests.Feed("never", "en", [rust], ("p", now.AddDays(-1)));
            neverFetched.FetchState!.LastSuccessAt = null;
            var pending = ThisWeekTests.Feed("pending", "en", [rust], ("p", now.AddDays(-1)));
            pending.Status = FeedStatus.Pending;
            db.Feeds.AddRange(good, german, failing, stale, neverFetched, pending);
            await db.SaveChangesAsync(ct);
        });

        var picked = new HashSet<string>();
        for (var seed = 0; seed < 40; seed++)
        {
            picked.Add((await app.WithDbAsync(db => RandomModel.PickAsync(db, null, null, now, new Random(seed), ct)))!);
        }
        Assert.Equal(["deutsch", "good"], picked.Order());
        Assert.Equal("good", await app.WithDbAsync(db => RandomModel.PickAsync(db, "rust", null, now, new Random(1), ct)));
        Assert.Equal("deutsch", await app.WithDbAsync(db => RandomModel.PickAsync(db, null, "de", now, new Random(1), ct)));
        Assert.Null(await app.WithDbAsync(db => RandomModel.PickAsync(db, "rust", "de", now, new Random(1), ct)));
        Assert.Null(await app.WithDbAsync(db => RandomModel.PickAsync(db, "nothing", null, now, new Random(1), ct)));
    }
}
