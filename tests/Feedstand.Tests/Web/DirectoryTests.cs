using System.Net;
using Feedstand.Feeds;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Opml;
using Feedstand.Tests.Infrastructure;

namespace Feedstand.Tests.Web;

public sealed class DirectoryTests : IAsyncLifetime
{
    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "alpha", tags: ["rust"], title: "Zed alpha");
            await TestFeeds.AddAsync(db, "beta", tags: ["rust", "go"], language: "zh-Hans", title: "Able beta");
            await TestFeeds.AddAsync(db, "gamma", entries: 0, tags: ["go"], title: "Middle gamma");
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task Home_lists_tags_languages_newest_posts_and_feeds()
    {
        var page = await _web.GetPageAsync("/");
        Assert.Equal(["go (2)", "rust (2)"], page.QuerySelectorAll("section[aria-labelledby=tags-heading] a").Select(a => a.TextContent).Order());
        Assert.Contains("中文 (1)", page.QuerySelectorAll("nav.filter a").Select(a => a.TextContent));
        // The test posts are from 2025: older than the newest-posts window.
        Assert.Equal("No posts in the last three months.", page.QuerySelector("section[aria-labelledby=newest-heading] p")!.TextContent);
        Assert.Equal(3, page.QuerySelectorAll("section[aria-labelledby=feeds-heading] .feed-list > li").Length);
        Assert.NotNull(page.QuerySelector("form[role=search] input[name=q]"));
        Assert.Equal(["main"], page.QuerySelectorAll("main").Select(m => m.LocalName));
        Assert.NotNull(page.QuerySelector("a.skip-link[href='#main']"));
    }

    [Theory]
    [InlineData("/?sort=name", new[] { "Able beta", "Middle gamma", "Zed alpha" })]
    [InlineData("/?lang=zh-Hans", new[] { "Able beta" })]
    [InlineData("/tags/go?sort=name", new[] { "Able beta", "Middle gamma" })]
    public async Task Lists_sort_and_filter(string path, string[] titles)
    {
        var page = await _web.GetPageAsync(path);
        Assert.Equal(titles, page.QuerySelectorAll(".feed-list a.title").Select(a => a.TextContent).TakeLast(titles.Length));
    }

    [Fact]
    public async Task Unknown_tag_is_404()
    {
        using var response = await _web.Client.GetAsync("/tags/nothing", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Search_page_shows_ranked_hits_with_marks()
    {
        var page = await _web.GetPageAsync("/search?q=bold");
        Assert.NotEmpty(page.QuerySelectorAll(".entry-results li"));
        Assert.NotNull(page.QuerySelector(".entry-results .snippet mark"));
        var none = await _web.GetPageAsync("/search?q=zzzzqqq");
        Assert.NotNull(none.QuerySelector("#no-results"));
    }

    [Theory]
    [InlineData("/feeds/alpha/rss", FeedFormat.Rss20, "application/rss+xml")]
    [InlineData("/feeds/alpha/atom", FeedFormat.Atom10, "application/atom+xml")]
    [InlineData("/feeds/alpha/json", FeedFormat.JsonFeed11, "application/feed+json")]
    [InlineData("/tags/rust/rss", FeedFormat.Rss20, "application/rss+xml")]
    [InlineData("/tags/rust/atom", FeedFormat.Atom10, "application/atom+xml")]
    [InlineData("/tags/rust/json", FeedFormat.JsonFeed11, "application/feed+json")]
    public async Task Re_published_feeds_parse_back_with_our_parser(string path, FeedFormat format, string mediaType)
    {
        using var response = await _web.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var feed = FeedParser.Parse(bytes);
        Assert.Equal(format, feed.Format);
        Assert.True(feed.IsWellFormed, string.Join("; ", feed.Errors));
        var expected = path.StartsWith("/tags", StringComparison.Ordinal) ? 6 : 3;
        Assert.Equal(expected, feed.Entries.Count);
        Assert.Equal(TestFeeds.Newest, feed.Entries[0].Published);
        Assert.Contains("<strong>bold</strong>", feed.Entries[0].ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Re_published_feed_answers_304_to_its_etag_and_date()
    {
        using var first = await _web.Client.GetAsync("/feeds/alpha/atom", TestContext.Current.CancellationToken);
        Assert.Equal(TestFeeds.Newest, first.Content.Headers.LastModified);
        using var byEtag = new HttpRequestMessage(HttpMethod.Get, "/feeds/alpha/atom");
        byEtag.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await _web.Client.SendAsync(byEtag, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using var byDate = new HttpRequestMessage(HttpMethod.Get, "/feeds/alpha/rss");
        byDate.Headers.IfModifiedSince = TestFeeds.Newest;
        using var notModifiedByDate = await _web.Client.SendAsync(byDate, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, notModifiedByDate.StatusCode);
    }

    [Fact]
    public async Task Opml_lists_the_directory_and_each_tag()
    {
        using var all = await _web.Client.GetAsync("/opml", TestContext.Current.CancellationToken);
        var document = OpmlReader.Read(await all.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, document.Feeds.Count);
        using var tag = await _web.Client.GetAsync("/tags/go.opml", TestContext.Current.CancellationToken);
        var go = OpmlReader.Read(await tag.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["https://beta.example/feed.xml", "https://gamma.example/feed.xml"], go.Feeds.Select(f => f.XmlUrl));
        Assert.Contains("go", go.Feeds[0].Categories);
        using var missing = await _web.Client.GetAsync("/tags/nothing.opml", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Unknown_feed_formats_and_slugs_are_404()
    {
        using var slug = await _web.Client.GetAsync("/feeds/nope/rss", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, slug.StatusCode);
        using var format = await _web.Client.GetAsync("/feeds/alpha/yaml", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, format.StatusCode);
    }
}
