using System.Text.Json;
using Feedstand.Tests.Infrastructure;
using Feedstand.Tests.Web;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Feedstand.Tests.MachineReaders;

/// <summary>/mcp through the SDK's own client (streamable HTTP) against the real app on loopback.</summary>
public sealed class McpEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TestApp> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var app = await TestApp.StartWebAsync(settings);
        await app.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "known", entries: 3, tags: ["go", "rust"], title: "Gopher notes");
            await TestFeeds.AddAsync(db, "other", entries: 2, tags: ["go"], language: "zh", title: "Other blog");
        });
        return app;
    }

    private static Task<McpClient> ConnectAsync(TestApp app) =>
        McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(app.Address, "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
            }),
            cancellationToken: Ct);

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private static JsonElement Json(CallToolResult result)
    {
        Assert.True(result.IsError is not true, Text(result));
        return JsonDocument.Parse(Text(result)).RootElement;
    }

    [Fact]
    public async Task The_four_tools_are_listed_and_all_read_only()
    {
        await using var app = await StartAsync();
        await using var client = await ConnectAsync(app);

        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        Assert.Equal(["get_feed", "latest_posts", "preview_url", "search_feeds"], tools.Select(t => t.Name).Order());
        Assert.All(tools, t => Assert.True(t.ProtocolTool.Annotations?.ReadOnlyHint, t.Name));
        Assert.All(tools, t => Assert.False(t.ProtocolTool.Annotations?.DestructiveHint, t.Name));
        Assert.Equal("feedstand", client.ServerInfo?.Name);
    }

    [Fact]
    public async Task Search_finds_feeds_by_words_tag_and_language()
    {
        await using var app = await StartAsync();
        await using var client = await ConnectAsync(app);

        var byWords = Json(await client.CallToolAsync("search_feeds", Args(("query", "gopher")), cancellationToken: Ct));
        var byTag = Json(await client.CallToolAsync("search_feeds", Args(("tag", "go")), cancellationToken: Ct));
        var byTagAndLanguage = Json(await client.CallToolAsync("search_feeds", Args(("tag", "go"), ("language", "zh")), cancellationToken: Ct));
        var nothing = await client.CallToolAsync("search_feeds", Args(), cancellationToken: Ct);

        Assert.Equal(["known"], byWords.EnumerateArray().Select(f => f.GetProperty("slug").GetString()));
        Assert.Equal(new Uri(app.Address, "/feeds/known.md").AbsoluteUri, byWords[0].GetProperty("markdown_url").GetString());
        Assert.Equal(["known", "other"], byTag.EnumerateArray().Select(f => f.GetProperty("slug").GetString()).Order());
        Assert.Equal(["other"], byTagAndLanguage.EnumerateArray().Select(f => f.GetProperty("slug").GetString()));
        Assert.True(nothing.IsError);
        Assert.Contains("query", Text(nothing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_feed_and_latest_posts_read_the_directory()
    {
        await using var app = await StartAsync();
        await using var client = await ConnectAsync(app);

        var feed = Json(await client.CallToolAsync("get_feed", Args(("slug", "known")), cancellationToken: Ct));
        var missing = await client.CallToolAsync("get_feed", Args(("slug", "missing")), cancellationToken: Ct);
        var posts = Json(await client.CallToolAsync("latest_posts", Args(("slug", "known"), ("limit", 2)), cancellationToken: Ct));
        var directory = Json(await client.CallToolAsync("latest_posts", Args(("limit", 10)), cancellationToken: Ct));
        var tooMany = await client.CallToolAsync("latest_posts", Args(("limit", 500)), cancellationToken: Ct);

        Assert.Equal("https://known.example/feed.xml", feed.GetProperty("feed").GetProperty("feed_url").GetString());
        Assert.Equal(["go", "rust"], feed.GetProperty("feed").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("https://www.inoreader.com/", feed.GetProperty("subscribe").GetProperty("Inoreader").GetString(), StringComparison.Ordinal);
        Assert.True(missing.IsError);
        Assert.Contains("missing", Text(missing), StringComparison.Ordinal);
        Assert.Equal(["Post 0 of known", "Post 1 of known"], posts.EnumerateArray().Select(p => p.GetProperty("title").GetString()));
        Assert.Equal("Body of post 0 with **bold** text.", posts[0].GetProperty("content_markdown").GetString());
        Assert.Equal(5, directory.GetArrayLength());
        Assert.True(tooMany.IsError);
    }

    [Fact]
    public async Task The_directory_and_each_feed_are_resources()
    {
        await using var app = await StartAsync();
        await using var client = await ConnectAsync(app);

        var resources = await client.ListResourcesAsync(cancellationToken: Ct);
        var templates = await client.ListResourceTemplatesAsync(cancellationToken: Ct);
        var directory = await client.ReadResourceAsync("feedstand://directory", cancellationToken: Ct);
        var feed = await client.ReadResourceAsync("feedstand://feeds/known", cancellationToken: Ct);

        Assert.Contains(resources, r => r.Uri == "feedstand://directory");
        Assert.Contains(templates, t => t.UriTemplate == "feedstand://feeds/{slug}");
        var listing = Assert.IsType<TextResourceContents>(Assert.Single(directory.Contents)).Text;
        Assert.StartsWith("# Feedstand\n", listing, StringComparison.Ordinal);
        Assert.Contains("/feeds/known.md", listing, StringComparison.Ordinal);
        var twin = Assert.IsType<TextResourceContents>(Assert.Single(feed.Contents));
        Assert.Equal("text/markdown", twin.MimeType);
        Assert.StartsWith("# Gopher notes\n", twin.Text, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<ModelContextProtocol.McpException>(async () =>
            await client.ReadResourceAsync("feedstand://feeds/missing", cancellationToken: Ct));
    }

    [Fact]
    public async Task Preview_url_shows_a_feed_and_keeps_to_the_preview_rate_limit()
    {
        await using var server = await FeedServer.StartAsync();
        server.MapDocument("/feed.xml", Documents.Rss("Loopback blog", Documents.Daily(3, TestFeeds.Newest)));
        await using var app = await StartAsync(new Dictionary<string, string?> { ["RATE_PREVIEW_PER_MINUTE"] = "2" });
        await using var client = await ConnectAsync(app);

        var first = await client.CallToolAsync("preview_url", Args(("url", server.Url("/feed.xml"))), cancellationToken: Ct);
        var second = await client.CallToolAsync("preview_url", Args(("url", server.Url("/feed.xml"))), cancellationToken: Ct);
        var third = await client.CallToolAsync("preview_url", Args(("url", server.Url("/feed.xml"))), cancellationToken: Ct);

        Assert.True(first.IsError is not true, Text(first));
        Assert.StartsWith("# Loopback blog\n", Text(first), StringComparison.Ordinal);
        Assert.Contains("## Post 3", Text(first), StringComparison.Ordinal);
        Assert.True(second.IsError is not true);
        Assert.True(third.IsError);
        Assert.Contains("Too many previews", Text(third), StringComparison.Ordinal);
        // The other tools are not held back by the preview's limit.
        Assert.True((await client.CallToolAsync("get_feed", Args(("slug", "known")), cancellationToken: Ct)).IsError is not true);
    }

    [Fact]
    public async Task Preview_url_and_the_preview_page_spend_one_budget_per_client()
    {
        await using var server = await FeedServer.StartAsync();
        server.MapDocument("/feed.xml", Documents.Rss("Loopback blog", Documents.Daily(3, TestFeeds.Newest)));
        await using var app = await StartAsync(new Dictionary<string, string?> { ["RATE_PREVIEW_PER_MINUTE"] = "2" });
        await using var client = await ConnectAsync(app);
        var page = "/preview?url=" + Uri.EscapeDataString(server.Url("/feed.xml"));

        var byPage = await app.Client.GetAsync(page, Ct);
        var byTool = await client.CallToolAsync("preview_url", Args(("url", server.Url("/feed.xml"))), cancellationToken: Ct);
        var byPageAgain = await app.Client.GetAsync(page, Ct);
        var byToolAgain = await client.CallToolAsync("preview_url", Args(("url", server.Url("/feed.xml"))), cancellationToken: Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, byPage.StatusCode);
        Assert.True(byTool.IsError is not true, Text(byTool));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, byPageAgain.StatusCode);
        Assert.NotNull(byPageAgain.Headers.RetryAfter);
        Assert.True(byToolAgain.IsError);
        Assert.Contains("Too many previews", Text(byToolAgain), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/feed.xml")]
    [InlineData("http://10.0.0.1/feed")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/")]
    public async Task Preview_url_of_a_private_address_is_refused(string url)
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });
        await using var client = await ConnectAsync(app);

        var result = await client.CallToolAsync("preview_url", Args(("url", url)), cancellationToken: Ct);

        Assert.True(result.IsError);
        Assert.DoesNotContain("Loopback", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_url_says_what_is_wrong_with_a_bad_url()
    {
        await using var app = await StartAsync();
        await using var client = await ConnectAsync(app);

        var result = await client.CallToolAsync("preview_url", Args(("url", "javascript:alert(1)")), cancellationToken: Ct);

        Assert.True(result.IsError);
        Assert.False(string.IsNullOrWhiteSpace(Text(result)));
    }
}
