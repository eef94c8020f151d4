using System.Text;
using System.Xml.Linq;
using Feedstand.Feeds.Opml;

namespace Feedstand.Feeds.Tests.Opml;

public class OpmlTests
{
    private static OpmlDocument Read(string text) => OpmlReader.Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Opml_1_0_with_flat_outlines_is_read()
    {
        var document = Read("""
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <opml version="1.0">
              <head><title>mySubscriptions</title></head>
              <body>
                <outline text="Scripting News" description="News and commentary" htmlUrl="http://scripting.com/" language="unknown" title="Scripting News" type="rss" version="RSS2" xmlUrl="http://scripting.com/rss.xml"/>
                <outline text="Dave Winer" type="rss" xmlUrl="http://davewiner.com/rss.xml"/>
              </body>
            </opml>
            """);
        Assert.Equal("mySubscriptions", document.Title);
        Assert.Equal(2, document.Feeds.Count);
        var first = document.Feeds[0];
        Assert.Equal(new OpmlOutline("http://scripting.com/rss.xml", "http://scripting.com/", "Scripting News", "News and commentary", "unknown", first.Categories), first);
        Assert.Empty(first.Categories);
        Assert.Equal("Dave Winer", document.Feeds[1].Title);
    }

    [Fact]
    public void Nested_folders_become_lower_case_categories()
    {
        var document = Read("""
            <opml version="2.0">
              <head><title>Folders</title></head>
              <body>
                <outline text=" Tech ">
                  <outline text="Web">
                    <outline type="rss" text="A" xmlUrl="https://a.example/feed"/>
                  </outline>
                  <outline type="rss" text="B" xmlUrl="https://b.example/feed"/>
                </outline>
                <outline title="Personal">
                  <outline type="rss" text="A again" xmlUrl="https://a.example/feed"/>
                </outline>
                <outline type="rss" text="C" xmlUrl="https://c.example/feed"/>
              </body>
            </opml>
            """);
        Assert.Equal(["https://a.example/feed", "https://b.example/feed", "https://c.example/feed"], document.Feeds.Select(f => f.XmlUrl));
        Assert.Equal(["tech", "web", "personal"], document.Feeds[0].Categories);
        Assert.Equal("A", document.Feeds[0].Title);
        Assert.Equal(["tech"], document.Feeds[1].Categories);
        Assert.Empty(document.Feeds[2].Categories);
        Assert.Equal(1, document.Repeats);
    }

    [Fact]
    public void Category_attribute_entries_and_paths_become_categories()
    {
        var feed = Assert.Single(Read("""
            <opml version="2.0"><body>
              <outline text="News">
                <outline type="rss" text="X" xmlUrl="https://x.example/rss" category="/Boston/Weather, Programming ,news,,/a/b/"/>
              </outline>
            </body></opml>
            """).Feeds);
        Assert.Equal(["news", "weather", "programming", "b"], feed.Categories);
    }

    [Fact]
    public void Attribute_names_in_any_case_and_url_on_rss_outlines_are_read()
    {
        var document = Read("""
            <opml version="1.1"><body>
              <outline text="lower" xmlurl="https://lower.example/feed" htmlurl="https://lower.example/"/>
              <outline text="url" type="rss" url="https://url.example/feed"/>
              <outline text="a link, not a feed" type="link" url="https://link.example/"/>
              <outline text="not http" xmlUrl="ftp://files.example/feed"/>
              <outline text="feed scheme" xmlUrl="feed://scheme.example/rss"/>
            </body></opml>
            """);
        Assert.Equal(
            ["https://lower.example/feed", "https://url.example/feed", "http://scheme.example/rss"],
            document.Feeds.Select(f => f.XmlUrl));
        Assert.Equal("https://lower.example/", document.Feeds[0].HtmlUrl);
    }

    [Theory]
    [InlineData("""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>""", "not an OPML document: the root element is <rss>")]
    [InlineData("""<html><body><p>hello</p></body></html>""", "not an OPML document: the root element is <html>")]
    [InlineData("just some words\nand no urls at all\n", "not an OPML document: no XML and no feed URLs")]
    [InlineData("", "not an OPML document: no XML and no feed URLs")]
    public void Not_opml_is_a_clear_error(string text, string message)
    {
        var error = Assert.Throws<OpmlException>(() => Read(text));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Xml_broken_beyond_reading_names_line_and_position()
    {
        var error = Assert.Throws<OpmlException>(() => Read("<<<>>>"));
        Assert.StartsWith("not an OPML document: the XML is broken at line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_url_list_is_read_skipping_comments_blanks_and_junk()
    {
        var document = Read("""
            # my feeds

            https://a.example/feed.xml
              http://b.example/rss   
            not a url
            ftp://c.example/feed
            https://a.example/feed.xml
            https://d.example/with space
            """);
        Assert.Null(document.Title);
        Assert.Equal(["https://a.example/feed.xml", "http://b.example/rss"], document.Feeds.Select(f => f.XmlUrl));
        Assert.All(document.Feeds, f => Assert.Empty(f.Categories));
    }

    [Fact]
    public void Undeclared_entities_and_bare_ampersands_are_recovered()
    {
        var document = Read("""
            <?xml version="1.0"?>
            <opml version="2.0">
              <head><title>Caf&eacute;&nbsp;list</title></head>
              <body>
                <outline text="Tom &amp; Jerry&rsquo;s">
                  <outline type="rss" text="Q&nbsp;A" xmlUrl="https://q.example/feed?a=1&b=2" description="x < y"/>
                </outline>
                <outline type="rss" text="Second" xmlUrl="https://s.example/feed"/>
              </body>
            </opml>
            """);
        Assert.Equal("Café list", document.Title);
        Assert.Equal(2, document.Feeds.Count);
        var first = document.Feeds[0];
        Assert.Equal("https://q.example/feed?a=1&b=2", first.XmlUrl);
        Assert.Equal("Q A", first.Title);
        Assert.Equal("x < y", first.Description);
        Assert.Equal(["tom & jerry’s"], first.Categories);
        Assert.Empty(document.Feeds[1].Categories);
    }

    [Fact]
    public void Stray_quotes_in_an_attribute_do_not_lose_the_following_feeds()
    {
        var document = Read("""
            <opml version="2.0"><body>
              <outline text="Pods">
                <outline text="Reply All" description=""'A podcast' - The Guardian." type="rss" xmlUrl="https://reply.example/feed"/>
                <outline text="Next" type="rss" xmlUrl="https://next.example/feed"/>
              </outline>
            </body></opml>
            """);
        Assert.Equal(["https://reply.example/feed", "https://next.example/feed"], document.Feeds.Select(f => f.XmlUrl));
        Assert.All(document.Feeds, f => Assert.Equal(["pods"], f.Categories));
    }

    [Fact]
    public void Doctype_is_not_processed()
    {
        var document = Read("""
            <?xml version="1.0"?>
            <!DOCTYPE opml [<!ENTITY x "expanded">]>
            <opml version="2.0"><body><outline type="rss" text="t" xmlUrl="https://t.example/feed"/></body></opml>
            """);
        Assert.Equal("https://t.example/feed", Assert.Single(document.Feeds).XmlUrl);
    }

    [Fact]
    public void Writer_produces_opml_2_with_folders_per_category()
    {
        var document = new OpmlDocument("Directory", [
            new OpmlOutline("https://a.example/feed", "https://a.example/", "A & Co", "About A", "en", ["tech", "web"]),
            new OpmlOutline("https://b.example/feed", null, null, null, null, []),
        ]);
        using var stream = new MemoryStream();
        OpmlWriter.Write(document, stream, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));

        var bytes = stream.ToArray();
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        var xml = XDocument.Parse(Encoding.UTF8.GetString(bytes));
        var root = xml.Root!;
        Assert.Equal("opml", root.Name.LocalName);
        Assert.Equal("2.0", (string?)root.Attribute("version"));
        Assert.Equal("Directory", (string?)root.Element("head")!.Element("title"));
        Assert.Equal("Thu, 02 Jan 2025 01:04:05 GMT", (string?)root.Element("head")!.Element("dateCreated"));
        var top = root.Element("body")!.Elements("outline").ToList();
        Assert.Equal(["tech", "web", "https://b.example/feed"], top.Select(o => (string?)o.Attribute("text")));
        var inTech = Assert.Single(top[0].Elements("outline"));
        Assert.Equal("rss", (string?)inTech.Attribute("type"));
        Assert.Equal("A & Co", (string?)inTech.Attribute("text"));
        Assert.Equal("https://a.example/feed", (string?)inTech.Attribute("xmlUrl"));
        Assert.Equal("tech,web", (string?)inTech.Attribute("category"));
        Assert.Equal("en", (string?)inTech.Attribute("language"));
        Assert.Single(top[1].Elements("outline"));
        Assert.Null(top[2].Attribute("title"));
    }

    [Fact]
    public void Writer_omits_date_created_without_a_date()
    {
        using var stream = new MemoryStream();
        OpmlWriter.Write(new OpmlDocument(null, []), stream);
        var xml = XDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Null(xml.Root!.Element("head")!.Element("dateCreated"));
        Assert.Empty(xml.Root.Element("body")!.Elements());
    }

    [Fact]
    public void Write_then_read_gives_the_same_feeds_and_categories()
    {
        var original = new OpmlDocument("Round trip", [
            new OpmlOutline("https://a.example/feed", "https://a.example/", "A", "Desc", "en", ["tech", "web"]),
            new OpmlOutline("https://b.example/feed?x=1&y=2", null, "B \"quoted\" <title>", null, "zh", ["web"]),
            new OpmlOutline("https://c.example/feed", null, null, null, null, []),
            new OpmlOutline("https://d.example/feed", null, "D", null, null, ["ci/cd", "tech"]),
        ]);
        using var stream = new MemoryStream();
        OpmlWriter.Write(original, stream);

        var read = OpmlReader.Read(stream.ToArray());

        Assert.Equal(original.Title, read.Title);
        Assert.Equal(original.Feeds.Count, read.Feeds.Count);
        foreach (var expected in original.Feeds)
        {
            var actual = Assert.Single(read.Feeds, f => f.XmlUrl == expected.XmlUrl);
            Assert.Equal(expected.Title, actual.Title);
            Assert.Equal(expected.HtmlUrl, actual.HtmlUrl);
            Assert.Equal(expected.Description, actual.Description);
            Assert.Equal(expected.Language, actual.Language);
            Assert.Equal(expected.Categories.Order(StringComparer.Ordinal), actual.Categories.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void A_long_url_list_is_read_completely()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 40_000; i++)
        {
            text.Append("https://site").Append(i).Append(".example/feed.xml\n");
        }

        Assert.Equal(40_000, Read(text.ToString()).Feeds.Count);
    }
}
