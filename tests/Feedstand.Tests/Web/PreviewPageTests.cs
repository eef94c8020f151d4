using System.Net;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Feedstand.Web;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Feedstand.Tests.Web;

public sealed class PreviewPageTests : IAsyncLifetime
{
    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "alpha", entries: 25, tags: ["rust", "notes"]);
            await TestFeeds.AddAsync(db, "empty", entries: 0);
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task Preview_page_shows_the_seed_elements_in_order()
    {
        var page = await _web.GetPageAsync("/feeds/alpha");
        var main = page.QuerySelector("main")!;
        var order = new[] { "img.feed-icon", "h1", "a.modify", "p.description", "#feed-url", "button.copy-button", "ul.readers", "#entries-heading", "article.entry" };
        var positions = order.Select(selector => Array.IndexOf(main.QuerySelectorAll("*").ToArray(), main.QuerySelector(selector))).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order().ToList(), positions);
        Assert.Equal("Blog alpha", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("/feeds/alpha/modify", page.QuerySelector("a.modify")!.GetAttribute("href"));
        Assert.Equal("RSS preview of Blog alpha", page.QuerySelector("#entries-heading")!.TextContent);
        Assert.Equal("https://alpha.example/feed.xml", page.QuerySelector("#feed-url")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Entries_are_newest_first_with_utc_dates_in_time_elements()
    {
        var page = await _web.GetPageAsync("/feeds/alpha");
        var entries = page.QuerySelectorAll("article.entry");
        Assert.Equal(10, entries.Length);
        var first = entries[0];
        Assert.Equal("Post 0 of alpha", first.QuerySelector("h3 a")!.TextContent);
        Assert.Equal("https://alpha.example/post-0", first.QuerySelector("h3 a")!.GetAttribute("href"));
        var time = first.QuerySelector("time")!;
        Assert.Equal("2025-10-26 19:00:00", time.TextContent);
        Assert.Equal("2025-10-26T19:00:00Z", time.GetAttribute("datetime"));
        Assert.Equal("2025-10-26 19:00:00 UTC", first.QuerySelector(".entry-date")!.TextContent);
        Assert.Equal("Post 1 of alpha", entries[1].QuerySelector("h3 a")!.TextContent);
        Assert.Equal("bold", first.QuerySelector(".entry-content strong")!.TextContent);
    }

    /// <summary>Issue 14: a post whose full text was fetched shows it, says so, and links the page it came from.</summary>
    [Fact]
    public async Task A_post_with_fetched_full_text_shows_it_with_a_note_and_the_source()
    {
        await _web.WithDbAsync(async db =>
        {
            var entry = await db.Entries.Include(e => e.Feed).OrderByDescending(e => e.SortDate).FirstAsync(e => e.Feed!.Slug == "alpha");
            db.EntryFullTexts.Add(new Feedstand.Data.EntryFullText
            {
                EntryId = entry.Id,
                FeedId = entry.FeedId,
                SourceUrl = "https://alpha.example/post-0?from=feed",
                ContentHtml = "<p>The whole post, five paragraphs long, fetched from the site.</p>",
                PageWords = 400,
                TeaserWords = 20,
                FetchedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        var entries = (await _web.GetPageAsync("/feeds/alpha")).QuerySelectorAll("article.entry");

        var first = entries[0];
        Assert.Equal("The whole post, five paragraphs long, fetched from the site.", first.QuerySelector(".entry-content")!.TextContent);
        var note = first.QuerySelector("p.fulltext-note")!;
        Assert.StartsWith("Full text fetched from the post", note.TextContent, StringComparison.Ordinal);
        Assert.Equal("https://alpha.example/post-0?from=feed", note.QuerySelector("a")!.GetAttribute("href"));
        Assert.Null(entries[1].QuerySelector("p.fulltext-note"));
    }

    [Fact]
    public async Task Subscribe_links_carry_the_encoded_feed_url()
    {
        var page = await _web.GetPageAsync("/feeds/alpha");
        // Each link goes through the counted redirect (Discovery/SubscribeEndpoints) to the reader.
        var links = new Dictionary<string, string?>();
        foreach (var a in page.QuerySelectorAll("ul.readers a"))
        {
            Assert.Equal("/feeds/alpha/subscribe/" + a.GetAttribute("data-reader"), a.GetAttribute("href"));
            using var response = await _web.Client.GetAsync(a.GetAttribute("href"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            links[a.GetAttribute("data-reader")!] = response.Headers.Location!.OriginalString;
        }
        const string enc = "https%3A%2F%2Falpha.example%2Ffeed.xml";
        Assert.Equal("https://www.inoreader.com/?add_feed=" + enc, links["inoreader"]);
        Assert.Equal("https://feedly.com/i/subscription/feed/" + enc, links["feedly"]);
        Assert.Equal("https://app.folo.is/discover?type=rss&url=" + enc, links["follow"]);
        Assert.Equal("https://feedbin.com/?subscribe=" + enc, links["feedbin"]);
        Assert.Equal("https://www.newsblur.com/?url=" + enc, links["newsblur"]);
        Assert.Equal("https://theoldreader.com/feeds/subscribe?url=" + enc, links["theoldreader"]);
        Assert.Equal("feed:https://alpha.example/feed.xml", links["local"]);
        Assert.Equal(Readers.All.Count, links.Count);
    }

    [Fact]
    public async Task Preview_page_has_facts_alternates_open_graph_and_noindex()
    {
        var page = await _web.GetPageAsync("/feeds/alpha");
        Assert.Equal(["notes", "rust"], page.QuerySelectorAll(".tags a").Select(a => a.TextContent));
        Assert.Equal("English", page.QuerySelector("dd.language")!.TextContent);
        Assert.Equal("en", page.QuerySelector("dd.language span")!.GetAttribute("lang"));
        Assert.Equal("2025-10-26T19:00:00Z", page.QuerySelector("dd.last-updated time")!.GetAttribute("datetime"));
        Assert.Equal("about every 3 days", page.QuerySelector("dd.rhythm")!.TextContent);
        Assert.Equal("OK", page.QuerySelector("dd.health")!.TextContent.Trim());
        Assert.Equal("noindex,follow", page.QuerySelector("meta[name=robots]")!.GetAttribute("content"));
        Assert.Equal(
            ["/feeds/alpha/rss", "/feeds/alpha/atom", "/feeds/alpha/json", "/feeds/alpha.md"],
            page.QuerySelectorAll("link[rel=alternate]").Select(l => l.GetAttribute("href")));
        Assert.Equal("Blog alpha", page.QuerySelector("meta[property='og:title']")!.GetAttribute("content"));
        Assert.Equal("https://alpha.example/icon.png", page.QuerySelector("meta[property='og:image']")!.GetAttribute("content"));
    }

    [Fact]
    public async Task Older_entries_are_on_the_second_page()
    {
        var first = await _web.GetPageAsync("/feeds/alpha");
        Assert.Equal("?page=2", first.QuerySelector("a[rel=next]")!.GetAttribute("href"));
        var second = await _web.GetPageAsync("/feeds/alpha?page=2");
        var entries = second.QuerySelectorAll("article.entry");
        Assert.Equal(10, entries.Length);
        Assert.Equal("Post 10 of alpha", entries[0].QuerySelector("h3 a")!.TextContent);
        Assert.Equal("?page=3", second.QuerySelector("a[rel=next]")!.GetAttribute("href"));
        Assert.Equal("?page=1", second.QuerySelector("a[rel=prev]")!.GetAttribute("href"));
        var third = await _web.GetPageAsync("/feeds/alpha?page=3");
        Assert.Equal(5, third.QuerySelectorAll("article.entry").Length);
        Assert.Null(third.QuerySelector("a[rel=next]"));
    }

    [Fact]
    public async Task A_feed_without_posts_says_why()
    {
        var page = await _web.GetPageAsync("/feeds/empty");
        Assert.Empty(page.QuerySelectorAll("article.entry"));
        Assert.Equal("No posts: the feed was fetched at 2025-10-26 19:00:00 UTC and holds none.", page.QuerySelector("#entries-heading + p.empty-state")!.TextContent);

        await _web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "never", entries: 0);
            await TestFeeds.AddAsync(db, "broken", entries: 0);
            var never = await db.FetchStates.SingleAsync(s => s.Feed!.Slug == "never", TestContext.Current.CancellationToken);
            never.LastFetchAt = null;
            never.LastSuccessAt = null;
            var broken = await db.FetchStates.SingleAsync(s => s.Feed!.Slug == "broken", TestContext.Current.CancellationToken);
            broken.ConsecutiveErrors = 4;
            broken.LastErrorKind = "Timeout";
            broken.LastError = "timed out after 30 s";
            broken.LastSuccessAt = TestFeeds.Newest.AddDays(-3);
            broken.NextFetchAt = TestFeeds.Newest.AddHours(8);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        var never = await _web.GetPageAsync("/feeds/never");
        Assert.Equal("No posts yet: this feed has not been fetched. The first try is due at 2025-10-26 20:00:00 UTC.",
            never.QuerySelector("p.empty-state")!.TextContent);
        var broken = await _web.GetPageAsync("/feeds/broken");
        Assert.Equal("No posts: the last 4 fetches failed (the last success was at 2025-10-23 19:00:00 UTC). The site took too long to answer. Next try at 2025-10-27 03:00:00 UTC.",
            broken.QuerySelector("p.empty-state")!.TextContent);
        Assert.Equal("failing (4 errors in a row): The site took too long to answer.", broken.QuerySelector("dd.health")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_post_list_at_the_top_jumps_to_each_post()
    {
        var page = await _web.GetPageAsync("/feeds/alpha");
        var links = page.QuerySelectorAll("nav.toc a").ToList();
        Assert.Equal(10, links.Count);
        Assert.Equal("Post 0 of alpha", links[0].TextContent);
        foreach (var link in links)
        {
            var target = link.GetAttribute("href")!;
            Assert.StartsWith("#", target, StringComparison.Ordinal);
            Assert.Equal("article", page.GetElementById(target[1..])!.LocalName);
        }
        Assert.True(page.QuerySelector("nav.toc")!.CompareDocumentPosition(page.QuerySelector("article.entry")!).HasFlag(AngleSharp.Dom.DocumentPositions.Following));
    }

    [Fact]
    public async Task Unknown_slug_is_a_404_page()
    {
        var page = await _web.GetPageAsync("/feeds/nope", expected: HttpStatusCode.NotFound);
        Assert.Equal("Page not found", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Pages_carry_the_content_security_policy_and_security_headers()
    {
        using var response = await _web.Client.GetAsync("/feeds/alpha", TestContext.Current.CancellationToken);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var page = await TestApp.ParseAsync(response);
        Assert.Empty(page.QuerySelectorAll("script:not([src]), style, [style], [onclick]"));
    }

    [Fact]
    public async Task Chinese_is_chosen_by_accept_language_and_by_the_switcher_cookie()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/alpha");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9,en;q=0.5");
        using var response = await _web.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var page = await TestApp.ParseAsync(response);
        Assert.Equal("zh-Hans", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Blog alpha 的 RSS 预览", page.QuerySelector("#entries-heading")!.TextContent);

        var client = _web.NewClient();
        using var switched = await client.GetAsync("/lang/zh-Hans?return=%2Ffeeds%2Falpha", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/feeds/alpha", switched.Headers.Location!.OriginalString);
        var after = await _web.GetPageAsync("/feeds/alpha", client);
        Assert.Equal("修改", after.QuerySelector("a.modify")!.TextContent);
    }

    [Fact]
    public async Task Language_switcher_refuses_to_redirect_off_site()
    {
        using var response = await _web.Client.GetAsync("/lang/en?return=%2F%2Fevil.example", TestContext.Current.CancellationToken);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Both_languages_have_every_string()
    {
        var (english, chinese) = Feedstand.Web.UiText.Keys;
        Assert.Equal(english.Order(), chinese.Order());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Static_files_are_served()
    {
        using var css = await _web.Client.GetAsync("/css/site.css", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("prefers-color-scheme", await css.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var js = await _web.Client.GetAsync("/js/site.js", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
    }

    [Fact]
    public async Task Health_check_reports_the_database()
    {
        using var response = await _web.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"database\":\"ok\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}

public sealed class PageCacheTests : IAsyncLifetime
{
    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(db => TestFeeds.AddAsync(db, "alpha", entries: 2));
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task A_refresh_seen_by_the_watcher_evicts_cached_pages()
    {
        var ct = TestContext.Current.CancellationToken;
        var watcher = _web.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<FeedChangeWatcher>().Single();
        await watcher.CheckAsync(ct);
        Assert.Equal(2, (await _web.GetPageAsync("/feeds/alpha")).QuerySelectorAll("article.entry").Length);

        // What a refresh does: a new entry and a newer successful fetch.
        await _web.WithDbAsync(async db =>
        {
            var feed = await db.Feeds.Include(f => f.FetchState).SingleAsync(f => f.Slug == "alpha", ct);
            feed.FetchState!.LastSuccessAt = TestFeeds.Newest.AddHours(1);
            db.Entries.Add(new Feedstand.Data.Entry
            {
                FeedId = feed.Id, Key = "new", Title = "Fresh post", ContentHash = "n",
                SortDate = TestFeeds.Newest.AddHours(1), FirstSeenAt = TestFeeds.Newest.AddHours(1),
            });
            await db.SaveChangesAsync(ct);
        });
        Assert.Equal(2, (await _web.GetPageAsync("/feeds/alpha")).QuerySelectorAll("article.entry").Length);
        Assert.True(await watcher.CheckAsync(ct));
        var page = await _web.GetPageAsync("/feeds/alpha");
        Assert.Equal(3, page.QuerySelectorAll("article.entry").Length);
        Assert.Equal("Fresh post", page.QuerySelector("article.entry h3")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_failed_refresh_evicts_that_feeds_cached_page_so_its_health_is_current()
    {
        var ct = TestContext.Current.CancellationToken;
        await _web.WithDbAsync(db => TestFeeds.AddAsync(db, "beta", entries: 1));
        var watcher = _web.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<FeedChangeWatcher>().Single();
        await watcher.CheckAsync(ct);
        Assert.NotNull((await _web.GetPageAsync("/feeds/alpha")).QuerySelector(".health .health-ok"));
        Assert.NotNull((await _web.GetPageAsync("/feeds/beta")).QuerySelector(".health .health-ok"));

        // What a failed refresh does: a newer fetch, errors in a row, no new success.
        await _web.WithDbAsync(async db =>
        {
            var state = await db.FetchStates.SingleAsync(s => s.Feed!.Slug == "alpha", ct);
            state.LastFetchAt = TestFeeds.Newest.AddHours(2);
            state.ConsecutiveErrors = 4;
            state.LastError = "timed out after 30 s";
            state.LastErrorKind = "Timeout";
            await db.SaveChangesAsync(ct);
        });
        Assert.True(await watcher.CheckAsync(ct));

        var health = (await _web.GetPageAsync("/feeds/alpha")).QuerySelector(".health .health-bad");
        Assert.NotNull(health);
        Assert.Contains("4", health.TextContent, StringComparison.Ordinal);
        Assert.Contains("The site took too long to answer.", health.TextContent, StringComparison.Ordinal);
        Assert.False(await watcher.CheckAsync(ct)); // nothing new since
    }

    [Fact]
    public async Task The_watcher_reads_the_stamp_at_start_so_a_quiet_tick_does_not_evict()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new CountingCacheStore();
        // A fake clock: the watcher's own timer never ticks; the test calls CheckAsync as a tick would.
        var watcher = new FeedChangeWatcher(
            _web.Services.GetRequiredService<IServiceScopeFactory>(), store, new FakeTimeProvider(TestFeeds.Newest),
            NullLogger<FeedChangeWatcher>.Instance);
        await watcher.StartAsync(ct);
        try
        {
            Assert.False(await watcher.CheckAsync(ct));
            Assert.Equal(0, store.Evictions);

            await _web.WithDbAsync(async db =>
            {
                var state = await db.FetchStates.SingleAsync(ct);
                state.LastSuccessAt = TestFeeds.Newest.AddHours(1);
                await db.SaveChangesAsync(ct);
            });
            Assert.True(await watcher.CheckAsync(ct));
            Assert.Equal(1, store.Evictions);
            Assert.False(await watcher.CheckAsync(ct));
            Assert.Equal(1, store.Evictions);
        }
        finally
        {
            await watcher.StopAsync(ct);
        }
    }

    private sealed class CountingCacheStore : IOutputCacheStore
    {
        public int Evictions { get; private set; }

        public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
        {
            Assert.Equal(PageCache.Tag, tag);
            Evictions++;
            return ValueTask.CompletedTask;
        }

        public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<byte[]?>(null);

        public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }
}
