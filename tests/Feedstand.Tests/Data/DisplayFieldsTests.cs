using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Data;

/// <summary>Feed.DisplayTitle, DisplayDescription and DisplayIconUrl: one expression each, the same answer in memory and in SQL.</summary>
public class DisplayFieldsTests
{
    public static TheoryData<string> Providers => TestApp.Providers;

    private static async Task<(long Override, long Title, long Url)> AddThreeAsync(TestApp app)
    {
        var withOverride = await app.AddFeedAsync("https://c.example/feed", configure: f =>
        {
            f.Title = "z feed's own title";
            f.TitleOverride = "a admin title";
            f.Description = "feed description";
            f.DescriptionOverride = "admin description";
            f.IconUrl = "https://c.example/icon.png";
            f.IconUrlOverride = "https://c.example/admin.png";
        });
        var withTitle = await app.AddFeedAsync("https://b.example/feed", configure: f =>
        {
            f.Title = "b feed title";
            f.Description = "feed description";
            f.IconUrl = "https://b.example/icon.png";
        });
        var urlOnly = await app.AddFeedAsync("https://a.example/feed");
        return (withOverride, withTitle, urlOnly);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Display_fields_read_the_same_in_memory_and_through_sql(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var ids = await AddThreeAsync(app);

        var inMemory = await app.WithDbAsync(async db => (await db.Feeds.AsNoTracking().OrderBy(f => f.Id).ToListAsync())
            .Select(f => (f.Id, f.DisplayTitle, f.DisplayDescription, f.DisplayIconUrl)).ToList());
        var inSql = await app.WithDbAsync(async db => (await db.Feeds.AsNoTracking().OrderBy(f => f.Id)
            .Select(f => new { f.Id, f.DisplayTitle, f.DisplayDescription, f.DisplayIconUrl }).ToListAsync())
            .Select(f => (f.Id, f.DisplayTitle, f.DisplayDescription, f.DisplayIconUrl)).ToList());

        Assert.Equal(inMemory, inSql);
        Assert.Equal(
            [
                (ids.Override, "a admin title", "admin description", "https://c.example/admin.png"),
                (ids.Title, "b feed title", "feed description", "https://b.example/icon.png"),
                (ids.Url, "https://a.example/feed", null, null),
            ],
            inSql);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_query_can_filter_and_sort_by_the_display_title_in_one_sql_statement(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var ids = await AddThreeAsync(app);

        var (sorted, filtered, sql) = await app.WithDbAsync(async db =>
        {
            var query = db.Feeds.AsNoTracking().Where(f => f.DisplayTitle != "b feed title").OrderBy(f => f.DisplayTitle).Select(f => f.Id);
            var ordered = await db.Feeds.AsNoTracking().OrderBy(f => f.DisplayTitle).Select(f => f.Id).ToListAsync();
            return (ordered, await query.ToListAsync(), query.ToQueryString());
        });

        // "a admin title" < "b feed title" < "https://a.example/feed": the override wins over the feed's own "z…" title.
        Assert.Equal([ids.Override, ids.Title, ids.Url], sorted);
        Assert.Equal([ids.Override, ids.Url], filtered);
        Assert.Contains("COALESCE", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, CountOf("SELECT", sql));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_display_title_through_a_navigation_is_translated_too(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var ids = await AddThreeAsync(app);
        await app.WithDbAsync(async db =>
        {
            db.Entries.Add(new Entry { FeedId = ids.Override, Key = "k", ContentHash = "h", FirstSeenAt = TestApp.Start, SortDate = TestApp.Start });
            await db.SaveChangesAsync();
        });

        var titles = await app.WithDbAsync(db => db.Entries.AsNoTracking()
            .Where(e => e.Feed!.DisplayTitle.StartsWith("a "))
            .Select(e => e.Feed!.DisplayTitle).ToListAsync());

        Assert.Equal(["a admin title"], titles);
    }

    private static int CountOf(string word, string text)
    {
        var count = 0;
        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }
        return count;
    }
}
