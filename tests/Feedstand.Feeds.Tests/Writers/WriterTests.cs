using System.Text;
using System.Xml.Linq;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Writers;

namespace Feedstand.Feeds.Tests.Writers;

/// <summary>What issue 17 found in the re-published feeds, one case each, written and checked.</summary>
public class WriterTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static ParsedFeed Parse(string document, string? baseUrl = null) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(document), new FeedParseOptions { BaseUrl = baseUrl });

    private static XElement WriteAtom(ParsedFeed feed, FeedWriteOptions? options = null)
    {
        using var output = new MemoryStream();
        AtomWriter.Write(feed, output, options ?? FeedWriteOptions.Default);
        return XDocument.Parse(Encoding.UTF8.GetString(output.ToArray())).Root!;
    }

    private static XElement WriteRss(ParsedFeed feed)
    {
        using var output = new MemoryStream();
        RssWriter.Write(feed, output);
        return XDocument.Parse(Encoding.UTF8.GetString(output.ToArray())).Root!.Element("channel")!;
    }

    private static byte[] Bytes(ParsedFeed feed, string format)
    {
        using var output = new MemoryStream();
        if (format == "atom")
        {
            AtomWriter.Write(feed, output);
        }
        else
        {
            RssWriter.Write(feed, output);
        }
        return output.ToArray();
    }

    private const string EmptyAtom = """
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet</title><id>https://quiet.example/</id>
        <link rel="self" href="https://quiet.example/feed.atom"/></feed>
        """;

    [Fact]
    public void Feed_without_entries_is_updated_when_the_store_last_saw_it()
    {
        var seen = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var feed = WriteAtom(Parse(EmptyAtom), new FeedWriteOptions { Updated = seen });
        Assert.Equal("2026-11-30T08:00:00Z", feed.Element(Atom + "updated")!.Value);
    }

    [Fact]
    public void Feed_without_any_date_is_never_updated_in_1970()
    {
        var updated = DateTimeOffset.Parse(WriteAtom(Parse(EmptyAtom)).Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(updated.Year >= 2026);
        Assert.True(updated <= DateTimeOffset.UtcNow.AddMinutes(1));
    }

    public static TheoryData<string, string?> Authors => new()
    {
        // The feed names nobody: its title stands in, once, at feed level.
        { """<rss version="2.0"><channel><title>Nobody's blog</title><link>https://n.example/</link><item><title>A</title><link>https://n.example/a</link></item></channel></rss>""", "Nobody's blog" },
        // The feed names an author: entries inherit it.
        { """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><author><name>Ada</name></author><entry><title>A</title><id>https://a.example/1</id><updated>2025-01-01T00:00:00Z</updated></entry></feed>""", "Ada" },
        // Every entry names its author: no feed-level author is made up.
        { """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>A</title><id>https://a.example/1</id><updated>2025-01-01T00:00:00Z</updated><author><name>Bo</name></author></entry></feed>""", null },
    };

    [Theory, MemberData(nameof(Authors))]
    public void Every_atom_entry_has_an_author_from_the_entry_the_feed_or_the_feed_title(string document, string? feedAuthor)
    {
        var feed = WriteAtom(Parse(document));
        Assert.Equal(feedAuthor, feed.Element(Atom + "author")?.Element(Atom + "name")?.Value);
        Assert.All(feed.Elements(Atom + "entry"), e => Assert.True(e.Element(Atom + "author") is not null || feedAuthor is not null));
    }

    public static TheoryData<string, string> Ids => new()
    {
        // A JSON Feed item id that is not an IRI, resolved against the feed's URL.
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","feed_url":"https://tw.example/feed.json","items":[{"id":"twitter-quitter","content_text":"x"}]}""", "https://tw.example/twitter-quitter" },
        // No feed URL to resolve against: a tag: URI of the feed and the id.
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"twitter-quitter","content_text":"x"}]}""", "tag:feedstand.invalid,2026:twitter-quitter" },
        // An unregistered scheme: a tag: URI of the feed's host and path and the id.
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","feed_url":"https://tw.example/feed.json","items":[{"id":"post:1 2","content_text":"x"}]}""", "tag:tw.example,2026:/feed.json:post:1%202" },
        // An IRI: escaped to a URI.
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"https://tw.example/ünï","content_text":"x"}]}""", "https://tw.example/%C3%BCn%C3%AF" },
        // Already a URI: kept as it is.
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66","content_text":"x"}]}""", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66" },
    };

    [Theory, MemberData(nameof(Ids))]
    public void Entry_ids_are_absolute_uris_and_stable(string document, string expected)
    {
        var feed = Parse(document);
        Assert.Equal(expected, WriteAtom(feed).Element(Atom + "entry")!.Element(Atom + "id")!.Value);
        Assert.Equal(expected, WriteAtom(Parse(document)).Element(Atom + "entry")!.Element(Atom + "id")!.Value);
        Assert.Equal(expected, WriteRss(Parse(document)).Element("item")!.Element("guid")!.Value);
    }

    [Fact]
    public void Repeated_ids_become_distinct_in_one_document()
    {
        var feed = Parse("""
            <rss version="2.0"><channel><title>T</title><link>https://r.example/</link>
            <item><title>A</title><guid>https://r.example/same</guid></item>
            <item><title>B</title><guid>https://r.example/same</guid></item></channel></rss>
            """);
        var ids = WriteAtom(feed).Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value).ToList();
        Assert.Equal("https://r.example/same", ids[0]);
        Assert.NotEqual(ids[0], ids[1]);
        Assert.StartsWith("tag:r.example,2026:", ids[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_with_a_blank_title_gets_the_start_of_its_text()
    {
        var feed = Parse("""
            <rss version="2.0"><channel><title>T</title><link>https://b.example/</link>
            <item><title>  </title><link>https://b.example/1</link><description>&lt;p&gt;Short note about &lt;b&gt;things&lt;/b&gt;.&lt;/p&gt;</description></item>
            </channel></rss>
            """);
        Assert.Equal("Short note about things.", WriteAtom(feed).Element(Atom + "entry")!.Element(Atom + "title")!.Value);
    }

    [Fact]
    public void Entries_with_the_same_date_get_distinct_updated_values()
    {
        var feed = Parse("""
            <rss version="2.0"><channel><title>T</title><link>https://d.example/</link>
            <item><title>A</title><link>https://d.example/a</link><pubDate>Sun, 26 Oct 2025 00:00:00 GMT</pubDate></item>
            <item><title>B</title><link>https://d.example/b</link><pubDate>Sun, 26 Oct 2025 00:00:00 GMT</pubDate></item>
            <item><title>C</title><link>https://d.example/c</link></item>
            <item><title>D</title><link>https://d.example/d</link></item>
            </channel></rss>
            """);
        var updated = WriteAtom(feed).Elements(Atom + "entry").Select(e => e.Element(Atom + "updated")!.Value).ToList();
        Assert.Equal(["2025-10-26T00:00:00Z", "2025-10-26T00:00:00.001Z"], updated.Take(2));
        Assert.Equal(4, updated.Distinct().Count());
    }

    public static TheoryData<string> MarkupLikeTitles => new()
    {
        "Q&A about <div> and &#8216;quotes&#8217;",
        "1&1 Ionos",
        "<![CDATA[x]]> inside",
    };

    [Theory, MemberData(nameof(MarkupLikeTitles))]
    public void Plain_text_that_looks_like_markup_is_escaped_once_and_reads_back_the_same(string title)
    {
        var feed = new ParsedFeed { Title = "T", Link = "https://m.example/", Self = "https://m.example/feed" };
        feed.Entries.Add(new ParsedEntry { Title = title, Link = "https://m.example/1", Id = "https://m.example/1", ContentHtml = "<p>x</p>" });
        foreach (var format in new[] { "atom", "rss" })
        {
            var written = Bytes(feed, format);
            Assert.Equal(title, FeedParser.Parse(written).Entries[0].Title);
            Assert.DoesNotContain(FeedChecker.Check(written, DateTimeOffset.UtcNow), f => f.Id is "ContainsHTML" or "ContainsUndeclaredHTML" or "CharacterData");
        }
        Assert.Equal("html", (string?)WriteAtom(feed).Element(Atom + "entry")!.Element(Atom + "title")!.Attribute("type"));
    }

    public static TheoryData<string?, string?, string?> RssImages => new()
    {
        { "https://i.example/favicon.ico", null, null },
        { "https://i.example/favicon.ico", "https://i.example/logo.png", "https://i.example/logo.png" },
        { "https://i.example/icon.JPG?v=2", null, "https://i.example/icon.JPG?v=2" },
        { null, "https://i.example/banner.svg", null },
    };

    [Theory, MemberData(nameof(RssImages))]
    public void Rss_image_is_written_only_for_gif_jpeg_or_png(string? icon, string? image, string? expected)
    {
        var feed = new ParsedFeed { Title = "Pictures", Link = "https://i.example/", Icon = icon, Image = image };
        var element = WriteRss(feed).Element("image");
        Assert.Equal(expected, element?.Element("url")?.Value);
        if (element is not null)
        {
            Assert.Equal("Pictures", element.Element("title")!.Value);
            Assert.Equal("https://i.example/", element.Element("link")!.Value);
        }
    }

    public static TheoryData<string?, string?, string, string> Guids => new()
    {
        { "https://g.example/1", "https://g.example/1", "https://g.example/1", "true" },
        { null, "https://g.example/2", "https://g.example/2", "true" },
        { "tag:g.example,2025:3", "https://g.example/3", "tag:g.example,2025:3", "false" },
        { "https://g.example/?p=4", "https://g.example/four", "https://g.example/?p=4", "false" },
    };

    [Theory, MemberData(nameof(Guids))]
    public void Rss_guid_is_a_permalink_only_when_it_is_the_link(string? id, string? link, string expectedGuid, string isPermaLink)
    {
        var feed = new ParsedFeed { Title = "T", Link = "https://g.example/" };
        feed.Entries.Add(new ParsedEntry { Id = id, Link = link, Title = "x", Published = new DateTimeOffset(2025, 10, 26, 19, 0, 0, TimeSpan.Zero) });
        var item = WriteRss(feed).Element("item")!;
        Assert.Equal(expectedGuid, item.Element("guid")!.Value);
        Assert.Equal(isPermaLink, (string?)item.Element("guid")!.Attribute("isPermaLink"));
        Assert.Equal("Sun, 26 Oct 2025 19:00:00 +0000", item.Element("pubDate")!.Value);
    }

    [Fact]
    public void Rss_item_carries_one_enclosure_with_an_http_url()
    {
        var feed = new ParsedFeed { Title = "T", Link = "https://e.example/" };
        var entry = new ParsedEntry { Title = "x", Link = "https://e.example/1" };
        entry.Enclosures.Add(new Enclosure("http://localhost/a.mp3", "audio/mpeg", 1));
        entry.Enclosures.Add(new Enclosure("https://cdn.e.example/b.mp3", "audio mpeg", -1));
        entry.Enclosures.Add(new Enclosure("https://cdn.e.example/c.mp3", "audio/mpeg", 3));
        feed.Entries.Add(entry);
        var enclosure = Assert.Single(WriteRss(feed).Element("item")!.Elements("enclosure"));
        Assert.Equal("https://cdn.e.example/b.mp3", (string?)enclosure.Attribute("url"));
        Assert.Equal("application/octet-stream", (string?)enclosure.Attribute("type"));
        Assert.Equal("0", (string?)enclosure.Attribute("length"));
    }

    [Fact]
    public void Paging_links_and_archive_mark_are_written_in_atom_rss_and_json()
    {
        var feed = new ParsedFeed { Title = "T", Link = "https://p.example/", Self = "https://p.example/feed?before=9" };
        var options = new FeedWriteOptions
        {
            IsArchive = true,
            PagingLinks = [new FeedLink("current", "https://p.example/feed"), new FeedLink("prev-archive", "https://p.example/feed?before=3")],
        };
        var atom = WriteAtom(feed, options);
        Assert.NotNull(atom.Element(XName.Get("archive", "http://purl.org/syndication/history/1.0")));
        Assert.Equal("https://p.example/feed?before=3", atom.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "prev-archive").Attribute("href")!.Value);
        using var rss = new MemoryStream();
        RssWriter.Write(feed, rss, options);
        var channel = XDocument.Parse(Encoding.UTF8.GetString(rss.ToArray())).Root!.Element("channel")!;
        Assert.NotNull(channel.Element(XName.Get("archive", "http://purl.org/syndication/history/1.0")));
        Assert.Contains(channel.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "current");
        using var json = new MemoryStream();
        JsonFeedWriter.Write(feed, json, options);
        using var document = System.Text.Json.JsonDocument.Parse(json.ToArray());
        Assert.Equal("https://p.example/feed?before=3", document.RootElement.GetProperty("next_url").GetString());
        Assert.DoesNotContain(FeedChecker.Check(Bytes(feed, "atom"), DateTimeOffset.UtcNow), f => f.Level == "error");
    }

    public static TheoryData<string, string> Uris => new()
    {
        { "https://u.example/a b", "https://u.example/a%20b" },
        { "https://u.example/ünï?q=é", "https://u.example/%C3%BCn%C3%AF?q=%C3%A9" },
        { "https://bücher.example/", "https://xn--bcher-kva.example/" },
        { "https://u.example/100%", "https://u.example/100%25" },
        { "https://u.example/ok/%20path?x=1#f", "https://u.example/ok/%20path?x=1#f" },
    };

    [Theory, MemberData(nameof(Uris))]
    public void Uris_are_escaped_to_what_validators_accept(string url, string expected) =>
        Assert.Equal(expected, UriText.Escape(url));
}
