using System.Net;
using System.Text;
using System.Text.Json;
using Feedstand.Checking;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Feedstand.Tests.Web;

public sealed class CheckPageTests : IAsyncLifetime
{
    private const string Document = """
        <rss version="2.0"><channel><title>Checked</title><link>https://checked.example/</link><description>D</description>
        <item><title>One</title><link>https://checked.example/1</link><pubDate>2025-10-01</pubDate><description>Hello &lt;script&gt;x()&lt;/script&gt;</description></item>
        </channel></rss>
        """;

    private TestApp _web = null!;

    public async ValueTask InitializeAsync() => _web = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["RATE_PREVIEW_PER_MINUTE"] = "2" });

    public async ValueTask DisposeAsync() => await _web.DisposeAsync();

    /// <summary>A listed feed with one stored check, as the refresher leaves it.</summary>
    private async Task<Feed> AddCheckedFeedAsync()
    {
        return await _web.WithDbAsync(async db =>
        {
            var feed = await TestFeeds.AddAsync(db, "checked");
            feed.FetchState!.ETag = "\"v1\"";
            using var fetched = FetchResult.FromBody(feed.FeedUrl, Encoding.UTF8.GetBytes(Document), "application/rss+xml");
            var parsed = Feeds.FeedParser.Parse(fetched.Body);
            var stored = FeedCheckLog.CheckFetched(fetched, parsed, TestFeeds.Newest)!;
            var now = DateTimeOffset.UtcNow;
            db.FeedChecks.Add(new FeedCheck { FeedId = feed.Id, CheckedAt = now.AddHours(-2), Score = stored.Score, Succeeded = true, Status = 200, ReportJson = stored.Json });
            db.FeedChecks.Add(new FeedCheck { FeedId = feed.Id, CheckedAt = now.AddHours(-1), Score = null, Succeeded = true, Status = 304 });
            await db.SaveChangesAsync();
            return feed;
        });
    }

    [Fact]
    public async Task A_listed_feeds_report_renders_its_stored_findings_by_section()
    {
        await AddCheckedFeedAsync();

        var page = await _web.GetPageAsync("/feeds/checked/check");

        var report = page.QuerySelector(".check-report")!;
        var score = int.Parse(report.GetAttribute("data-score")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(score, 1, 99);
        var validity = page.QuerySelector("#check-validity")!;
        Assert.NotNull(validity.QuerySelector("[data-id=InvalidRFC2822Date]"));
        Assert.NotNull(validity.QuerySelector("[data-id=SecurityRisk]"));
        Assert.NotNull(page.QuerySelector("#check-http [data-id=ConditionalHonoured]"));
        Assert.Equal(5, page.QuerySelectorAll(".check-section").Length);
        Assert.Contains("Feed check of Blog checked", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_speaks_chinese_to_a_chinese_browser()
    {
        await AddCheckedFeedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/checked/check");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");

        using var response = await _web.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var page = await TestApp.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("订阅源检查", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("有效性", page.QuerySelector("#check-validity h2")!.TextContent);
    }

    [Fact]
    public async Task Check_json_and_badge_come_from_the_stored_check()
    {
        var feed = await AddCheckedFeedAsync();

        var json = await _web.Client.GetStringAsync("/feeds/checked/check.json", TestContext.Current.CancellationToken);
        using var badge = await _web.Client.GetAsync("/feeds/checked/badge.svg", TestContext.Current.CancellationToken);
        var svg = await badge.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var missing = await _web.Client.GetAsync("/feeds/nobody/badge.svg", TestContext.Current.CancellationToken);

        using var report = JsonDocument.Parse(json);
        var root = report.RootElement;
        Assert.Equal(feed.FeedUrl, root.GetProperty("url").GetString());
        Assert.Contains(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == "InvalidRFC2822Date" && f.GetProperty("level").GetString() == "error");
        Assert.True(root.GetProperty("sections").TryGetProperty("rhythm", out _));
        var stored = await _web.WithDbAsync(db => db.FeedChecks.Where(c => c.Score != null).Select(c => c.Score).SingleAsync());
        Assert.Equal("image/svg+xml; charset=utf-8", badge.Content.Headers.ContentType!.ToString());
        Assert.Contains($"{stored}/100", svg, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_preview_pages_health_line_links_to_the_check()
    {
        await AddCheckedFeedAsync();

        var page = await _web.GetPageAsync("/feeds/checked");

        Assert.NotNull(page.QuerySelector("dd.health-check a[href='/feeds/checked/check']"));
    }

    [Fact]
    public async Task Check_of_any_url_fetches_it_live_and_is_rate_limited_like_the_preview()
    {
        await using var server = await Feedstand.Tests.Infrastructure.FeedServer.StartAsync();
        server.MapDocument("/feed.xml", Document);
        var path = "/check?url=" + Uri.EscapeDataString(server.Url("/feed.xml"));

        var page = await _web.GetPageAsync(path);
        var bad = await _web.GetPageAsync("/check?url=javascript:alert(1)", expected: HttpStatusCode.BadRequest);
        using var limited = await _web.Client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.NotNull(page.QuerySelector("#check-validity [data-id=InvalidRFC2822Date]"));
        Assert.NotNull(page.QuerySelector("#check-http [data-id=ConditionalHonoured]"));
        Assert.NotNull(bad.QuerySelector("#check-problem"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task The_refresher_keeps_a_score_per_fetch()
    {
        await using var server = await Feedstand.Tests.Infrastructure.FeedServer.StartAsync();
        server.MapDocument("/feed.xml", Document);
        var id = await _web.WithDbAsync(async db =>
        {
            var feed = await TestFeeds.AddAsync(db, "polled", entries: 0);
            feed.FeedUrl = server.Url("/feed.xml");
            feed.FetchState!.ETag = null;
            await db.SaveChangesAsync();
            return feed.Id;
        });

        await using (var scope = _web.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<FeedRefresher>().RefreshAsync(id, TestContext.Current.CancellationToken);
        }
        await using (var scope = _web.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<FeedRefresher>().RefreshAsync(id, TestContext.Current.CancellationToken);
        }

        var rows = await _web.WithDbAsync(db => db.FeedChecks.Where(c => c.FeedId == id).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.NotNull(rows[0].Score);
        Assert.NotNull(rows[0].ReportJson);
        // The document itself was checked (not an emptied buffer): its bad date is found, and no "empty document".
        var stored = Feeds.Checking.CheckJson.Read(rows[0].ReportJson!);
        Assert.Contains(stored.Findings, f => f.Id == "InvalidRFC2822Date");
        Assert.DoesNotContain(stored.Findings, f => f.Id == "NotAFeed");
        Assert.Equal(304, rows[1].Status);
        Assert.Null(rows[1].Score);
        Assert.True(rows[1].Succeeded);
    }
}
