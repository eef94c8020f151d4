using System.Diagnostics;
using Feedstand.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Feedstand.Tests.Web;

public sealed class SeedingTests : IAsyncLifetime
{
    private WebApp _web = null!;

    public async ValueTask InitializeAsync() => _web = await WebApp.StartAsync();

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task An_empty_database_gets_the_starter_directory_and_offline_posts()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = Stopwatch.GetTimestamp();
        await using (var scope = _web.App.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<Seeder>().SeedIfEmptyAsync(ct) >= 500);
        }
        var loader = _web.App.Services.GetServices<IHostedService>().OfType<SnapshotLoader>().Single();
        await loader.StoreAllAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var (feeds, withPosts, tags) = await _web.WithDbAsync(async db => (
            await db.Feeds.CountAsync(ct),
            await db.Feeds.CountAsync(f => f.Entries.Any(), ct),
            await db.Tags.Select(t => t.Name).ToListAsync(ct)));
        Assert.True(feeds >= 500, $"{feeds} feeds");
        Assert.Equal(8, withPosts);
        Assert.Contains("programming", tags);
        Assert.All(tags, tag => Assert.Matches("^[a-z0-9-]+$", tag));
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"seeding took {elapsed}");

        var page = await _web.GetPageAsync("/feeds/research-swtch-com-feed-atom");
        Assert.Equal("research!rsc", page.QuerySelector("h1")!.TextContent);
        // 19 posts offline, ten to a page.
        Assert.Equal(10, page.QuerySelectorAll("article.entry").Length);
        Assert.Equal("?page=2", page.QuerySelector("a[rel=next]")!.GetAttribute("href"));

        await using var again = _web.App.Services.CreateAsyncScope();
        Assert.Equal(0, await again.ServiceProvider.GetRequiredService<Seeder>().SeedIfEmptyAsync(ct));
    }
}
