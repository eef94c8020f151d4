using System.Diagnostics;
using Feedstand.Seeding;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Feedstand.Tests.Web;

public sealed class SeedingTests : IAsyncLifetime
{
    private TestApp _web = null!;

    public async ValueTask InitializeAsync() => _web = await TestApp.StartWebAsync();

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task An_empty_database_gets_the_starter_directory_and_offline_posts()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = Stopwatch.GetTimestamp();
        await using (var scope = _web.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<Seeder>().SeedIfEmptyAsync(ct) >= 500);
        }
        var loader = _web.Services.GetServices<IHostedService>().OfType<SnapshotLoader>().Single();
        await loader.StoreAllAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var (feeds, withPosts, chineseWithPosts, tags) = await _web.WithDbAsync(async db => (
            await db.Feeds.CountAsync(ct),
            await db.Feeds.CountAsync(f => f.Entries.Any(), ct),
            await db.Feeds.CountAsync(f => f.Entries.Any() && f.Language!.StartsWith("zh"), ct),
            await db.Tags.Select(t => t.Name).ToListAsync(ct)));
        Assert.True(feeds >= 500, $"{feeds} feeds");
        Assert.Equal(22, withPosts);
        Assert.Equal(1, chineseWithPosts);
        Assert.Contains("programming", tags);
        Assert.All(tags, tag => Assert.Matches("^[a-z0-9-]+$", tag));
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"seeding took {elapsed}");

        var home = await _web.GetPageAsync("/");
        Assert.StartsWith("22 feeds have posts", home.QuerySelector("p.with-posts")!.TextContent, StringComparison.Ordinal);
        var seedsOwnBlog = await _web.WithDbAsync(db => db.Feeds.Where(f => f.FeedUrl == "https://lethain.com/feeds/").Select(f => f.Slug).SingleAsync(ct));
        Assert.Equal(6, (await _web.GetPageAsync("/feeds/" + seedsOwnBlog)).QuerySelectorAll("article.entry").Length);
        var chinese = await _web.WithDbAsync(db => db.Feeds.Where(f => f.FeedUrl == "http://www.kc0011.net/").Select(f => f.Slug).SingleAsync(ct));
        Assert.Contains("投资资讯网", (await _web.GetPageAsync("/feeds/" + chinese)).QuerySelector("h1")!.TextContent, StringComparison.Ordinal);

        var page = await _web.GetPageAsync("/feeds/research-swtch-com-feed-atom");
        Assert.Equal("research!rsc", page.QuerySelector("h1")!.TextContent);
        // 19 posts offline, ten to a page.
        Assert.Equal(10, page.QuerySelectorAll("article.entry").Length);
        Assert.Equal("?page=2", page.QuerySelector("a[rel=next]")!.GetAttribute("href"));

        await using var again = _web.Services.CreateAsyncScope();
        Assert.Equal(0, await again.ServiceProvider.GetRequiredService<Seeder>().SeedIfEmptyAsync(ct));
    }
}
