using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Feedstand.Feeds;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Web;

/// <summary>
/// The re-published feeds and OPML answer HEAD and conditional requests, feeds with no entries
/// carry the date they were listed, and RFC 5005 links lead a new subscriber through the whole
/// stored history in every format.
/// </summary>
public sealed class RepublishTests : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace History = "http://purl.org/syndication/history/1.0";

    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "alpha", tags: ["rust"]);
            await TestFeeds.AddAsync(db, "empty", entries: 0, tags: ["quiet"]);
            await TestFeeds.AddAsync(db, "long", entries: 120, tags: ["history"]);
            var same = await TestFeeds.AddAsync(db, "same", entries: 60);
            // Sixty entries with one date: pages must still split them without loss.
            await db.Entries.Where(e => e.FeedId == same.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.SortDate, TestFeeds.Newest).SetProperty(e => e.PublishedAt, TestFeeds.Newest),
                    TestContext.Current.CancellationToken);
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    public static TheoryData<string, string> FeedRoutes => new()
    {
        { "/feeds/alpha/rss", "application/rss+xml" },
        { "/feeds/alpha/atom", "application/atom+xml" },
        { "/feeds/alpha/json", "application/feed+json" },
        { "/tags/rust/rss", "application/rss+xml" },
        { "/tags/rust/atom", "application/atom+xml" },
        { "/tags/rust/json", "application/feed+json" },
        { "/opml", "text/x-opml" },
        { "/tags/rust.opml", "text/x-opml" },
    };

    [Theory, MemberData(nameof(FeedRoutes))]
    public async Task Head_answers_with_the_headers_of_get_and_no_body(string path, string mediaType)
    {
        var ct = TestContext.Current.CancellationToken;
        using var head = await _web.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(mediaType, head.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(ct));
        // A HEAD answered first must not leave an empty body for the GET that follows.
        using var get = await _web.Client.GetAsync(path, ct);
        var body = await get.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(head.Content.Headers.ContentLength, body.Length);
        Assert.True(body.Length > 100);
        Assert.Equal(head.Headers.ETag, get.Headers.ETag);
    }

    [Theory, MemberData(nameof(FeedRoutes))]
    public async Task Get_and_head_answer_304_to_the_etag(string path, string mediaType)
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = await _web.Client.GetAsync(path, ct);
        Assert.Equal(mediaType, first.Content.Headers.ContentType!.MediaType);
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            using var response = await _web.Client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("/feeds/empty/atom")]
    [InlineData("/tags/quiet/atom")]
    public async Task Feed_without_entries_is_updated_when_it_was_listed_never_1970(string path)
    {
        using var response = await _web.Client.GetAsync(path, TestContext.Current.CancellationToken);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Root!;
        Assert.Equal(TestFeeds.Newest.AddDays(-100), DateTimeOffset.Parse(feed.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TestFeeds.Newest.AddDays(-100), response.Content.Headers.LastModified);
    }

    [Theory]
    [InlineData("/feeds/long/atom", 120)]
    [InlineData("/feeds/same/atom", 60)]
    [InlineData("/tags/history/atom", 120)]
    public async Task Atom_archive_links_lead_through_every_stored_entry(string path, int stored)
    {
        var ids = new List<string>();
        var pages = 0;
        string? next = path;
        while (next is not null)
        {
            var feed = await GetXmlAsync(next);
            var isArchive = feed.Element(History + "archive") is not null;
            Assert.Equal(pages > 0, isArchive);
            if (isArchive)
            {
                Assert.EndsWith(path, Link(feed, Atom + "link", "current"), StringComparison.Ordinal);
                Assert.NotNull(Link(feed, Atom + "link", "previous"));
            }
            Assert.Equal(Link(feed, Atom + "link", "next"), Link(feed, Atom + "link", "prev-archive"));
            ids.AddRange(feed.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value));
            next = Link(feed, Atom + "link", "prev-archive");
            pages++;
            Assert.True(pages < 10, "the archive chain does not end");
        }
        Assert.Equal(stored, ids.Count);
        Assert.Equal(stored, ids.Distinct().Count());
        Assert.Equal((stored + 49) / 50, pages);
    }

    [Fact]
    public async Task An_archive_page_links_back_to_its_newer_neighbour()
    {
        var subscription = await GetXmlAsync("/feeds/long/atom");
        var second = await GetXmlAsync(Link(subscription, Atom + "link", "prev-archive")!);
        var third = await GetXmlAsync(Link(second, Atom + "link", "prev-archive")!);
        Assert.Equal(Link(second, Atom + "link", "self"), Link(third, Atom + "link", "next-archive"));
        Assert.Equal(Link(second, Atom + "link", "self"), Link(third, Atom + "link", "previous"));
        Assert.Null(Link(third, Atom + "link", "prev-archive")); // 120 entries: the third page is the oldest
        Assert.EndsWith("/feeds/long/atom", Link(second, Atom + "link", "previous"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rss_archive_links_lead_through_every_stored_entry()
    {
        var guids = new List<string>();
        string? next = "/feeds/long/rss";
        while (next is not null)
        {
            var channel = (await GetXmlAsync(next)).Element("channel")!;
            guids.AddRange(channel.Elements("item").Select(i => i.Element("guid")!.Value));
            next = Link(channel, Atom + "link", "prev-archive");
        }
        Assert.Equal(120, guids.Distinct().Count());
    }

    [Fact]
    public async Task Json_feed_next_url_leads_through_every_stored_entry()
    {
        var ids = new List<string>();
        string? next = "/feeds/long/json";
        while (next is not null)
        {
            using var response = await _web.Client.GetAsync(next, TestContext.Current.CancellationToken);
            using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            ids.AddRange(json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            next = json.RootElement.TryGetProperty("next_url", out var url) ? url.GetString() : null;
        }
        Assert.Equal(120, ids.Distinct().Count());
    }

    [Fact]
    public async Task Archive_page_parses_back_with_our_parser_and_an_unknown_cursor_is_404()
    {
        var subscription = await GetXmlAsync("/feeds/long/rss");
        var older = Link(subscription.Element("channel")!, Atom + "link", "prev-archive")!;
        using var response = await _web.Client.GetAsync(older, TestContext.Current.CancellationToken);
        var feed = FeedParser.Parse(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(50, feed.Entries.Count);
        Assert.True(feed.IsWellFormed);
        using var missing = await _web.Client.GetAsync("/feeds/long/atom?before=999999", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<XElement> GetXmlAsync(string url)
    {
        using var response = await _web.Client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Root!;
    }

    private static string? Link(XElement parent, XName name, string rel) =>
        parent.Elements(name).FirstOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href")?.Value;
}
