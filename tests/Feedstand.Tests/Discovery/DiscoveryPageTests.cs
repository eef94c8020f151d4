using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Feedstand.Data;
using Feedstand.Discovery;
using Feedstand.Tests.Infrastructure;
using Feedstand.Tests.Web;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Feedstand.Tests.Discovery;

/// <summary>The discovery features through the real app: counted subscribe links, reader reports, /week, /random, similar feeds.</summary>
public sealed class DiscoveryPageTests : IAsyncLifetime
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "alpha", entries: 3, tags: ["rust", "notes"]);
            await TestFeeds.AddAsync(db, "beta", entries: 3, tags: ["rust"]);
            await TestFeeds.AddAsync(db, "gamma", entries: 3, tags: ["garden"], language: "zh-CN");
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A click on a subscribe link as a browser sends it.</summary>
    private static HttpRequestMessage Click(string path, string agent = Browser, bool navigation = true, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("User-Agent", agent);
        if (navigation)
        {
            request.Headers.Add("Sec-Fetch-Mode", "navigate");
            request.Headers.Add("Sec-Fetch-User", "?1");
            request.Headers.Add("Sec-Fetch-Site", "same-origin");
        }
        return request;
    }

    private Task<int> CountedAsync(string slug) =>
        _web.WithDbAsync(db => db.SubscriptionCounts.Where(c => db.Feeds.Any(f => f.Id == c.FeedId && f.Slug == slug)).SumAsync(c => c.Subscriptions, Ct));

    [Fact]
    public async Task Subscribe_links_go_through_a_counted_redirect_to_the_reader()
    {
        var page = await _web.GetPageAsync("/feeds/alpha");
        var links = page.QuerySelectorAll("ul.readers a").ToDictionary(a => a.GetAttribute("data-reader")!, a => a.GetAttribute("href")!);
        Assert.Equal(Readers.All.Count, links.Count);
        const string enc = "https%3A%2F%2Falpha.example%2Ffeed.xml";
        var expected = new Dictionary<string, string>
        {
            ["inoreader"] = "https://www.inoreader.com/?add_feed=" + enc,
            ["feedly"] = "https://feedly.com/i/subscription/feed/" + enc,
            ["follow"] = "https://app.folo.is/discover?type=rss&url=" + enc,
            ["feedbin"] = "https://feedbin.com/?subscribe=" + enc,
            ["newsblur"] = "https://www.newsblur.com/?url=" + enc,
            ["theoldreader"] = "https://theoldreader.com/feeds/subscribe?url=" + enc,
            ["local"] = "feed:https://alpha.example/feed.xml",
        };
        foreach (var (reader, target) in expected)
        {
            Assert.Equal("/feeds/alpha/subscribe/" + reader, links[reader]);
            using var response = await _web.Client.SendAsync(Click(links[reader], navigation: false), Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(target, response.Headers.Location!.OriginalString);
            Assert.True(response.Headers.CacheControl!.NoStore);
        }
        Assert.Equal("/feeds/alpha/subscribe/copy", page.QuerySelector("button.copy-button")!.GetAttribute("data-count"));
        Assert.Equal(0, await CountedAsync("alpha")); // none of those was a person's click

        using var unknownReader = await _web.Client.SendAsync(Click("/feeds/alpha/subscribe/myspace"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownReader.StatusCode);
        using var unknownFeed = await _web.Client.SendAsync(Click("/feeds/nothing/subscribe/feedly"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownFeed.StatusCode);
    }

    [Fact]
    public async Task A_click_counts_once_a_day_and_robots_prefetches_and_other_sites_do_not()
    {
        async Task SendAsync(HttpRequestMessage request, HttpStatusCode expected = HttpStatusCode.Redirect)
        {
            using (request)
            {
                using var response = await _web.Client.SendAsync(request, Ct);
                Assert.Equal(expected, response.StatusCode);
            }
        }

        await SendAsync(Click("/feeds/alpha/subscribe/feedly", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
        await SendAsync(Click("/feeds/alpha/subscribe/feedly", "curl/8.5.0"));
        await SendAsync(Click("/feeds/alpha/subscribe/feedly", navigation: false));
        await SendAsync(Click("/feeds/alpha/subscribe/feedly", method: HttpMethod.Head));
        var crossSite = Click("/feeds/alpha/subscribe/feedly");
        crossSite.Headers.Remove("Sec-Fetch-Site");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        await SendAsync(crossSite);
        Assert.Equal(0, await CountedAsync("alpha"));

        await SendAsync(Click("/feeds/alpha/subscribe/feedly"));
        await SendAsync(Click("/feeds/alpha/subscribe/inoreader"));
        await SendAsync(Click("/feeds/beta/subscribe/feedly"));
        Assert.Equal(1, await CountedAsync("alpha"));
        Assert.Equal(1, await CountedAsync("beta"));

        // Copy: only our own pages may count, and the same visitor still counts once.
        var foreign = new HttpRequestMessage(HttpMethod.Post, "/feeds/alpha/subscribe/copy");
        foreign.Headers.Add("Sec-Fetch-Site", "cross-site");
        await SendAsync(foreign, HttpStatusCode.Forbidden);
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/feeds/alpha/subscribe/copy"), HttpStatusCode.Forbidden);
        var ours = new HttpRequestMessage(HttpMethod.Post, "/feeds/alpha/subscribe/copy");
        ours.Headers.TryAddWithoutValidation("User-Agent", Browser);
        ours.Headers.Add("Origin", _web.Address.GetLeftPart(UriPartial.Authority));
        await SendAsync(ours, HttpStatusCode.NoContent);
        Assert.Equal(1, await CountedAsync("alpha"));
        var otherBrowser = new HttpRequestMessage(HttpMethod.Post, "/feeds/gamma/subscribe/copy");
        otherBrowser.Headers.TryAddWithoutValidation("User-Agent", Browser);
        otherBrowser.Headers.Add("Sec-Fetch-Site", "same-origin");
        await SendAsync(otherBrowser, HttpStatusCode.NoContent);
        Assert.Equal(1, await CountedAsync("gamma"));
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/feeds/nothing/subscribe/copy") { Headers = { { "Sec-Fetch-Site", "same-origin" } } }, HttpStatusCode.NotFound);

        // No address is stored: only 16-byte hashes of today, apart from the numbers.
        var hashes = await _web.WithDbAsync(db => db.SubscriptionVisitors.Select(v => v.Hash).ToListAsync(Ct));
        Assert.Equal(3, hashes.Count);
        Assert.All(hashes, h => Assert.Equal(16, h.Length));
    }

    [Fact]
    public async Task Reader_reported_subscribers_show_on_the_page_the_api_and_the_opml()
    {
        using (var fetch = new HttpRequestMessage(HttpMethod.Get, "/feeds/alpha/rss"))
        {
            fetch.Headers.TryAddWithoutValidation("User-Agent", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers; like FeedFetcher-Google)");
            using var response = await _web.Client.SendAsync(fetch, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var fetch = new HttpRequestMessage(HttpMethod.Get, "/feeds/alpha/rss"))
        {
            // This fetch is served from the output cache, and still counted.
            fetch.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (compatible; inoreader.com; 2 subscribers)");
            using var response = await _web.Client.SendAsync(fetch, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var click = Click("/feeds/alpha/subscribe/feedly"))
        {
            using var response = await _web.Client.SendAsync(click, Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var page = await _web.GetPageAsync("/feeds/alpha");
        var line = page.QuerySelector("p.subscription-count")!;
        Assert.Equal("15 subscriptions this month", line.QuerySelector("strong")!.TextContent);
        Assert.Equal("(1 from this page, 12 via Feedly, 2 via Inoreader)", line.QuerySelector("span")!.TextContent);
        Assert.False(string.IsNullOrEmpty(line.GetAttribute("title")));

        var home = await _web.GetPageAsync("/?sort=popular");
        Assert.Equal(["alpha", "beta", "gamma"], home.QuerySelectorAll("#feeds-heading ~ ul.feed-list a.title").Select(a => a.GetAttribute("href")!["/feeds/".Length..]));
        Assert.Equal("· 15 subscriptions this month", home.QuerySelector("#feeds-heading ~ ul.feed-list .subscriptions")!.TextContent.Trim());

        using var api = await _web.Client.GetAsync("/api/v1/feeds/alpha", Ct);
        var json = JsonDocument.Parse(await api.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(15, json.GetProperty("feed").GetProperty("subscriptions_this_month").GetInt32());
        using var list = await _web.Client.GetAsync("/api/v1/feeds", Ct);
        var items = JsonDocument.Parse(await list.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("items");
        Assert.Equal([15, 0, 0], items.EnumerateArray().Select(i => i.GetProperty("subscriptions_this_month").GetInt32()));

        using var opml = await _web.Client.GetAsync("/opml", Ct);
        var outlines = XDocument.Parse(await opml.Content.ReadAsStringAsync(Ct)).Descendants("outline").ToList();
        Assert.Equal(["15", "0", "0"], outlines.Select(o => (string?)o.Attribute("subscriptions")));
    }

    [Fact]
    public async Task The_week_page_its_feeds_and_the_home_top_ten()
    {
        var now = DateTimeOffset.UtcNow;
        await _web.WithDbAsync(async db =>
        {
            foreach (var (slug, hours) in new[] { ("alpha", 1), ("beta", 30), ("gamma", 5) })
            {
                var feed = await db.Feeds.SingleAsync(f => f.Slug == slug, Ct);
                db.Entries.Add(new Entry
                {
                    FeedId = feed.Id, Key = "week-" + slug, Title = "This week at " + slug, Link = $"https://{slug}.example/week",
                    ContentHash = "w", PublishedAt = now.AddHours(-hours), SortDate = now.AddHours(-hours), FirstSeenAt = now,
                    ContentHtml = "<p>New this week</p>",
                });
            }
            await db.SaveChangesAsync(Ct);
        });

        var week = await _web.GetPageAsync("/week");
        Assert.Equal(["This week at alpha", "This week at gamma", "This week at beta"], week.QuerySelectorAll("ol.week-posts a.title").Select(a => a.TextContent));
        var rust = await _web.GetPageAsync("/week?tag=rust");
        Assert.Equal(["This week at alpha", "This week at beta"], rust.QuerySelectorAll("ol.week-posts a.title").Select(a => a.TextContent));
        Assert.Equal("/week/rss?tag=rust", rust.QuerySelector("link[type='application/rss+xml']")!.GetAttribute("href"));
        var chinese = await _web.GetPageAsync("/week?lang=zh");
        Assert.Equal(["This week at gamma"], chinese.QuerySelectorAll("ol.week-posts a.title").Select(a => a.TextContent));
        var empty = await _web.GetPageAsync("/week?tag=nothing");
        Assert.NotNull(empty.QuerySelector("main p.muted"));
        await _web.GetPageAsync("/week?page=5", expected: HttpStatusCode.NotFound);

        using var rss = await _web.Client.GetAsync("/week/rss?tag=rust", Ct);
        Assert.Equal("application/rss+xml", rss.Content.Headers.ContentType!.MediaType);
        var items = XDocument.Parse(await rss.Content.ReadAsStringAsync(Ct)).Descendants("item").Select(i => (string?)i.Element("title")).ToList();
        Assert.Equal(["This week at alpha", "This week at beta"], items);
        using var json = await _web.Client.GetAsync("/week/json", Ct);
        var feed = JsonDocument.Parse(await json.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(3, feed.GetProperty("items").GetArrayLength());
        using var atom = await _web.Client.GetAsync("/week/atom?lang=zh", Ct);
        Assert.Single(XDocument.Parse(await atom.Content.ReadAsStringAsync(Ct)).Descendants(XName.Get("entry", "http://www.w3.org/2005/Atom")));

        var home = await _web.GetPageAsync("/");
        Assert.Equal(["This week at alpha", "This week at gamma", "This week at beta"], home.QuerySelectorAll("section.this-week a.title").Select(a => a.TextContent));
    }

    [Fact]
    public async Task Random_redirects_to_a_working_feed_and_says_so_when_none_matches()
    {
        // TestFeeds' posts are dated 2025-10-26: within the year before now only while that holds.
        await _web.WithDbAsync(async db =>
        {
            await db.Feeds.ExecuteUpdateAsync(f => f.SetProperty(x => x.LastEntryAt, DateTimeOffset.UtcNow.AddDays(-3)), Ct);
            var beta = await db.Feeds.Include(f => f.FetchState).SingleAsync(f => f.Slug == "beta", Ct);
            beta.FetchState!.ConsecutiveErrors = 3;
            await db.SaveChangesAsync(Ct);
        });

        var seen = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await _web.Client.GetAsync("/random?tag=rust", Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.True(response.Headers.CacheControl!.NoStore);
            seen.Add(response.Headers.Location!.OriginalString);
        }
        Assert.Equal(["/feeds/alpha"], seen);

        using var none = await _web.Client.GetAsync("/random?tag=rust&lang=zh", Ct);
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.True(none.Headers.CacheControl!.NoStore);
        var page = await TestApp.ParseAsync(none);
        Assert.Equal("No working feed tagged rust in 中文 has posted in the last year.", page.QuerySelector("p.random-none")!.TextContent.Trim());
    }

    [Fact]
    public async Task Preview_pages_show_the_similar_feeds()
    {
        await _web.Services.GetRequiredService<SimilarFeeds>().ComputeAsync(Ct);

        var page = await _web.GetPageAsync("/feeds/alpha");
        var similar = page.QuerySelectorAll("section.similar a.title").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/feeds/beta"], similar);
        Assert.Equal("· also tagged rust", page.QuerySelector("section.similar li span.muted")!.TextContent.Trim());
    }
}
