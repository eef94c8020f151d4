using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Feedstand.Tests.Infrastructure;

namespace Feedstand.Tests.Web;

public sealed class ApiTests : IAsyncLifetime
{
    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(async db =>
        {
            for (var i = 0; i < 5; i++)
            {
                await TestFeeds.AddAsync(db, "feed" + i, entries: 7, tags: i % 2 == 0 ? ["even"] : ["odd"]);
            }
            await TestFeeds.AddAsync(db, "hidden", status: Feedstand.Data.FeedStatus.Pending);
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    private async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _web.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }

    [Fact]
    public async Task Feed_list_pages_with_a_cursor_until_there_is_none()
    {
        var slugs = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetJsonAsync("/api/v1/feeds?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            slugs.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(["feed0", "feed1", "feed2", "feed3", "feed4"], slugs);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Feed_list_filters_by_tag()
    {
        var page = await GetJsonAsync("/api/v1/feeds?tag=odd");
        Assert.Equal(["feed1", "feed3"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task One_feed_has_its_health_and_feed_links()
    {
        var feed = await GetJsonAsync("/api/v1/feeds/feed1");
        Assert.Equal("Blog feed1", feed.GetProperty("feed").GetProperty("title").GetString());
        Assert.Equal(["odd"], feed.GetProperty("feed").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0, feed.GetProperty("health").GetProperty("consecutive_errors").GetInt32());
        Assert.EndsWith("/feeds/feed1/atom", feed.GetProperty("atom").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_page_newest_first_with_a_cursor()
    {
        var first = await GetJsonAsync("/api/v1/feeds/feed0/entries?limit=5");
        var titles = first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();
        Assert.Equal(["Post 0 of feed0", "Post 1 of feed0", "Post 2 of feed0", "Post 3 of feed0", "Post 4 of feed0"], titles);
        var second = await GetJsonAsync("/api/v1/feeds/feed0/entries?limit=5&cursor=" + first.GetProperty("next_cursor").GetString());
        Assert.Equal(["Post 5 of feed0", "Post 6 of feed0"], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task A_second_get_with_the_etag_is_304()
    {
        using var first = await _web.Client.GetAsync("/api/v1/feeds/feed0", TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feeds/feed0");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await _web.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Get_allows_any_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feeds");
        request.Headers.Add("Origin", "https://elsewhere.example");
        using var response = await _web.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    public static TheoryData<string, HttpStatusCode, string> Errors => new()
    {
        { "/api/v1/feeds/nope", HttpStatusCode.NotFound, "Not Found" },
        { "/api/v1/feeds/hidden", HttpStatusCode.NotFound, "Not Found" },
        { "/api/v1/feeds?limit=0", HttpStatusCode.BadRequest, "limit" },
        { "/api/v1/feeds?cursor=%21%21", HttpStatusCode.BadRequest, "cursor" },
        { "/api/v1/feeds/feed0/entries?cursor=bm9wZQ", HttpStatusCode.BadRequest, "cursor" },
        { "/api/v1/search", HttpStatusCode.BadRequest, "q" },
        { "/api/v1/nothing-here", HttpStatusCode.NotFound, "" },
    };

    [Theory, MemberData(nameof(Errors))]
    public async Task Errors_are_problem_json(string path, HttpStatusCode status, string field)
    {
        using var response = await _web.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _));
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        }
        else if (field.Length > 0)
        {
            Assert.Equal(field, problem.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task Search_finds_posts_with_marked_snippets()
    {
        var results = await GetJsonAsync("/api/v1/search?q=bold");
        var entries = results.GetProperty("entries").EnumerateArray().ToList();
        Assert.NotEmpty(entries);
        Assert.Contains("<mark>", entries[0].GetProperty("snippet_html").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_is_served_as_json()
    {
        using var response = await _web.Client.GetAsync("/api/v1/feeds", TestContext.Current.CancellationToken);
        Assert.Equal(new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }, response.Content.Headers.ContentType);
    }
}
