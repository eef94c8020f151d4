using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Feedstand.Data;
using Feedstand.Pages.Admin;
using Feedstand.Tests.Infrastructure;
using Feedstand.Tests.Web;
using Feedstand.Translation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Feedstand.Tests.Translation;

/// <summary>The translated preview page, its feeds and the admin page, through the real app.</summary>
public sealed class TranslatedPageTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private FakeEngine _engine = null!;
    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _engine = await FakeEngine.StartAsync();
        _web = await TestApp.StartWebAsync(_engine.Settings("deepl"));
        await _web.WithDbAsync(async db =>
        {
            var feed = await TestFeeds.AddAsync(db, "alpha", entries: 3);
            db.TranslationTargets.Add(new TranslationTarget { FeedId = feed.Id, Language = "zh" });
            var account = new AdminAccount { Name = "ada", PasswordHash = "", CreatedAt = TestFeeds.Newest };
            account.PasswordHash = LoginModel.Hash(account, Password);
            db.AdminAccounts.Add(account);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        await _web.Services.GetRequiredService<TranslationStage>().RunAfterRefreshAsync(TestContext.Current.CancellationToken);
        // The newest post is edited after its translation: pending until the next pass.
        await _web.WithDbAsync(db => db.Entries.Where(e => e.Key == "https://alpha.example/post-0")
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.ContentHash, "edited"), TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await _web.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task The_translated_page_shows_finished_translations_and_the_original_of_pending_ones()
    {
        var page = await _web.GetPageAsync("/feeds/alpha/translated/zh");
        Assert.Equal("noindex,follow", page.QuerySelector("meta[name=robots]")!.GetAttribute("content"));
        Assert.Contains("English", page.QuerySelector(".translation-note")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/feeds/alpha", page.QuerySelector(".translation-note a.original-link")!.GetAttribute("href"));
        var titles = page.QuerySelectorAll("article.entry h3").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Post 0 of alpha", "译:POST 1 OF ALPHA", "译:POST 2 OF ALPHA"], titles);
        var entries = page.QuerySelectorAll("article.entry").ToList();
        Assert.NotNull(entries[0].QuerySelector(".translation-pending"));
        Assert.Null(entries[1].QuerySelector(".translation-pending"));
        Assert.Equal("<p>译:BODY OF POST 1 WITH <strong>BOLD</strong> TEXT.</p>", entries[1].QuerySelector(".entry-content")!.InnerHtml);
        Assert.EndsWith("/feeds/alpha/translated/zh/rss", page.QuerySelector("#feed-url")!.GetAttribute("value"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_page_links_to_its_translations_and_unknown_languages_are_not_found()
    {
        var page = await _web.GetPageAsync("/feeds/alpha");
        Assert.Equal(["/feeds/alpha/translated/zh"], page.QuerySelectorAll(".translations a").Select(a => a.GetAttribute("href")));
        await _web.GetPageAsync("/feeds/alpha/translated/de", expected: HttpStatusCode.NotFound);
        using var feed = await _web.Client.GetAsync("/feeds/alpha/translated/de/rss", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, feed.StatusCode);
    }

    [Fact]
    public async Task The_bilingual_view_shows_each_original_paragraph_before_its_translation()
    {
        var page = await _web.GetPageAsync("/feeds/alpha/translated/zh?view=bilingual");
        var content = page.QuerySelectorAll("article.entry .entry-content")[1];
        Assert.Equal(["bilingual-original", "bilingual-translation"], content.Children.Select(c => c.ClassName));
        Assert.Equal("Body of post 1 with bold text.", content.Children[0].TextContent);
        Assert.Equal("译:BODY OF POST 1 WITH BOLD TEXT.", content.Children[1].TextContent);
    }

    [Fact]
    public async Task The_translated_feeds_carry_only_finished_translations()
    {
        using var rss = await _web.Client.GetAsync("/feeds/alpha/translated/zh/rss", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, rss.StatusCode);
        var document = XDocument.Parse(await rss.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["译:POST 1 OF ALPHA", "译:POST 2 OF ALPHA"], document.Descendants("item").Select(i => i.Element("title")!.Value));
        Assert.Equal("zh", document.Descendants("language").Single().Value);

        using var json = await _web.Client.GetAsync("/feeds/alpha/translated/zh/json", TestContext.Current.CancellationToken);
        using var parsed = JsonDocument.Parse(await json.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var items = parsed.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Contains("译:BODY OF POST 1", items[0].GetProperty("content_html").GetString(), StringComparison.Ordinal);

        using var atom = await _web.Client.GetAsync("/feeds/alpha/translated/zh/atom", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, atom.StatusCode);
    }

    [Fact]
    public async Task The_admin_page_sets_languages_and_shows_usage_per_feed_and_day()
    {
        using var login = await Forms.PostAsync(_web.Client, "/admin/login", new Dictionary<string, string> { ["Name"] = "ada", ["Password"] = Password });
        var page = await _web.GetPageAsync("/admin/translations");
        Assert.Equal("deepl", page.QuerySelector(".engine-name")!.TextContent);
        var usage = page.QuerySelector("table.usage tbody tr")!.QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal("alpha", usage[1]);
        Assert.Equal(_engine.Characters.ToString(System.Globalization.CultureInfo.InvariantCulture), usage[2]);

        using var defaults = await Forms.PostAsync(_web.Client, "/admin/translations", new Dictionary<string, string> { ["Defaults"] = "ja, zh-Hant" }, "form[action*=Defaults]");
        Assert.Equal(HttpStatusCode.Redirect, defaults.StatusCode);
        using var bad = await Forms.PostAsync(_web.Client, "/admin/translations", new Dictionary<string, string> { ["Slug"] = "alpha", ["Languages"] = "not a language!" }, "form[action*=Feed]");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var languages = await _web.WithDbAsync(db => db.TranslationTargets.OrderBy(t => t.Language)
            .Select(t => new { t.FeedId, t.Language }).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["ja", "zh", "zh-Hant"], languages.Select(l => l.Language));
        Assert.Equal(2, languages.Count(l => l.FeedId is null));
    }
}
