using System.IO.Compression;
using Feedstand.Data;
using Feedstand.Pages;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Web;

/// <summary>Issue 12, items 2, 3 and 7: the directory's cards, filters and pages; folded posts; the admin's health page.</summary>
public sealed class DirectoryCardsTests : IAsyncLifetime
{
    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "alpha", tags: ["rust"], title: "Zed alpha");
            await TestFeeds.AddAsync(db, "beta", tags: ["rust", "go"], language: "zh-Hans", title: "Able beta");
            await TestFeeds.AddAsync(db, "gamma", entries: 0, tags: ["go"], title: "Middle gamma");
            var failing = await TestFeeds.AddAsync(db, "failing", entries: 1, title: "Failing feed");
            failing.FetchState!.ConsecutiveErrors = 4;
            failing.FetchState.LastErrorKind = "Dns";
            failing.FetchState.LastError = "DNS lookup failed";
            var recent = await TestFeeds.AddAsync(db, "recent", entries: 0, title: "Recent feed");
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < 9; i++)
            {
                var date = now.AddDays(-i * 9);
                recent.Entries.Add(new Entry
                {
                    Key = "recent-" + i, Link = "https://recent.example/" + i, Title = "Recent post " + i, PublishedAt = date,
                    SortDate = date, FirstSeenAt = date, ContentHash = "r" + i, ContentHtml = "<p>Recent</p>",
                });
            }
            recent.LastEntryAt = now;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task A_card_shows_icon_title_description_tags_language_by_name_last_post_rate_and_health()
    {
        var page = await _web.GetPageAsync("/?sort=name");
        var card = page.QuerySelectorAll(".cards .card").Single(c => c.QuerySelector("a.title")!.TextContent == "Able beta");
        // The stored icon (or a letter avatar) through /icons/{slug}: never the site's own URL (Media/IconStage).
        Assert.Equal("/icons/beta", card.QuerySelector("img.card-icon")!.GetAttribute("src"));
        Assert.Equal("/feeds/beta", card.QuerySelector("a.title")!.GetAttribute("href"));
        Assert.Equal("Writing about beta", card.QuerySelector(".card-description")!.TextContent);
        Assert.Equal(["go", "rust"], card.QuerySelectorAll(".card-tags a").Select(a => a.TextContent));
        Assert.Equal("中文", card.QuerySelector(".card-language")!.TextContent);
        Assert.Equal("2025-10-26", card.QuerySelector(".card-meta time")!.TextContent);
        Assert.Equal("quiet for a year", card.QuerySelector(".health")!.TextContent);

        var recent = page.QuerySelectorAll(".cards .card").Single(c => c.QuerySelector("a.title")!.TextContent == "Recent feed");
        Assert.Equal("3 posts a month", recent.QuerySelector(".card-rate")!.TextContent);
        Assert.Equal("healthy", recent.QuerySelector(".health")!.TextContent);
        var failing = page.QuerySelectorAll(".cards .card").Single(c => c.QuerySelector("a.title")!.TextContent == "Failing feed");
        Assert.Equal("failing", failing.QuerySelector(".health")!.TextContent);
    }

    [Fact]
    public async Task Newest_posts_come_only_from_recent_months()
    {
        var page = await _web.GetPageAsync("/");
        var titles = page.QuerySelectorAll("#newest-heading ~ ul li a.title").Select(a => a.TextContent).ToList();
        Assert.Equal(["Recent post 0", "Recent post 1", "Recent post 2", "Recent post 3", "Recent post 4", "Recent post 5", "Recent post 6", "Recent post 7"], titles);
        Assert.DoesNotContain(page.QuerySelectorAll("#newest-heading ~ ul a.title"), a => a.TextContent.Contains("of alpha", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tag_pages_filter_by_language_too_and_show_counts()
    {
        var rust = await _web.GetPageAsync("/tags/rust");
        Assert.Equal("2 feeds", rust.QuerySelector("h1 .count")!.TextContent);
        var languages = rust.QuerySelectorAll("nav.filter a").Select(a => (a.TextContent, a.GetAttribute("href"))).ToList();
        Assert.Equal([("All", "/tags/rust"), ("English (1)", "/tags/rust?lang=en"), ("中文 (1)", "/tags/rust?lang=zh")], languages);

        var both = await _web.GetPageAsync("/tags/rust?lang=zh");
        Assert.Equal(["Able beta"], both.QuerySelectorAll(".cards a.title").Select(a => a.TextContent));
        Assert.Equal("2 feeds", both.QuerySelector("h1 .count")!.TextContent);
        Assert.Equal("1 of them in this language.", both.QuerySelector(".filtered-count")!.TextContent);

        var home = await _web.GetPageAsync("/?lang=zh");
        Assert.Equal("/tags/rust?lang=zh", home.QuerySelectorAll("#tags-heading + ul a").Single(a => a.TextContent.StartsWith("rust", StringComparison.Ordinal)).GetAttribute("href"));
    }

    [Fact]
    public async Task Page_numbers_link_every_nearby_page_and_the_last()
    {
        await _web.WithDbAsync(async db =>
        {
            for (var i = 0; i < FeedListing.PageSize * 6; i++)
            {
                db.Feeds.Add(new Feed { Slug = "many-" + i, FeedUrl = $"https://many{i}.example/feed", Title = "Many " + i, CreatedAt = DateTimeOffset.UnixEpoch });
            }
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        var first = await _web.GetPageAsync("/?sort=name");
        Assert.Equal(["1", "2", "3", "…", "7"], first.QuerySelectorAll(".page-numbers li").Select(li => li.TextContent.Trim()));
        var page = await _web.GetPageAsync("/?sort=name&page=4");
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], page.QuerySelectorAll(".page-numbers li").Select(li => li.TextContent.Trim()));
        Assert.Equal("4", page.QuerySelector(".page-numbers [aria-current=page]")!.TextContent);
        Assert.Equal("/?sort=name&page=7", page.QuerySelectorAll(".page-numbers a")[^1].GetAttribute("href"));
        Assert.Equal("/?sort=name&page=3", page.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("/?sort=name&page=5", page.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Equal(FeedListing.PageSize, page.QuerySelectorAll(".cards .card").Length);
    }

    [Fact]
    public async Task A_long_post_is_folded_behind_read_the_rest_and_a_short_one_is_not()
    {
        var paragraphs = string.Concat(Enumerable.Range(0, 40).Select(i => $"<p>Paragraph {i} {new string('x', 150)}</p>"));
        await _web.WithDbAsync(async db =>
        {
            var feed = await TestFeeds.AddAsync(db, "long", entries: 2);
            var newest = feed.Entries.OrderByDescending(e => e.SortDate).First();
            newest.ContentHtml = "<div class=\"post\"><h2>Inside heading</h2>" + paragraphs + "</div>";
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        var page = await _web.GetPageAsync("/feeds/long");
        var entries = page.QuerySelectorAll("article.entry");
        var folded = entries[0];
        var fold = folded.QuerySelector("details.fold")!;
        Assert.Equal("Read the rest", fold.QuerySelector("summary")!.TextContent);
        var open = folded.QuerySelector(":scope > .entry-content")!;
        Assert.Equal("Inside heading", open.QuerySelector("div.post h2")!.TextContent);
        var shown = open.QuerySelectorAll("p").Length;
        var hidden = fold.QuerySelectorAll("div.post p").Length;
        Assert.InRange(shown, 5, 20);
        Assert.Equal(40, shown + hidden);
        Assert.Equal("Paragraph " + shown + " " + new string('x', 150), fold.QuerySelector("div.post p")!.TextContent);
        Assert.Null(entries[1].QuerySelector("details.fold"));
    }

    [Fact]
    public async Task The_health_page_pages_sorts_and_filters_and_says_failing()
    {
        await AdminTests.CreateAdminAsync(_web);
        await AdminTests.LogInAsync(_web.Client, AdminTests.Password);
        var all = await _web.GetPageAsync("/admin/health");
        Assert.Equal("Failing feed", all.QuerySelector("table.health-table tbody tr td a")!.TextContent);
        Assert.Equal("failing", all.QuerySelector("table.health-table tbody tr .health")!.TextContent);
        Assert.Equal("The site's name could not be found (DNS).", all.QuerySelector("table.health-table tbody tr td.error-text .error-wording")!.TextContent);

        var failing = await _web.GetPageAsync("/admin/health?filter=failing");
        Assert.Equal(["Failing feed"], failing.QuerySelectorAll("table.health-table tbody td.feed-name a").Select(a => a.TextContent));
        var stale = await _web.GetPageAsync("/admin/health?filter=stale&sort=name");
        Assert.Equal(["Able beta", "Middle gamma", "Zed alpha"], stale.QuerySelectorAll("table.health-table tbody td.feed-name a").Select(a => a.TextContent));
        var ok = await _web.GetPageAsync("/admin/health?filter=ok");
        Assert.Equal(["Recent feed"], ok.QuerySelectorAll("table.health-table tbody td.feed-name a").Select(a => a.TextContent));
        Assert.Equal("(1)", ok.QuerySelector("nav.filter a[href='/admin/health?filter=failing'] .muted")!.TextContent);

        var edit = await _web.GetPageAsync("/admin/feeds/failing");
        Assert.Equal("Edit Failing feed · Feedstand", edit.Title);
        Assert.StartsWith("Edit Failing feed", edit.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_page_s_css_and_js_weigh_under_30_kb_compressed()
    {
        var page = await _web.GetPageAsync("/");
        var assets = page.QuerySelectorAll("link[rel=stylesheet], script[src]")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src")!)
            .ToList();
        Assert.Equal(2, assets.Count);
        long total = 0;
        foreach (var asset in assets)
        {
            var bytes = await _web.Client.GetByteArrayAsync(asset, TestContext.Current.CancellationToken);
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                await gzip.WriteAsync(bytes, TestContext.Current.CancellationToken);
            }
            Assert.True(bytes.Length > 100, $"{asset} is empty");
            total += compressed.Length;
        }
        Assert.True(total < 30 * 1024, $"CSS + JS are {total} bytes compressed");
    }
}
