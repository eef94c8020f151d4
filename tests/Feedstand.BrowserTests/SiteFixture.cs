using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Pages.Admin;
using Feedstand.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Feedstand.BrowserTests;

/// <summary>
/// One app, one browser for the visitor checks: the fixture blog (through the real refresher), a
/// Chinese blog with headings, a wide code block, a long post and a data: image, enough listings
/// for page numbers, a failing feed, and an admin. Icons are data: URLs (the CSP allows them);
/// requests that leave the site (the fixture's https images) are answered with a 1-pixel PNG.
/// </summary>
public sealed class SiteFixture : IAsyncLifetime
{
    public const string AdminPassword = "correct horse battery";
    public const string PixelDataUrl =
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    private static readonly byte[] Pixel = Convert.FromBase64String(PixelDataUrl[(PixelDataUrl.IndexOf(',') + 1)..]);

    private FeedServer _feeds = null!;
    private TestApp _app = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public string Site { get; private set; } = "";

    /// <summary>Cookies of a logged-in admin, for contexts that open the admin pages.</summary>
    public string AdminState { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _feeds = await FeedServer.StartAsync();
        var fixture = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "data", "fixtures", "irrational-exuberance.rss"), ct);
        _feeds.MapDocument("/feeds/", fixture, etag: null);

        _app = await TestApp.StartWebAsync();
        Site = _app.Address.ToString().TrimEnd('/');
        await SeedAsync(ct);

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });

        await using var context = await Browser.NewContextAsync();
        var page = await OpenAsync(context);
        await page.GotoAsync(Site + "/admin/login");
        await page.FillAsync("input[name=Name]", "ada");
        await page.FillAsync("input[name=Password]", AdminPassword);
        await page.ClickAsync("main button[type=submit]");
        await page.WaitForURLAsync(Site + "/admin");
        AdminState = await context.StorageStateAsync();
    }

    private async Task SeedAsync(CancellationToken ct)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var now = DateTimeOffset.UtcNow;
        var management = new Tag { Name = "management" };
        var engineering = new Tag { Name = "engineering" };
        var writing = new Tag { Name = "writing" };

        var exuberance = new Feed
        {
            Slug = "irrational-exuberance", FeedUrl = _feeds.Url("/feeds/"), Status = FeedStatus.Active, CreatedAt = now,
            Tags = [management, engineering], FetchState = new FetchState { NextFetchAt = now },
        };
        db.Feeds.Add(exuberance);

        var long1 = string.Concat(Enumerable.Range(1, 60).Select(i => $"<p>第 {i} 段：写作是一种思考的方式，也是一种与读者交谈的方式。Writing is thinking on paper, paragraph {i}.</p>"));
        var chinese = new Feed
        {
            Slug = "notes-zh", FeedUrl = "https://notes.example/feed.xml", SiteUrl = "https://notes.example/", Title = "写作笔记",
            Description = "关于写作、阅读和软件的笔记。", IconUrl = PixelDataUrl, Language = "zh-CN", Status = FeedStatus.Active,
            CreatedAt = now.AddDays(-3), LastEntryAt = now.AddHours(-2), Tags = [writing, engineering],
            FetchState = new FetchState { LastFetchAt = now, LastSuccessAt = now, LastStatus = 200, NextFetchAt = now.AddHours(1), AveragePostInterval = TimeSpan.FromDays(2) },
        };
        chinese.Entries.Add(Post("zh-1", "标题之下的层级", now.AddHours(-2),
            "<h1>文中的一级标题</h1><p>正文。</p><h2>文中的二级标题</h2><p>正文。</p><h3><a href=\"https://notes.example/a\">带链接的三级标题</a></h3>" +
            $"<p><img src=\"{PixelDataUrl}\" alt=\"一个像素\" width=\"40\" height=\"40\"></p>" +
            "<pre><code>" + new string('x', 300) + "</code></pre>"));
        chinese.Entries.Add(Post("zh-2", "一篇很长的文章", now.AddDays(-1), long1));
        for (var i = 3; i <= 12; i++)
        {
            chinese.Entries.Add(Post("zh-" + i, $"第 {i} 篇短文", now.AddDays(-i), "<p>短文。</p>"));
        }
        db.Feeds.Add(chinese);

        var failing = new Feed
        {
            Slug = "failing", FeedUrl = "https://failing.example/feed.xml", Title = "A failing blog", Description = "Its server is down.",
            Language = "en", Status = FeedStatus.Active, CreatedAt = now.AddDays(-10), Tags = [engineering],
            FetchState = new FetchState
            {
                LastFetchAt = now, LastSuccessAt = now.AddDays(-5), LastStatus = 503, ConsecutiveErrors = 4,
                LastErrorKind = "RateLimited", LastError = "service unavailable (HTTP 503)", NextFetchAt = now.AddHours(3),
            },
        };
        db.Feeds.Add(failing);
        for (var i = 0; i < 30; i++)
        {
            db.Feeds.Add(new Feed
            {
                Slug = "blog-" + i, FeedUrl = $"https://blog{i}.example/feed.xml", Title = $"Blog number {i}", Description = "A blog about building software and teams.",
                IconUrl = i % 3 == 0 ? PixelDataUrl : null, Language = i % 2 == 0 ? "en-US" : "de", Status = FeedStatus.Active,
                CreatedAt = now.AddDays(-20 - i), LastEntryAt = now.AddDays(-30 - i), Tags = i % 2 == 0 ? [engineering] : [management],
                FetchState = new FetchState { LastFetchAt = now, LastSuccessAt = now, LastStatus = 200, NextFetchAt = now.AddHours(1) },
            });
        }
        var account = new AdminAccount { Name = "ada", PasswordHash = "", CreatedAt = now };
        account.PasswordHash = LoginModel.Hash(account, AdminPassword);
        db.AdminAccounts.Add(account);
        db.Submissions.Add(new Submission { Kind = SubmissionKind.NewFeed, Url = "https://new.example/feed.xml", Title = "A new blog", Tags = ["writing"], CreatedAt = now });
        await db.SaveChangesAsync(ct);
        // Subscriptions this month, so the preview page's tally and the cards' counts are drawn and checked.
        var today = Feedstand.Discovery.SubscriptionDays.Of(now);
        db.SubscriptionCounts.Add(new SubscriptionCount { FeedId = chinese.Id, Day = today, Reader = "feedly", Subscriptions = 3 });
        db.SubscriptionCounts.Add(new SubscriptionCount { FeedId = chinese.Id, Day = today - 1, Reader = "copy", Subscriptions = 2 });
        db.SubscriptionCounts.Add(new SubscriptionCount { FeedId = exuberance.Id, Day = today, Reader = "inoreader", Subscriptions = 1 });
        await db.SaveChangesAsync(ct);

        var outcome = await scope.ServiceProvider.GetRequiredService<FeedRefresher>().RefreshAsync(exuberance.Id, ct);
        Assert.True(outcome.Status == RefreshStatus.Updated, $"the refresher did not store the fixture: {outcome}");
        // The fixture's icon is https://lethain.com/favicon.ico; these checks use images this branch's CSP
        // allows without the media proxy (issue 12 item 1, another branch), so the icon is a data: URL.
        exuberance.IconUrlOverride = PixelDataUrl;
        await db.SaveChangesAsync(ct);
    }

    private static Entry Post(string key, string title, DateTimeOffset date, string html) => new()
    {
        Key = key, Link = "https://notes.example/" + key, Title = title, PublishedAt = date, SortDate = date, FirstSeenAt = date,
        ContentHtml = html, SearchText = title, ContentHash = key,
    };

    /// <summary>A page whose requests off this site are answered locally with a pixel; errors in its console are collected.</summary>
    public async Task<IPage> OpenAsync(IBrowserContext context, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var page = await context.NewPageAsync();
        if (errors is not null)
        {
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };
            page.PageError += (_, error) => errors.Add(error);
        }
        await page.RouteAsync(url => !url.StartsWith(Site, StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal), route =>
            route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "image/png", BodyBytes = Pixel }));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_feeds is not null)
        {
            await _feeds.DisposeAsync();
        }
    }
}
