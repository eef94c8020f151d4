using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Crawling;

public class FeedClaimsTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    public static TheoryData<string> Providers => TestApp.Providers;

    private static Task<List<long>> ClaimAsync(TestApp app, string owner, int limit) =>
        app.WithDbAsync(db => db.ClaimDueFeedsAsync(owner, app.Clock.GetUtcNow(), Lease, limit, TestContext.Current.CancellationToken));

    [Theory, MemberData(nameof(Providers))]
    public async Task Due_feeds_are_claimed_oldest_first_and_only_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var minutes = i;
            ids.Add(await app.AddFeedAsync($"https://f{i}.example/feed", configure: f => f.FetchState!.NextFetchAt = TestApp.Start.AddMinutes(-10 + minutes)));
        }

        var first = await ClaimAsync(app, "a", 3);
        var second = await ClaimAsync(app, "b", 3);
        var third = await ClaimAsync(app, "c", 3);

        Assert.Equal(ids[..3], first.Order());
        Assert.Equal(ids[3..], second.Order());
        Assert.Empty(third);
        var owners = await app.WithDbAsync(db => db.FetchStates.OrderBy(s => s.FeedId).Select(s => s.LeaseOwner).ToListAsync());
        Assert.Equal(["a", "a", "a", "b", "b"], owners);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Feeds_not_due_or_not_active_are_not_claimed(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddFeedAsync("https://later.example/feed", configure: f => f.FetchState!.NextFetchAt = TestApp.Start.AddMinutes(1));
        await app.AddFeedAsync("https://retired.example/feed", configure: f => f.Status = FeedStatus.Retired);
        await app.AddFeedAsync("https://pending.example/feed", configure: f => f.Status = FeedStatus.Pending);

        Assert.Empty(await ClaimAsync(app, "a", 10));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_crashed_refreshers_claims_return_when_the_lease_ends(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var id = await app.AddFeedAsync("https://a.example/feed");
        Assert.Equal([id], await ClaimAsync(app, "crashed", 10));

        app.Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Empty(await ClaimAsync(app, "b", 10));

        app.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([id], await ClaimAsync(app, "b", 10));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Claims_from_parallel_refreshers_never_overlap(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < 200; i++)
            {
                db.Feeds.Add(new Feed
                {
                    Slug = $"f{i}", FeedUrl = $"https://f{i}.example/feed", CreatedAt = TestApp.Start,
                    FetchState = new FetchState { NextFetchAt = TestApp.Start.AddSeconds(-i) },
                });
            }
            await db.SaveChangesAsync();
        });

        var claimers = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await ClaimAsync(app, $"r{n}", 7) is { Count: > 0 } batch)
            {
                mine.AddRange(batch);
            }
            return mine;
        })).ToList();
        var all = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }
}
