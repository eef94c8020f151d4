using System.Net;
using Feedstand.Tests.Infrastructure;
using Feedstand.Web;

namespace Feedstand.Tests.Web;

/// <summary>
/// The interface language, chosen once per request by ASP.NET's request localization with the
/// site's own two providers: the switcher's cookie, then Accept-Language, else English.
/// </summary>
public sealed class UiLanguageTests : IAsyncLifetime
{
    private TestApp _web = null!;

    public async ValueTask InitializeAsync() => _web = await TestApp.StartWebAsync();

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Cookie, Accept-Language, path → the language of the page (Content-Language and &lt;html lang&gt;).</summary>
    public static TheoryData<string?, string?, string, string> Choices => new()
    {
        { null, null, "/", UiLanguage.English },
        { null, "zh-CN", "/", UiLanguage.Chinese },
        { null, "zh-TW", "/", UiLanguage.Chinese },
        { null, "zh", "/", UiLanguage.Chinese },
        { null, "en-GB,zh;q=0.9", "/", UiLanguage.English },
        { null, "fr", "/", UiLanguage.English },
        // The fourth value still counts (ASP.NET's own provider tries three).
        { null, "fr, de;q=0.9, ja;q=0.8, zh;q=0.1", "/", UiLanguage.Chinese },
        // q=0 means "not this one".
        { null, "zh-CN;q=0, en;q=0.5", "/", UiLanguage.English },
        { null, "zh-CN;q=0", "/", UiLanguage.English },
        { null, "this is not ; a header", "/", UiLanguage.English },
        // The cookie wins over the header; a cookie naming no supported language is ignored.
        { "zh-Hans", "en", "/", UiLanguage.Chinese },
        { "en", "zh-CN", "/", UiLanguage.English },
        { "klingon", "zh-CN", "/", UiLanguage.Chinese },
        // ?lang= filters feeds; neither it nor ASP.NET's ?culture= switches the interface.
        { null, null, "/?lang=zh", UiLanguage.English },
        { null, null, "/?culture=zh-Hans&ui-culture=zh-Hans", UiLanguage.English },
    };

    [Theory, MemberData(nameof(Choices))]
    public async Task The_language_comes_from_the_cookie_then_accept_language_else_english(string? cookie, string? acceptLanguage, string path, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{UiLanguage.CookieName}={cookie}");
        }
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }
        using var client = _web.NewClient();
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([expected], response.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        Assert.Contains("Cookie", response.Headers.Vary);
        var page = await TestApp.ParseAsync(response);
        Assert.Equal(expected, page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task The_page_cache_keeps_one_copy_per_language()
    {
        string[] order = ["zh-CN", "en", "zh-CN", "en"];
        var seen = new List<string?>();
        foreach (var language in order)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.AcceptLanguage.ParseAdd(language);
            using var response = await _web.Client.SendAsync(request, Ct);
            var page = await TestApp.ParseAsync(response);
            seen.Add(page.DocumentElement.GetAttribute("lang"));
        }
        Assert.Equal([UiLanguage.Chinese, UiLanguage.English, UiLanguage.Chinese, UiLanguage.English], seen);
    }

    [Fact]
    public async Task The_switcher_sets_the_cookie_that_later_requests_follow()
    {
        using var client = _web.NewClient();
        using var switched = await client.GetAsync("/lang/zh?return=%2F", Ct);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd("en");
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal([UiLanguage.Chinese], response.Content.Headers.ContentLanguage);
    }
}
