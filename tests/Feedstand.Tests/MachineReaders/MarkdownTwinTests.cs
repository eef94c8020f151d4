using System.Net;
using System.Net.Http.Headers;
using Feedstand.MachineReaders;
using Feedstand.Tests.Infrastructure;
using Feedstand.Tests.Web;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Http;

namespace Feedstand.Tests.MachineReaders;

/// <summary>/feeds/{slug}.md, the same answer for Accept: text/markdown, /tags/{tag}.md, /llms.txt and /llms-full.txt, on the real app.</summary>
public sealed class MarkdownTwinTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TestApp> StartWithFeedsAsync(int extraGermanFeeds = 0)
    {
        var app = await TestApp.StartWebAsync();
        await app.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "known", entries: 3, tags: ["go", "rust"]);
            await TestFeeds.AddAsync(db, "other", entries: 1, tags: ["go"], language: "zh");
            for (var i = 0; i < extraGermanFeeds; i++)
            {
                await TestFeeds.AddAsync(db, $"de-{i:00}", entries: 1, language: "de");
            }
        });
        return app;
    }

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(TestApp app, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await app.Client.SendAsync(request, Ct);
        return (response, await response.Content.ReadAsStringAsync(Ct));
    }

    private static MarkdownDocument Parse(string markdown) =>
        Markdown.Parse(markdown, new MarkdownPipelineBuilder().UsePipeTables().UseFootnotes().Build());

    private static List<string> Links(MarkdownDocument document) =>
        document.Descendants<LinkInline>().Select(l => l.Url ?? "").ToList();

    [Fact]
    public async Task The_twin_holds_the_card_and_the_latest_posts()
    {
        await using var app = await StartWithFeedsAsync();

        var (response, body) = await GetAsync(app, "/feeds/known.md");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("Accept", response.Headers.Vary);
        var document = Parse(body);
        var headings = document.Descendants<HeadingBlock>().Select(h => (h.Level, Text: string.Concat(h.Inline!.Descendants<LiteralInline>().Select(l => l.Content.ToString())))).ToList();
        Assert.Equal((1, "Blog known"), headings[0]);
        Assert.Equal((2, "RSS preview of Blog known"), headings[1]);
        Assert.Equal(["Post 0 of known", "Post 1 of known", "Post 2 of known"], headings.Where(h => h.Level == 3).Select(h => h.Text));
        var links = Links(document);
        Assert.Contains("https://known.example/feed.xml", body, StringComparison.Ordinal);
        Assert.Contains(app.Address.GetLeftPart(UriPartial.Authority) + "/tags/go.md", links);
        Assert.Contains("https://www.inoreader.com/?add_feed=" + Uri.EscapeDataString("https://known.example/feed.xml"), links);
        Assert.Contains("https://known.example/post-0", links);
        Assert.Contains(app.Address.GetLeftPart(UriPartial.Authority) + "/feeds/known/rss", links);
        Assert.Contains("Body of post 0 with **bold** text.", body, StringComparison.Ordinal);
        Assert.Contains("2025-10-26 19:00:00 UTC", body, StringComparison.Ordinal);
        Assert.Single(document.Descendants<QuoteBlock>());
    }

    [Fact]
    public async Task The_preview_page_answers_markdown_to_who_prefers_it_and_html_to_the_others()
    {
        await using var app = await StartWithFeedsAsync();

        var (html, htmlBody) = await GetAsync(app, "/feeds/known", "text/html,application/xhtml+xml,*/*;q=0.8");
        var (markdown, markdownBody) = await GetAsync(app, "/feeds/known", "text/markdown, text/html;q=0.9");
        var (twin, twinBody) = await GetAsync(app, "/feeds/known.md");
        var (htmlAgain, htmlAgainBody) = await GetAsync(app, "/feeds/known");

        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", html.Headers.Vary);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", markdown.Headers.Vary);
        Assert.Equal("/feeds/known.md", markdown.Content.Headers.ContentLocation?.OriginalString);
        Assert.Equal(twinBody, markdownBody);
        // The cached HTML page and the Markdown answer never stand in for each other.
        Assert.Equal("text/html", htmlAgain.Content.Headers.ContentType?.MediaType);
        Assert.Equal(htmlBody, htmlAgainBody);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(htmlBody);
        Assert.Equal("/feeds/known.md", page.QuerySelector("link[rel=alternate][type='text/markdown']")?.GetAttribute("href"));
        html.Dispose();
        markdown.Dispose();
        twin.Dispose();
        htmlAgain.Dispose();
    }

    [Theory]
    [InlineData("text/markdown", true)]
    [InlineData("text/markdown, text/html", true)]
    [InlineData("text/html, text/markdown", false)]
    [InlineData("text/html;q=0.5, text/markdown", true)]
    [InlineData("text/markdown, */*;q=0.8", true)]
    [InlineData("text/markdown;q=0.9, */*", false)]
    [InlineData("text/*, text/markdown;q=0.5", false)]
    [InlineData("text/markdown;q=0, */*", false)]
    [InlineData("text/html", false)]
    [InlineData("*/*", false)]
    [InlineData("", false)]
    [InlineData("garbage;;q=x", false)]
    public void Accept_decides_between_markdown_and_html(string accept, bool markdown)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Accept = accept;

        Assert.Equal(markdown, MarkdownTwins.PrefersMarkdown(context.Request));
    }

    [Theory]
    [InlineData("/feeds/missing.md")]
    [InlineData("/tags/missing.md")]
    [InlineData("/feeds/known.md?page=9")]
    public async Task What_is_not_there_is_a_404(string path)
    {
        await using var app = await StartWithFeedsAsync();

        var (response, _) = await GetAsync(app, path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_tag_lists_its_feeds_as_llms_txt_lists_files()
    {
        await using var app = await StartWithFeedsAsync();
        var root = app.Address.GetLeftPart(UriPartial.Authority);

        var (response, body) = await GetAsync(app, "/tags/go.md");

        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"- [Blog known]({root}/feeds/known.md): Writing about known (en)\n", body, StringComparison.Ordinal);
        Assert.Contains($"- [Blog other]({root}/feeds/other.md): Writing about other (zh)\n", body, StringComparison.Ordinal);
        Assert.Contains(root + "/tags/go.opml", Links(Parse(body)));
    }

    [Fact]
    public async Task Llms_txt_follows_the_format_and_caps_each_language()
    {
        await using var app = await StartWithFeedsAsync(extraGermanFeeds: MarkdownTwins.FeedsPerLanguage + 5);
        var root = app.Address.GetLeftPart(UriPartial.Authority);

        var (response, body) = await GetAsync(app, "/llms.txt");

        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        var lines = body.Split('\n');
        Assert.Equal("# Feedstand", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.StartsWith("> ", lines[2], StringComparison.Ordinal);
        var document = Parse(body);
        Assert.Single(document.Descendants<HeadingBlock>(), h => h.Level == 1);
        var sections = document.Descendants<HeadingBlock>().Where(h => h.Level == 2)
            .Select(h => string.Concat(h.Inline!.Descendants<LiteralInline>().Select(l => l.Content.ToString()))).ToList();
        Assert.Equal(["Tags", "Feeds in Deutsch", "Feeds in English", "Feeds in 中文", "Optional"], sections);
        Assert.Contains($"- [go]({root}/tags/go.md): 2 feeds\n", body, StringComparison.Ordinal);
        Assert.Contains($"- [Blog known]({root}/feeds/known.md): Writing about known\n", body, StringComparison.Ordinal);
        var german = body[body.IndexOf("## Feeds in Deutsch", StringComparison.Ordinal)..body.IndexOf("## Feeds in English", StringComparison.Ordinal)];
        Assert.Equal(MarkdownTwins.FeedsPerLanguage, german.Split('\n').Count(l => l.Contains("/feeds/de-", StringComparison.Ordinal)));
        Assert.Contains($"[All 25 feeds in Deutsch]({root}/llms-full.txt?lang=de)", german, StringComparison.Ordinal);

        // Every link it gives on this site answers (the MCP endpoint speaks JSON-RPC over POST: McpEndpointTests).
        foreach (var link in Links(document).Where(l => l.StartsWith(root, StringComparison.Ordinal) && !l.EndsWith("/mcp", StringComparison.Ordinal)))
        {
            using var followed = await app.Client.GetAsync(link, Ct);
            Assert.True(followed.StatusCode == HttpStatusCode.OK, $"{link}: {followed.StatusCode}");
        }
    }

    [Fact]
    public async Task Llms_full_txt_lists_every_feed_and_filters_by_language()
    {
        await using var app = await StartWithFeedsAsync(extraGermanFeeds: 25);

        var (_, all) = await GetAsync(app, "/llms-full.txt");
        var (_, german) = await GetAsync(app, "/llms-full.txt?lang=de");

        Assert.Equal(27, all.Split('\n').Count(l => l.StartsWith("- [", StringComparison.Ordinal)));
        Assert.Equal(25, german.Split('\n').Count(l => l.StartsWith("- [", StringComparison.Ordinal)));
        Assert.DoesNotContain("/feeds/known.md", german, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_twin_is_in_chinese_for_a_chinese_reader()
    {
        await using var app = await StartWithFeedsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/known.md");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));

        using var response = await app.Client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("- 订阅: [Inoreader]", body, StringComparison.Ordinal);
    }
}
