using System.Text;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Feedstand.Tests.Infrastructure.Documents;

namespace Feedstand.Tests.FullText;

public sealed class FullTextFetcherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Newest = TestApp.Start.AddHours(-1);

    private const string Teaser = "<p>The river rose overnight and the town woke to water in the streets… <a href=\"https://blog.example/x\">Read more</a></p>";

    private FeedServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FeedServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Providers => TestApp.Providers;

    /// <summary>An article page: navigation, a share bar, the post in five paragraphs, related posts and a footer.</summary>
    private static string ArticlePage(string title) => $$"""
        <!DOCTYPE html>
        <html><head><title>{{title}} | A blog</title><meta property="article:published_time" content="2026-01-10T08:00:00Z"></head>
        <body>
        <nav><a href="/">Home</a> <a href="/about">About</a></nav>
        <div class="share-bar"><a href="https://social.example/share">Share this post</a></div>
        <article><h1>{{title}}</h1>
        {{string.Concat(Enumerable.Range(1, 5).Select(i => $"<p>Paragraph {i} of the story. The river rose overnight and the town woke to water in the streets, so the neighbours carried sandbags from the old mill to the square and waited for the rain to stop, which it did only on the third day.</p>"))}}
        <p><img src="/images/river.jpg" alt="The river"></p>
        </article>
        <div class="related-posts"><h3>Related posts</h3><ul><li><a href="/a">Another flood</a></li><li><a href="/b">The mill</a></li></ul></div>
        <footer>© A blog</footer>
        </body></html>
        """;

    private static async Task RefreshAsync(TestApp app, long feedId)
    {
        await using var scope = app.Scope();
        await scope.ServiceProvider.GetRequiredService<FeedRefresher>().RefreshAsync(feedId, TestContext.Current.CancellationToken);
    }

    private static Task<List<(Entry Entry, EntryFullText? Text)>> EntriesAsync(TestApp app, long feedId) =>
        app.WithDbAsync(async db =>
        {
            var entries = await db.Entries.AsNoTracking().Where(e => e.FeedId == feedId).OrderBy(e => e.Key).ToListAsync();
            var texts = await db.EntryFullTexts.AsNoTracking().Where(t => t.FeedId == feedId).ToDictionaryAsync(t => t.EntryId);
            return entries.ConvertAll(e => (e, texts.GetValueOrDefault(e.Id)));
        });

    private void ServeFeed(IEnumerable<Item> items) =>
        _server.MapDocument("/feed.xml", Rss("River news", items, link: _server.Url("/")));

    [Theory, MemberData(nameof(Providers))]
    public async Task A_summary_only_feed_gets_the_full_text_of_its_new_entries_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        ServeFeed(Daily(2, Newest).Select(i => i with { Body = Teaser }));
        _server.MapDocument("/post-1", ArticlePage("Post 1"), "text/html; charset=utf-8");
        _server.MapDocument("/post-2", ArticlePage("Post 2"), "text/html; charset=utf-8");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        var entries = await EntriesAsync(app, feedId);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, pair =>
        {
            Assert.Contains("The river rose overnight", pair.Entry.SummaryHtml, StringComparison.Ordinal);
            var text = Assert.IsType<EntryFullText>(pair.Text);
            Assert.Null(text.Error);
            Assert.Contains("Paragraph 5 of the story.", text.ContentHtml, StringComparison.Ordinal);
            Assert.Contains(_server.Url("/images/river.jpg"), text.ContentHtml, StringComparison.Ordinal);
            Assert.DoesNotContain("Share this post", text.ContentHtml, StringComparison.Ordinal);
            Assert.DoesNotContain("Another flood", text.ContentHtml, StringComparison.Ordinal);
            Assert.True(text.PageWords > 150);
        });
        var settings = await app.WithDbAsync(db => db.FeedFullTexts.AsNoTracking().SingleAsync(s => s.FeedId == feedId));
        Assert.True(settings.IsSummaryOnly);
        Assert.Equal(2, settings.PagesFetchedThatDay);

        // A second refresh with nothing new fetches no page again.
        app.Clock.Advance(TimeSpan.FromHours(1));
        _server.MapDocument("/feed.xml", Rss("River news", Daily(2, Newest).Select(i => i with { Body = Teaser + " " }), link: _server.Url("/")), etag: "\"v2\"");
        await RefreshAsync(app, feedId);
        Assert.Equal(1, _server.CountOf("/post-1"));
        Assert.Equal(1, _server.CountOf("/post-2"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_full_content_feed_is_left_alone(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var body = "<p>" + string.Join(" ", Enumerable.Repeat("The whole post is here in the feed.", 60)) + "</p>";
        ServeFeed(Daily(3, Newest).Select(i => i with { Body = body }));
        _server.MapDocument("/post-1", ArticlePage("Post 1"), "text/html");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        Assert.All(await EntriesAsync(app, feedId), pair => Assert.Null(pair.Text));
        Assert.Equal(0, _server.CountOf("/post-1"));
        var settings = await app.WithDbAsync(db => db.FeedFullTexts.AsNoTracking().SingleAsync(s => s.FeedId == feedId));
        Assert.False(settings.IsSummaryOnly);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Forced_off_fetches_nothing_and_a_selector_picks_the_body(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        ServeFeed(Daily(1, Newest).Select(i => i with { Body = Teaser }));
        _server.MapDocument("/post-1", ArticlePage("Post 1").Replace("<p>Paragraph 1", "<p class=\"lede\">Paragraph 1", StringComparison.Ordinal), "text/html");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await app.WithDbAsync(async db =>
        {
            db.FeedFullTexts.Add(new FeedFullText { FeedId = feedId, Mode = FullTextMode.Off });
            await db.SaveChangesAsync();
        });

        await RefreshAsync(app, feedId);
        Assert.Equal(0, _server.CountOf("/post-1"));

        await app.WithDbAsync(async db =>
        {
            var settings = await db.FeedFullTexts.SingleAsync(s => s.FeedId == feedId);
            settings.Mode = FullTextMode.On;
            settings.CssSelector = "p.lede, p.lede + p";
            await db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromHours(1));
        _server.MapDocument("/feed.xml", Rss("River news", Daily(2, Newest.AddHours(1)).Select(i => i with { Body = Teaser }), link: _server.Url("/")), etag: "\"v2\"");
        _server.MapDocument("/post-2", ArticlePage("Post 2").Replace("<p>Paragraph 1", "<p class=\"lede\">Paragraph 1", StringComparison.Ordinal), "text/html");
        await RefreshAsync(app, feedId);

        // Forced on: both entries of the last two days, the one seen while off included.
        var entries = await EntriesAsync(app, feedId);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, pair =>
        {
            Assert.Contains("Paragraph 1 of the story", pair.Text?.ContentHtml, StringComparison.Ordinal);
            Assert.DoesNotContain("Paragraph 3", pair.Text?.ContentHtml, StringComparison.Ordinal);
        });
    }

    public static TheoryData<string, string, string> BadPages => new()
    {
        { TestApp.Sqlite, "huge", "TooLarge" },
        { TestApp.Sqlite, "not-html", "NotHtml" },
        { TestApp.Sqlite, "missing", "HttpStatus" },
        { TestApp.Sqlite, "empty-page", "NoArticle" },
        { TestApp.Postgres, "huge", "TooLarge" },
        { TestApp.Postgres, "not-html", "NotHtml" },
    };

    [Theory, MemberData(nameof(BadPages))]
    public async Task A_bad_page_leaves_an_error_on_the_entry_and_the_teaser_stays(string provider, string page, string kind)
    {
        await using var app = await TestApp.StartAsync(provider, new Dictionary<string, string?> { ["FULLTEXT_MAX_PAGE_BYTES"] = "65536" });
        ServeFeed([new Item(page, "Post", Newest, Teaser)]);
        switch (page)
        {
            case "huge":
                _server.MapDocument("/huge", "<html><body>" + new string('x', 100_000) + "</body></html>", "text/html");
                break;
            case "not-html":
                _server.Map("/not-html", async context =>
                {
                    context.Response.ContentType = "application/pdf";
                    await context.Response.Body.WriteAsync("%PDF-1.7 not a page"u8.ToArray());
                });
                break;
            case "empty-page":
                _server.MapDocument("/empty-page", "<html><body><p>Nothing much.</p></body></html>", "text/html");
                break;
        }
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        var (entry, text) = Assert.Single(await EntriesAsync(app, feedId));
        Assert.NotNull(text);
        Assert.Equal(kind, text.ErrorKind);
        Assert.False(string.IsNullOrEmpty(text.Error));
        Assert.Null(text.ContentHtml);
        Assert.Contains("The river rose overnight", entry.SummaryHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_page_times_out_with_an_error_on_the_entry()
    {
        await using var app = await TestApp.StartAsync(TestApp.Sqlite);
        ServeFeed([new Item("slow", "Post", Newest, Teaser)]);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Map("/slow", async context =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        var refreshing = RefreshAsync(app, feedId);
        await arrived.Task.WaitAsync(TestContext.Current.CancellationToken);
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await refreshing;

        var (_, text) = Assert.Single(await EntriesAsync(app, feedId));
        Assert.Equal("Timeout", text?.ErrorKind);
        Assert.Equal("timed out after 5 s", text?.Error);
    }

    [Fact]
    public async Task A_page_on_a_private_address_is_refused_by_the_guard()
    {
        await using var app = await TestApp.StartAsync(TestApp.Sqlite, new Dictionary<string, string?> { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        _server.MapDocument("/private", ArticlePage("Private"), "text/html");
        var document = Rss("River news", [new Item("private", "Post", Newest, Teaser)], link: _server.Url("/"));

        // The feed itself arrives as if fetched already; its entry links to 127.0.0.1.
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            var feed = await db.Feeds.AsNoTracking().Where(f => f.Id == feedId).Select(FeedToFetch.Projection)
                .SingleAsync(TestContext.Current.CancellationToken);
            // RefreshAsync takes the response at hand and disposes it.
            var fetched = FetchResult.FromBody(_server.Url("/feed.xml"), Encoding.UTF8.GetBytes(document), "application/rss+xml");
            await scope.ServiceProvider.GetRequiredService<FeedRefresher>().RefreshAsync(feed, fetched, TestContext.Current.CancellationToken);
        }

        var (entry, text) = Assert.Single(await EntriesAsync(app, feedId));
        Assert.Equal("Blocked", text?.ErrorKind);
        Assert.Contains("private address", text?.Error, StringComparison.Ordinal);
        Assert.Equal(0, _server.CountOf("/private"));
        Assert.Contains("The river rose overnight", entry.SummaryHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daily_cap_stops_fetching_for_the_day()
    {
        await using var app = await TestApp.StartAsync(TestApp.Sqlite, new Dictionary<string, string?> { ["FULLTEXT_DAILY_PER_FEED"] = "2" });
        ServeFeed(Daily(4, Newest).Select(i => i with { Body = Teaser }));
        foreach (var i in Enumerable.Range(1, 4))
        {
            _server.MapDocument($"/post-{i}", ArticlePage($"Post {i}"), "text/html");
        }
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        var entries = await EntriesAsync(app, feedId);
        Assert.Equal(2, entries.Count(pair => pair.Text is not null));
        Assert.Equal(2, Enumerable.Range(1, 4).Sum(i => _server.CountOf($"/post-{i}")));
    }
}
