using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Feedstand.BrowserTests;

/// <summary>
/// Debian's Chromium, driven by Playwright, against the real app: the fixture feed is served from
/// a loopback server, added through the real refresher, and its preview page is checked in the browser.
/// If the browser cannot start, the test fails with the reason.
/// </summary>
public sealed class PreviewPageBrowserTests : IAsyncLifetime
{
    private const string Slug = "irrational-exuberance";
    private static readonly byte[] Pixel = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    private FeedServer _feeds = null!;
    private TestApp _app = null!;
    private string _site = "";
    private string _feedUrl = "";
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Artifacts);

        _feeds = await FeedServer.StartAsync();
        var fixture = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "data", "fixtures", "irrational-exuberance.rss"), ct);
        _feeds.MapDocument("/feeds/", fixture, etag: null);
        _feedUrl = _feeds.Url("/feeds/");

        _app = await TestApp.StartWebAsync();
        _site = _app.Address.ToString().TrimEnd('/');

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            var feed = new Feed
            {
                Slug = Slug,
                FeedUrl = _feedUrl,
                Status = FeedStatus.Active,
                CreatedAt = DateTimeOffset.UtcNow,
                Tags = [new Tag { Name = "management" }],
                FetchState = new FetchState { NextFetchAt = DateTimeOffset.UtcNow },
            };
            db.Feeds.Add(feed);
            await db.SaveChangesAsync(ct);
            var outcome = await scope.ServiceProvider.GetRequiredService<FeedRefresher>().RefreshAsync(feed.Id, ct);
            Assert.True(outcome.Status == RefreshStatus.Updated, $"the refresher did not store the fixture: {outcome}");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
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

    /// <summary>A page that records dialogs and console errors, with every request off this machine answered locally.</summary>
    private async Task<(IPage Page, List<string> Dialogs, List<string> Errors)> OpenAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        var errors = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.RouteAsync(url => !url.StartsWith(_site, StringComparison.Ordinal), route =>
            route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "image/png", BodyBytes = Pixel }));
        return (page, dialogs, errors);
    }

    [Fact]
    public async Task Preview_page_works_in_chromium()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            Permissions = ["clipboard-read", "clipboard-write"],
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
            ColorScheme = ColorScheme.Light,
        });
        var (page, dialogs, errors) = await OpenAsync(context);
        var response = await page.GotoAsync($"{_site}/feeds/{Slug}");
        Assert.Equal(200, response!.Status);

        // Item 1 of the issue, in order: icon, title, Modify, description, subscribe row, heading, entries.
        Assert.Equal("Irrational Exuberance", await page.Locator("h1").TextContentAsync());
        Assert.Equal($"/feeds/{Slug}/modify", await page.Locator("a.modify").GetAttributeAsync("href"));
        Assert.StartsWith("By Will Larson.", await page.Locator("p.description").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator(".feed-icon").CountAsync());
        Assert.Equal("RSS preview of Irrational Exuberance", await page.Locator("#entries-heading").TextContentAsync());
        var order = await page.EvaluateAsync<bool>("""
            () => {
              const all = [...document.querySelectorAll('main *')];
              const at = s => all.indexOf(document.querySelector(s));
              const seq = ['.feed-icon', 'h1', 'a.modify', 'p.description', '#feed-url', 'button.copy-button', 'ul.readers', '#entries-heading', 'article.entry'].map(at);
              return seq.every(i => i >= 0) && seq.every((v, i) => i === 0 || v > seq[i - 1]);
            }
            """);
        Assert.True(order, "the preview page's parts are not in the contract's order");

        var entries = page.Locator("article.entry");
        Assert.Equal(6, await entries.CountAsync());
        Assert.Equal("\"Good engineering management\" is a fad", (await entries.First.Locator("h3 a").TextContentAsync())!.Trim());
        Assert.Equal("https://lethain.com/good-eng-mgmt-is-a-fad/", await entries.First.Locator("h3 a").GetAttributeAsync("href"));
        Assert.Equal("2025-10-26 19:00:00", await entries.First.Locator("time").TextContentAsync());
        Assert.Equal("2025-10-26T19:00:00Z", await entries.First.Locator("time").GetAttributeAsync("datetime"));
        Assert.Equal("Diagram of different ways to prioritize roles across your career",
            await entries.First.Locator(".entry-content img").GetAttributeAsync("alt"));
        Assert.Equal("https://lethain.com/static/blog/2025/forty-year-career.png",
            await entries.First.Locator(".entry-content img").GetAttributeAsync("src"));
        Assert.Equal(0, await page.Locator("main script, main [onclick]").CountAsync());
        Assert.Equal(["management"], await page.Locator(".tags a").AllTextContentsAsync());
        Assert.Equal("noindex,follow", await page.Locator("meta[name=robots]").GetAttributeAsync("content"));

        // Subscribe links carry the percent-encoded feed URL.
        var enc = Uri.EscapeDataString(_feedUrl);
        var expected = new Dictionary<string, string>
        {
            ["inoreader"] = "https://www.inoreader.com/?add_feed=" + enc,
            ["feedly"] = "https://feedly.com/i/subscription/feed/" + enc,
            ["follow"] = "https://app.folo.is/discover?type=rss&url=" + enc,
            ["feedbin"] = "https://feedbin.com/?subscribe=" + enc,
            ["newsblur"] = "https://www.newsblur.com/?url=" + enc,
            ["theoldreader"] = "https://theoldreader.com/feeds/subscribe?url=" + enc,
            ["local"] = "feed:" + _feedUrl,
        };
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var (reader, href) in expected)
        {
            // The link is Feedstand's counted redirect (Discovery/SubscribeEndpoints); its target is the reader's URL.
            var link = await page.Locator($"ul.readers a[data-reader={reader}]").GetAttributeAsync("href");
            Assert.Equal($"/feeds/{Slug}/subscribe/{reader}", link);
            using var redirect = await http.GetAsync(_site + link, TestContext.Current.CancellationToken);
            Assert.Equal(href, redirect.Headers.Location!.OriginalString);
        }

        // The copy button puts the feed URL on the clipboard.
        await page.Locator("button.copy-button").ClickAsync();
        await Assertions.Expect(page.Locator("button.copy-button")).ToHaveTextAsync("Copied");
        Assert.Equal(_feedUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        var light = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "preview.png"), FullPage = true });
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        var dark = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.NotEqual(light, dark);
        Assert.Equal("rgb(13, 17, 23)", dark);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "preview-dark.png"), FullPage = true });

        await page.GotoAsync(_site + "/");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "home-dark.png"), FullPage = true });
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "home.png"), FullPage = true });

        Assert.Empty(dialogs);
        Assert.Empty(errors);
        Assert.True(File.Exists(Path.Combine(Artifacts, "home.png")));
        Assert.True(File.Exists(Path.Combine(Artifacts, "preview.png")));
    }

    [Fact]
    public async Task Preview_page_fits_a_360_pixel_phone()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
        });
        var (page, dialogs, errors) = await OpenAsync(context);
        await page.GotoAsync($"{_site}/feeds/{Slug}");
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"the page is {width} px wide at 360 px");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "preview-360.png"), FullPage = true });
        await page.GotoAsync(_site + "/");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);
        Assert.Empty(dialogs);
        Assert.Empty(errors);
    }
}
