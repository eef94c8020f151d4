using System.Net;
using Feedstand.Data;
using Microsoft.EntityFrameworkCore;
using Feedstand.Tests.Infrastructure;

namespace Feedstand.Tests.Web;

public sealed class FormTests : IAsyncLifetime
{
    private TestApp _web = null!;
    private FeedServer _feeds = null!;

    public async ValueTask InitializeAsync()
    {
        _feeds = await FeedServer.StartWithSiteAsync();
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(db => TestFeeds.AddAsync(db, "alpha", tags: ["rust"]));
    }

    public async ValueTask DisposeAsync()
    {
        await _web.DisposeAsync();
        await _feeds.DisposeAsync();
    }

    [Fact]
    public async Task Submitting_a_feed_puts_it_in_the_moderation_queue()
    {
        using var response = await Forms.PostAsync(_web.Client, "/submit", new Dictionary<string, string>
        {
            ["SiteUrl"] = _feeds.Url("/one.html"),
            ["Tags"] = "management, engineering",
            ["Note"] = "Good blog",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestApp.ParseAsync(response);
        Assert.Equal("Thank you! Your submission waits for a moderator.", page.QuerySelector("p.notice")!.TextContent);
        var submission = await _web.WithDbAsync(db => db.Submissions.SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(_feeds.Url("/blog/posts.rss"), submission.Url);
        Assert.Equal("Irrational Exuberance", submission.Title);
        Assert.Equal(["management", "engineering"], submission.Tags);
        Assert.Equal(SubmissionKind.NewFeed, submission.Kind);
        Assert.Equal(SubmissionStatus.Pending, submission.Status);
    }

    public static TheoryData<string, string, string> BadSubmissions => new()
    {
        { "not a url at all", "", "Enter an absolute http or https URL." },
        { "ftp://example.com/feed", "", "Enter an absolute http or https URL." },
        { "https://alpha.example/feed.xml", "", "This feed is already listed." },
        { "/plain.html", "", "No feed was found at this address." },
        { "/blog/posts.rss", "Not A Tag!", "Tags are lower-case words, digits and dashes." },
    };

    [Theory, MemberData(nameof(BadSubmissions))]
    public async Task Bad_submissions_show_an_error_on_the_field(string url, string tags, string message)
    {
        var address = url.StartsWith('/') ? _feeds.Url(url) : url;
        using var response = await Forms.PostAsync(_web.Client, "/submit", new Dictionary<string, string> { ["SiteUrl"] = address, ["Tags"] = tags });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestApp.ParseAsync(response);
        var errors = page.QuerySelectorAll(".field-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0);
        Assert.Contains(message, errors);
        Assert.Equal(0, await _web.WithDbAsync(db => db.Submissions.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_private_address_is_refused_when_private_addresses_are_not_allowed()
    {
        await using var strict = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });
        using var response = await Forms.PostAsync(strict.Client, "/submit", new Dictionary<string, string> { ["SiteUrl"] = _feeds.Url("/blog/posts.rss") });
        var page = await TestApp.ParseAsync(response);
        Assert.Equal("This address is not on the public Internet.", page.QuerySelector("#url-error")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["SiteUrl"] = _feeds.Url("/blog/posts.rss") });
        using var response = await _web.Client.PostAsync("/submit", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _web.WithDbAsync(db => db.Submissions.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Suggesting_an_edit_stores_the_fields()
    {
        var form = await _web.GetPageAsync("/feeds/alpha/modify");
        Assert.Equal("Blog alpha", form.QuerySelector("input[name=Title]")!.GetAttribute("value"));
        using var response = await Forms.PostAsync(_web.Client, "/feeds/alpha/modify", new Dictionary<string, string>
        {
            ["FeedUrl"] = "https://alpha.example/feed.xml",
            ["Title"] = "Alpha, renamed",
            ["Description"] = "Writing about alpha",
            ["IconUrl"] = "https://alpha.example/icon.png",
            ["Language"] = "en",
            ["Tags"] = "rust, systems",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var submission = await _web.WithDbAsync(db => db.Submissions.SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(SubmissionKind.Modify, submission.Kind);
        Assert.Equal("Alpha, renamed", submission.Title);
        Assert.Equal(["rust", "systems"], submission.Tags);
    }

    [Fact]
    public async Task A_bad_edit_names_the_field()
    {
        using var response = await Forms.PostAsync(_web.Client, "/feeds/alpha/modify", new Dictionary<string, string>
        {
            ["FeedUrl"] = "https://alpha.example/feed.xml",
            ["Language"] = "not a language",
        });
        var page = await TestApp.ParseAsync(response);
        Assert.Equal("Use a language code such as en or zh-Hans.", page.QuerySelector("[data-valmsg-for=Language]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Modify_of_an_unknown_feed_is_404()
    {
        using var response = await _web.Client.GetAsync("/feeds/nope/modify", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Live_preview_shows_the_feed_with_a_submit_button()
    {
        var page = await _web.GetPageAsync("/preview?url=" + Uri.EscapeDataString(_feeds.Url("/blog/posts.rss")));
        Assert.Equal("Irrational Exuberance", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("RSS preview of Irrational Exuberance", page.QuerySelector("#entries-heading")!.TextContent);
        Assert.Equal(6, page.QuerySelectorAll("article.entry").Length);
        Assert.Equal("2025-10-26 19:00:00", page.QuerySelector("article.entry time")!.TextContent);
        Assert.Null(page.QuerySelector("a.listed-link"));
        Assert.Equal("/submit?url=" + Uri.EscapeDataString(_feeds.Url("/blog/posts.rss")), page.QuerySelector("a.submit-link")!.GetAttribute("href"));
        Assert.Empty(page.QuerySelectorAll("main script, main [onclick]"));
    }

    [Fact]
    public async Task Live_preview_of_a_page_with_one_feed_shows_that_feed()
    {
        var page = await _web.GetPageAsync("/preview?url=" + Uri.EscapeDataString(_feeds.Url("/one.html")));
        Assert.Equal("Irrational Exuberance", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Live_preview_of_a_page_with_several_feeds_offers_a_choice()
    {
        var page = await _web.GetPageAsync("/preview?url=" + Uri.EscapeDataString(_feeds.Url("/two.html")));
        var choices = page.QuerySelectorAll("ul.choices a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(
            ["/preview?url=" + Uri.EscapeDataString(_feeds.Url("/blog/posts.rss")), "/preview?url=" + Uri.EscapeDataString(_feeds.Url("/blog/notes.rss"))],
            choices);
    }

    [Theory]
    [InlineData("https://alpha.example/feed.xml")]
    [InlineData("alpha.example/feed.xml")]
    [InlineData("http://alpha.example/feed.xml/")]
    [InlineData("https://alpha.example")]
    public async Task Live_preview_of_a_listed_url_links_to_the_listing_without_fetching(string url)
    {
        var page = await _web.GetPageAsync("/preview?url=" + Uri.EscapeDataString(url));
        Assert.Equal("/feeds/alpha", page.QuerySelector("a.listed-link")!.GetAttribute("href"));
        Assert.Null(page.QuerySelector("article.feed"));
    }

    [Fact]
    public async Task Live_preview_of_a_site_whose_feed_is_listed_links_to_the_listing()
    {
        await _web.WithDbAsync(async db =>
        {
            var listed = await TestFeeds.AddAsync(db, "posts");
            listed.FeedUrl = _feeds.Url("/blog/posts.rss");
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        var page = await _web.GetPageAsync("/preview?url=" + Uri.EscapeDataString(_feeds.Url("/one.html")));
        Assert.Equal("/feeds/posts", page.QuerySelector("a.listed-link")!.GetAttribute("href"));
        Assert.Null(page.QuerySelector("article.feed"));
    }

    [Fact]
    public async Task A_failed_preview_and_a_failed_submission_use_the_same_words_in_both_languages()
    {
        var preview = await _web.GetPageAsync("/preview?url=" + Uri.EscapeDataString(_feeds.Url("/plain.html")), expected: HttpStatusCode.UnprocessableEntity);
        using var response = await Forms.PostAsync(_web.Client, "/submit", new Dictionary<string, string> { ["SiteUrl"] = _feeds.Url("/plain.html") });
        var submit = await TestApp.ParseAsync(response);
        Assert.Equal("No feed was found at this address.", preview.QuerySelector("#preview-problem")!.TextContent);
        Assert.Equal("No feed was found at this address.", submit.QuerySelector("#url-error")!.TextContent.Trim());

        using var chinese = _web.NewClient();
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var missing = await _web.GetPageAsync("/preview?url=" + Uri.EscapeDataString(_feeds.Url("/missing.rss")), chinese, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("服务器返回了 HTTP 状态码 404。", missing.QuerySelector("#preview-problem")!.TextContent);
    }

    [Fact]
    public async Task Live_preview_of_a_bad_url_says_why()
    {
        var page = await _web.GetPageAsync("/preview?url=javascript%3Aalert(1)", expected: HttpStatusCode.BadRequest);
        Assert.Equal("Enter an absolute http or https URL.", page.QuerySelector("#preview-problem")!.TextContent);
    }

    [Fact]
    public async Task Live_preview_is_rate_limited_per_client()
    {
        await using var limited = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["RATE_PREVIEW_PER_MINUTE"] = "2" });
        var url = "/preview?url=" + Uri.EscapeDataString(_feeds.Url("/blog/posts.rss"));
        using var first = await limited.Client.GetAsync(url, TestContext.Current.CancellationToken);
        using var second = await limited.Client.GetAsync(url, TestContext.Current.CancellationToken);
        using var third = await limited.Client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task Reading_a_form_is_never_rate_limited_only_sending_it_is()
    {
        await using var limited = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["RATE_FORMS_PER_MINUTE"] = "1" });
        for (var i = 0; i < 10; i++)
        {
            await limited.GetPageAsync("/submit");
        }

        using var first = await Forms.PostAsync(limited.Client, "/submit", new Dictionary<string, string> { ["SiteUrl"] = "not a url" });
        using var second = await Forms.PostAsync(limited.Client, "/submit", new Dictionary<string, string> { ["SiteUrl"] = "not a url" });

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var seconds = (int)second.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(seconds, 1, 60);
        var page = await TestApp.ParseAsync(second);
        Assert.Equal("Slow down a little", page.QuerySelector("h1")!.TextContent);
        Assert.Contains($"try again in {seconds} seconds", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rate_limit_page_speaks_chinese_too()
    {
        await using var limited = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["RATE_FORMS_PER_MINUTE"] = "1" });
        limited.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        using var first = await Forms.PostAsync(limited.Client, "/submit", new Dictionary<string, string> { ["SiteUrl"] = "not a url" });
        using var second = await Forms.PostAsync(limited.Client, "/submit", new Dictionary<string, string> { ["SiteUrl"] = "not a url" });

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var page = await TestApp.ParseAsync(second);
        Assert.Contains("秒后再试", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }
}
