using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Feedstand.BrowserTests;

/// <summary>
/// Issue 12, "checked the way a visitor checks": home, tag, preview, search, submit and admin
/// pages at 360, 768 and 1280 px, light and dark, English and Chinese, in Debian's Chromium.
/// </summary>
public sealed class VisitorChecksTests(SiteFixture site) : IClassFixture<SiteFixture>
{
    public static readonly string[] Pages =
    [
        "/", "/tags/engineering", "/tags/engineering?lang=zh", "/feeds/irrational-exuberance", "/feeds/notes-zh", "/week",
        "/feeds/irrational-exuberance/check",
        "/search?q=engineering", "/submit", "/admin/health",
    ];

    /// <summary>Every width, theme and language.</summary>
    public static readonly (int Width, ColorScheme Scheme, string Locale)[] Settings =
        [.. from width in new[] { 360, 768, 1280 }
            from scheme in new[] { ColorScheme.Light, ColorScheme.Dark }
            from locale in new[] { "en-US", "zh-CN" }
            select (width, scheme, locale)];

    private async Task<IBrowserContext> ContextAsync(int width, ColorScheme scheme, string locale) =>
        await site.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
            ColorScheme = scheme,
            Locale = locale,
            StorageState = site.AdminState,
        });

    /// <summary>Opens every folded post, loads every image (lazy ones too), then measures.</summary>
    private const string MeasureScript = """
        async () => {
          document.querySelectorAll('details').forEach(d => d.open = true);
          const images = [...document.images];
          images.forEach(i => i.loading = 'eager');
          await Promise.all(images.map(i => i.complete ? null : new Promise(done => {
            i.addEventListener('load', done); i.addEventListener('error', done); setTimeout(done, 10000);
          })));
          return {
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            wide: [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && getComputedStyle(e).position !== 'absolute')
              .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).join(', '),
            broken: images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.currentSrc || i.src || '(no src)'),
          };
        }
        """;

    [Fact]
    public async Task Every_page_fits_its_width_and_shows_every_image_in_every_theme_and_language()
    {
        var problems = new List<string>();
        foreach (var (width, scheme, locale) in Settings)
        {
            {
                {
                    await using var context = await ContextAsync(width, scheme, locale);
                    var errors = new List<string>();
                    var page = await site.OpenAsync(context, errors);
                    foreach (var path in Pages)
                    {
                        var response = await page.GotoAsync(site.Site + path);
                        var where = $"{path} at {width} px, {scheme}, {locale}";
                        if (response?.Status != 200)
                        {
                            problems.Add($"{where}: HTTP {response?.Status}");
                            continue;
                        }
                        var report = await page.EvaluateAsync<JsonElement>(MeasureScript);
                        var overflow = report.GetProperty("overflow").GetDouble();
                        if (overflow > 0)
                        {
                            problems.Add($"{where}: {overflow} px wider than the window ({report.GetProperty("wide").GetString()})");
                        }
                        foreach (var broken in report.GetProperty("broken").EnumerateArray().Select(b => b.GetString() ?? ""))
                        {
                            problems.Add($"{where}: broken image {broken[..Math.Min(80, broken.Length)]}");
                        }
                    }
                    problems.AddRange(errors.Select(e => $"{width} px, {scheme}, {locale}: console error {e}"));
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task No_page_has_a_serious_or_critical_accessibility_violation()
    {
        var problems = new List<string>();
        var checkedPages = 0;
        // Every width, theme and language: colour contrast differs by theme, layout (and hidden or
        // shown navigation) by width, and wording by language. One context per setting, one page reused.
        foreach (var (width, scheme, locale) in Settings)
        {
            await using var context = await ContextAsync(width, scheme, locale);
            var page = await site.OpenAsync(context);
            foreach (var path in Pages)
            {
                await page.GotoAsync(site.Site + path);
                var result = await page.RunAxe();
                checkedPages++;
                foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
                {
                    var targets = string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html));
                    problems.Add($"{path} at {width} px, {scheme}, {locale}: {violation.Impact} {violation.Id} ({violation.Nodes.Length}×) {targets}");
                }
            }
        }
        Assert.Equal(Pages.Length * Settings.Length, checkedPages);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("zh-CN")]
    public async Task At_1280_by_800_the_first_post_title_shows_without_scrolling_and_post_headings_sit_below_it(string locale)
    {
        await using var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = locale,
        });
        var page = await site.OpenAsync(context);
        var headingsSeen = 0;
        foreach (var path in new[] { "/feeds/irrational-exuberance", "/feeds/notes-zh" })
        {
            await page.GotoAsync(site.Site + path);
            var scale = await page.EvaluateAsync<JsonElement>("""
                () => {
                  const title = document.querySelector('article.entry .entry-title');
                  const size = e => parseFloat(getComputedStyle(e).fontSize);
                  return {
                    titleBottom: title.getBoundingClientRect().bottom,
                    titleSize: size(title),
                    headingSizes: [...document.querySelectorAll('.entry-content :is(h1, h2, h3, h4, h5, h6)')].map(size),
                  };
                }
                """);
            var titleBottom = scale.GetProperty("titleBottom").GetDouble();
            var titleSize = scale.GetProperty("titleSize").GetDouble();
            var headingSizes = scale.GetProperty("headingSizes").EnumerateArray().Select(s => s.GetDouble()).ToList();
            Assert.True(titleBottom <= 800, $"{path} ({locale}): the first post's title ends at {titleBottom} px");
            Assert.All(headingSizes, size => Assert.True(size < titleSize, $"{path}: a heading of {size} px inside a post, title {titleSize} px"));
            headingsSeen += headingSizes.Count;
        }
        Assert.True(headingsSeen >= 3, $"only {headingsSeen} headings inside posts were measured");
        Assert.Equal("rgb(27, 31, 36)", await page.EvalOnSelectorAsync<string>(".entry-content h3 a", "a => getComputedStyle(a).color"));
    }

    [Fact]
    public async Task The_header_is_one_line_at_1280_in_both_languages()
    {
        foreach (var locale in new[] { "en-US", "zh-CN" })
        {
            await using var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
                Locale = locale,
            });
            var page = await site.OpenAsync(context);
            await page.GotoAsync(site.Site + "/");
            var tops = await page.EvaluateAsync<double[]>("() => [...document.querySelector('.site-header .wrap').children].map(e => e.getBoundingClientRect().top)");
            Assert.True(tops.Length >= 4);
            Assert.True(tops.Max() - tops.Min() < 20, $"{locale}: header items start at {JsonSerializer.Serialize(tops)}");
        }
    }

    [Fact]
    public async Task Read_the_rest_opens_a_folded_post_without_javascript()
    {
        await using var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await site.OpenAsync(context);
        await page.GotoAsync(site.Site + "/feeds/notes-zh");
        var fold = page.Locator("#post-2 details.fold");
        Assert.False(await page.Locator("#post-2 details.fold p").Last.IsVisibleAsync());
        await fold.Locator("summary").ClickAsync();
        Assert.True(await page.Locator("#post-2 details.fold p").Last.IsVisibleAsync());
        Assert.Equal("Read the rest", (await fold.Locator("summary").TextContentAsync())!.Trim());
    }

    /// <summary>
    /// The screenshot gallery (bench/gallery.sh): with FEEDSTAND_GALLERY set to a folder, a full-page
    /// screenshot of every page at every width, theme and language goes there; without it, the
    /// 1280 px light English set goes to the test's artifacts folder, so the gallery code runs in CI too.
    /// </summary>
    [Fact]
    public async Task The_gallery_writes_a_screenshot_of_every_page()
    {
        var folder = Environment.GetEnvironmentVariable("FEEDSTAND_GALLERY") is { Length: > 0 } chosen
            ? chosen
            : Path.Combine(AppContext.BaseDirectory, "artifacts", "gallery");
        var settings = Environment.GetEnvironmentVariable("FEEDSTAND_GALLERY") is { Length: > 0 }
            ? Settings
            : [(1280, ColorScheme.Light, "en-US")];
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var (width, scheme, locale) in settings)
        {
            await using var context = await ContextAsync(width, scheme, locale);
            var page = await site.OpenAsync(context);
            foreach (var path in Pages)
            {
                await page.GotoAsync(site.Site + path);
                var name = (path.Trim('/').Length == 0 ? "home" : new string([.. path.Trim('/').Select(c => char.IsLetterOrDigit(c) ? c : '-')]))
                    + $"_{width}_{scheme.ToString().ToLowerInvariant()}_{locale[..2]}.png";
                var file = Path.Combine(folder, name);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                written.Add(file);
            }
        }
        Assert.Equal(Pages.Length * settings.Length, written.Count);
        Assert.All(written, file => Assert.True(new FileInfo(file).Length > 1000, $"{file} is empty"));
    }
}
