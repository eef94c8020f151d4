using System.Text.Json;
using Feedstand.Tests.Infrastructure;
using Feedstand.Web;

namespace Feedstand.Tests.Web;

/// <summary>Languages grouped by primary subtag on the directory, its filter and the API.</summary>
public sealed class LanguageTests : IAsyncLifetime
{
    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "plain", language: "en", title: "Plain en");
            await TestFeeds.AddAsync(db, "american", language: "en-US", title: "American en-US");
            await TestFeeds.AddAsync(db, "shouted", language: "EN", title: "Shouted EN");
            await TestFeeds.AddAsync(db, "mainland", language: "zh_CN", title: "Mainland zh_CN");
            await TestFeeds.AddAsync(db, "simplified", language: "zh-Hans", title: "Simplified zh-Hans");
            await TestFeeds.AddAsync(db, "private", language: "qaa-x-local", title: "Private use");
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task En_en_US_and_EN_are_one_language_filter_with_three_feeds()
    {
        var page = await _web.GetPageAsync("/");
        var links = page.QuerySelectorAll("nav.filter a")
            .Skip(1) // "All"
            .Select(a => (a.TextContent, a.GetAttribute("href")))
            .ToList();
        Assert.Equal([("English (3)", "/?lang=en"), ("中文 (2)", "/?lang=zh"), ("qaa (1)", "/?lang=qaa")], links);

        var english = await _web.GetPageAsync("/?lang=en");
        Assert.Equal(["American en-US", "Plain en", "Shouted EN"],
            english.QuerySelectorAll("section[aria-labelledby=feeds-heading] .feed-list a.title").Select(a => a.TextContent).Order());
        Assert.Equal("true", english.QuerySelector("a[href='/?lang=en']")!.GetAttribute("aria-current"));
    }

    [Theory]
    [InlineData("/?lang=zh", 2)]
    [InlineData("/?lang=zh-CN", 2)]
    [InlineData("/?lang=EN-gb", 3)]
    [InlineData("/?lang=fr", 0)]
    [InlineData("/tags/none?lang=en", -1)]
    public async Task The_filter_takes_any_spelling_of_a_language(string path, int feeds)
    {
        if (feeds < 0)
        {
            using var missing = await _web.Client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
            return;
        }
        var page = await _web.GetPageAsync(path);
        Assert.Equal(feeds, page.QuerySelectorAll("section[aria-labelledby=feeds-heading] .feed-list a.title").Length);
    }

    [Theory]
    [InlineData("en", 3)]
    [InlineData("EN-us", 3)]
    [InlineData("zh", 2)]
    [InlineData("zh-Hant", 2)]
    [InlineData("de", 0)]
    public async Task The_api_filters_by_the_primary_subtag(string lang, int feeds)
    {
        using var response = await _web.Client.GetAsync("/api/v1/feeds?lang=" + Uri.EscapeDataString(lang), TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(feeds, json.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Feed_lists_name_each_feeds_language()
    {
        var page = await _web.GetPageAsync("/?lang=zh");
        Assert.All(page.QuerySelectorAll("section[aria-labelledby=feeds-heading] .feed-list li span[lang]"), span =>
        {
            Assert.Equal("zh", span.GetAttribute("lang"));
            Assert.Equal("中文", span.TextContent);
        });
        Assert.Equal(2, page.QuerySelectorAll("section[aria-labelledby=feeds-heading] .feed-list li span[lang]").Length);
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("en-US", "en")]
    [InlineData("EN", "en")]
    [InlineData("zh_CN", "zh")]
    [InlineData("zh-Hans", "zh")]
    [InlineData(" pt-BR ", "pt")]
    [InlineData("", null)]
    [InlineData("-", null)]
    [InlineData("e", null)]
    [InlineData("1234", null)]
    [InlineData("en us", null)]
    [InlineData(null, null)]
    public void Primary_subtag_is_lower_case(string? tag, string? expected) =>
        Assert.Equal(expected, LanguageCodes.Primary(tag));

    [Theory]
    [InlineData("en", "English")]
    [InlineData("zh", "中文")]
    [InlineData("de", "Deutsch")]
    [InlineData("fr", "Français")]
    [InlineData("qqq", "qqq")]
    public void Languages_are_shown_by_their_own_name(string code, string expected) =>
        Assert.Equal(expected, LanguageCodes.DisplayName(code));
}
