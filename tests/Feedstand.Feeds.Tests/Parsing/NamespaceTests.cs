namespace Feedstand.Feeds.Tests.Parsing;

public class NamespaceTests
{
    private const string Namespaces = """
        xmlns:content="http://purl.org/rss/1.0/modules/content/"
        xmlns:dc="http://purl.org/dc/elements/1.1/"
        xmlns:media="http://search.yahoo.com/mrss/"
        xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
        xmlns:atom="http://www.w3.org/2005/Atom"
        xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
        xmlns:wfw="http://wellformedweb.org/CommentAPI/"
        xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"
        """;

    /// <summary>An RSS 2.0 document whose channel holds <paramref name="channel"/> and one item with <paramref name="item"/>.</summary>
    internal static string Rss(string channel, string item) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" {Namespaces}>
          <channel>
            {channel}
            <item>
              {item}
            </item>
          </channel>
        </rss>
        """;

    internal static string Item(string item) =>
        Rss("<title>Channel</title><link>http://example.com/</link><description>About</description>", item);

    internal static string Atom(string feed, string entry, string feedAttributes = "") => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" {feedAttributes}>
          <title>Feed</title>
          <id>urn:feed</id>
          {feed}
          <entry>
            {entry}
          </entry>
        </feed>
        """;

    internal static string Entry(string entry, string feedAttributes = "") =>
        Atom("<updated>2024-01-01T00:00:00Z</updated>", "<id>urn:entry</id><updated>2024-01-01T00:00:00Z</updated>" + entry, feedAttributes);

    public static TheoryData<string, string, string?> Exact => new()
    {
        // Dublin Core
        { Item("<dc:creator>Jane Doe</dc:creator>"), "entry.authors", "Jane Doe|-|-" },
        { Item("<dc:date>2024-01-02T03:04:05+02:00</dc:date>"), "entry.published", "2024-01-02T01:04:05Z" },
        { Item("<dc:subject>Science</dc:subject><dc:subject>Space</dc:subject>"), "entry.terms", "Science; Space" },
        { Item("<dc:title>Title from Dublin Core</dc:title>"), "entry.title", "Title from Dublin Core" },
        { Item("<title>Own title</title><dc:title>Dublin Core title</dc:title>"), "entry.title", "Own title" },
        { Rss("<dc:title>Channel by DC</dc:title>", "<title>x</title>"), "feed.title", "Channel by DC" },
        { Rss("<title>C</title><dc:creator>Channel Author</dc:creator>", "<title>x</title>"), "feed.authors", "Channel Author|-|-" },
        { Rss("<title>C</title><dc:date>2023-06-01T12:00:00Z</dc:date>", "<title>x</title>"), "feed.updated", "2023-06-01T12:00:00Z" },
        { Rss("<title>C</title><dc:subject>Physics</dc:subject>", "<title>x</title>"), "feed.terms", "Physics" },
        { Rss("<title>C</title><dc:language>de</dc:language>", "<title>x</title>"), "feed.language", "de" },

        // Media RSS
        { Item("""<media:content url="http://cdn.example.com/a.mp4" type="video/mp4" fileSize="1000"/>"""), "entry.enclosures", "http://cdn.example.com/a.mp4|video/mp4|1000" },
        { Item("""<media:thumbnail url="http://cdn.example.com/t.jpg" width="75" height="50"/>"""), "entry.image", "http://cdn.example.com/t.jpg" },
        { Item("""<media:group><media:content url="http://cdn.example.com/hi.mp4" type="video/mp4"/><media:content url="http://cdn.example.com/lo.mp4" type="video/mp4"/></media:group>"""),
            "entry.enclosures", "http://cdn.example.com/hi.mp4|video/mp4|-; http://cdn.example.com/lo.mp4|video/mp4|-" },
        { Item("""<media:group><media:thumbnail url="http://cdn.example.com/g.jpg"/><media:content url="http://cdn.example.com/v.mp4" type="video/mp4"/></media:group>"""), "entry.image", "http://cdn.example.com/g.jpg" },
        { Item("""<media:content url="http://cdn.example.com/v.mp4" type="video/mp4"><media:thumbnail url="http://cdn.example.com/inner.jpg"/></media:content>"""), "entry.image", "http://cdn.example.com/inner.jpg" },
        { Item("""<media:content url="http://cdn.example.com/photo.jpg" medium="image"/>"""), "entry.image", "http://cdn.example.com/photo.jpg" },
        { Item("""<title>Video</title><media:description>A video about cats.</media:description>"""), "entry.summary_html", "<p>A video about cats.</p>" },
        { Item("""<media:title>Media title</media:title>"""), "entry.title", "Media title" },

        // iTunes
        { Rss("<title>Pod</title><itunes:author>The Podcaster</itunes:author>", "<title>x</title>"), "feed.authors", "The Podcaster|-|-" },
        { Rss("""<title>Pod</title><itunes:image href="http://example.com/cover.jpg"/>""", "<title>x</title>"), "feed.image", "http://example.com/cover.jpg" },
        { Rss("<title>Pod</title><itunes:summary>All about pods.</itunes:summary>", "<title>x</title>"), "feed.subtitle", "All about pods." },
        { Rss("<title>Pod</title><description>Description wins</description><itunes:summary>Summary</itunes:summary>", "<title>x</title>"), "feed.subtitle", "Description wins" },
        { Rss("""<title>Pod</title><itunes:category text="Technology"><itunes:category text="Podcasting"/></itunes:category><itunes:category text="Arts"/>""", "<title>x</title>"),
            "feed.terms", "Technology; Podcasting; Arts" },
        { Item("""<itunes:image href="http://example.com/episode.jpg"/>"""), "entry.image", "http://example.com/episode.jpg" },
        { Item("<itunes:author>Guest Host</itunes:author>"), "entry.authors", "Guest Host|-|-" },
        { Item("<itunes:summary>Episode notes &amp; more</itunes:summary>"), "entry.summary_html", "<p>Episode notes &amp; more</p>" },

        // atom:link inside RSS
        { Rss("""<title>C</title><atom:link rel="self" type="application/rss+xml" href="http://example.com/feed.xml"/>""", "<title>x</title>"), "feed.self", "http://example.com/feed.xml" },
        { Rss("""<title>C</title><atom:link rel="hub" href="https://pubsubhubbub.appspot.com/"/><atom:link rel="hub" href="https://websub.example/"/>""", "<title>x</title>"),
            "feed.hubs", "https://pubsubhubbub.appspot.com/; https://websub.example/" },
        { Item("""<atom:link rel="enclosure" type="audio/mpeg" length="99" href="http://example.com/ep.mp3"/>"""), "entry.enclosures", "http://example.com/ep.mp3|audio/mpeg|99" },

        // slash and wfw do not disturb the entry
        { Item("<title>Commented</title><comments>http://example.com/1#comments</comments><slash:comments>12</slash:comments><wfw:commentRss>http://example.com/1/feed</wfw:commentRss>"), "entry.comments", "http://example.com/1#comments" },
        { Item("<title>Commented</title><slash:comments>12</slash:comments><wfw:commentRss>http://example.com/1/feed</wfw:commentRss>"), "entry.title", "Commented" },
        { Item("<title>Commented</title><description>Body</description><slash:comments>12</slash:comments>"), "entry.summary_html", "Body" },

        // feedburner:origLink
        { Item("<link>http://feedproxy.google.com/~r/x/~3/abc/</link><feedburner:origLink>http://example.com/real-post</feedburner:origLink>"), "entry.link", "http://example.com/real-post" },

        // xml:base and xml:lang
        { Entry("""<title>t</title><link href="posts/1"/>""", """xml:base="http://example.org/blog/" """), "entry.link", "http://example.org/blog/posts/1" },
        { Atom("""<link href="/" />""", "<id>e</id><title>t</title>", """xml:base="http://example.org/blog/" """), "feed.link", "http://example.org/" },
        { Atom("", """<id>e</id><title>t</title><link href="a"/>""", """xml:base="http://example.org/one/" """).Replace("<entry>", """<entry xml:base="http://other.example/two/">""", StringComparison.Ordinal),
            "entry.link", "http://other.example/two/a" },
        { Atom("", """<id>e</id><title>t</title><link href="c"/>""", """xml:base="http://example.org/a/" """).Replace("<entry>", """<entry xml:base="b/">""", StringComparison.Ordinal),
            "entry.link", "http://example.org/a/b/c" },
        { Atom("", "<id>e</id><title>t</title>", """xml:lang="fr-CA" """), "feed.language", "fr-CA" },

        // Atom text constructs
        { Entry("""<title type="text">Less &lt;than&gt; more</title>"""), "entry.title", "Less <than> more" },
        { Entry("""<title type="html">&lt;b&gt;Bold&lt;/b&gt; move &amp;amp; more</title>"""), "entry.title", "Bold move & more" },
        { Entry("""<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>X</b>html <i>title</i></div></title>"""), "entry.title", "Xhtml title" },
        { Entry("""<title>t</title><summary type="text">Use &lt;p&gt; tags</summary>"""), "entry.summary_html", "<p>Use &lt;p&gt; tags</p>" },

        // Atom source does not leak into the entry
        { Entry("""<title>Mine</title><author><name>Me</name></author><link href="http://mine.example/1"/><source><id>urn:other</id><title>Other Feed</title><author><name>Someone Else</name></author><link href="http://other.example/"/><updated>2000-01-01T00:00:00Z</updated></source>"""), "entry.authors", "Me|-|-" },
        { Atom("", """<id>urn:mine</id><title>Mine</title><link href="http://mine.example/1"/><updated>2024-01-01T00:00:00Z</updated><source><id>urn:other</id><title>Other Feed</title><link href="http://other.example/"/><updated>2000-01-01T00:00:00Z</updated></source>"""), "entry.id", "urn:mine" },
        { Atom("", """<id>urn:mine</id><title>Mine</title><link href="http://mine.example/1"/><updated>2024-01-01T00:00:00Z</updated><source><id>urn:other</id><title>Other Feed</title><link href="http://other.example/"/><updated>2000-01-01T00:00:00Z</updated></source>"""), "entry.title", "Mine" },
        { Atom("", """<id>urn:mine</id><title>Mine</title><link href="http://mine.example/1"/><updated>2024-01-01T00:00:00Z</updated><source><id>urn:other</id><title>Other Feed</title><link href="http://other.example/"/><updated>2000-01-01T00:00:00Z</updated></source>"""), "entry.link", "http://mine.example/1" },
        { Atom("", """<id>urn:mine</id><title>Mine</title><link href="http://mine.example/1"/><updated>2024-01-01T00:00:00Z</updated><source><id>urn:other</id><title>Other Feed</title><link href="http://other.example/"/><updated>2000-01-01T00:00:00Z</updated></source>"""), "entry.updated", "2024-01-01T00:00:00Z" },
        { Atom("", """<id>urn:mine</id><title>Mine</title><source><id>urn:other</id><title>Other Feed</title></source>"""), "feed.title", "Feed" },

        // Atom content with src
        { Entry("""<title>t</title><content src="http://example.org/article.html" type="text/html"/>"""), "entry.content_html", null },
        { Entry("""<title>t</title><content src="http://example.org/article.html" type="text/html"/>"""), "entry.link", "http://example.org/article.html" },
    };

    [Theory]
    [MemberData(nameof(Exact))]
    public void Namespaced_elements_fill_the_contract_fields(string document, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), field));

    public static TheoryData<string, string, string> Containing => new()
    {
        { Item("<description>Short</description><content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded>"), "entry.content_html", "<p>Full <b>text</b></p>" },
        { Item("<description>Short</description><content:encoded><![CDATA[<p>Full</p>]]></content:encoded>"), "entry.summary_html", "Short" },
        { Entry("""<title>t</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>An <b>xhtml</b> body</p></div></content>"""), "entry.content_html", "<p>An <b>xhtml</b> body</p>" },
        { Entry("""<title>t</title><content type="html">&lt;p&gt;Escaped &lt;em&gt;html&lt;/em&gt;&lt;/p&gt;</content>"""), "entry.content_html", "<p>Escaped <em>html</em></p>" },
        { Entry("""<title>t</title><content type="text">1 &lt; 2</content>"""), "entry.content_html", "1 &lt; 2" },
        { Entry("""<title>t</title><link href="http://example.org/post"/><content type="html" xml:base="http://images.example/dir/">&lt;img src="cat.png"&gt;</content>"""), "entry.content_html", "http://images.example/dir/cat.png" },
        { Rss("""<title>C</title><atom:link rel="next" href="http://example.com/feed.xml?page=2"/>""", "<title>x</title>"), "feed.links", "next|http://example.com/feed.xml?page=2" },
        { Entry("""<title>t</title><content src="http://example.org/article.html" type="text/html"/>"""), "entry.links", "http://example.org/article.html" },
    };

    [Theory]
    [MemberData(nameof(Containing))]
    public void Namespaced_html_and_links_are_kept(string document, string field, string expected) =>
        Assert.Contains(expected, Documents.Field(Documents.Parse(document), field) ?? "(null)", StringComparison.Ordinal);

    [Fact]
    public void Xhtml_div_wrapper_is_not_part_of_the_content()
    {
        var feed = Documents.Parse(Entry("""<title>t</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body</p></div></content>"""));
        Assert.DoesNotContain("xmlns", feed.Entries[0].ContentHtml ?? "(null)", StringComparison.Ordinal);
    }

    [Fact]
    public void Atom_source_title_does_not_become_an_entry_or_feed_field()
    {
        var feed = Documents.Parse(Atom("", """<id>urn:mine</id><source><id>urn:other</id><title>Other Feed</title><author><name>Someone Else</name></author></source>"""));
        var json = JsonOutputTests.Json(feed);
        Assert.DoesNotContain("Other Feed", json, StringComparison.Ordinal);
        Assert.DoesNotContain("urn:other", json, StringComparison.Ordinal);
    }
}
