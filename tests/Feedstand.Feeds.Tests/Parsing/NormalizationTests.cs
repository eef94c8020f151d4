namespace Feedstand.Feeds.Tests.Parsing;

public class NormalizationTests
{
    private const string Base = "https://example.com/feed/";

    private static string Item(string item) => NamespaceTests.Item(item);

    private static string Rss(string channel, string item) => NamespaceTests.Rss(channel, item);

    private static string Entry(string entry, string feedAttributes = "") => NamespaceTests.Entry(entry, feedAttributes);

    private static string Json(string item) => $$"""
        {"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1",{{item}}}]}
        """;

    public static TheoryData<string, string> Titles => new()
    {
        { Entry("""<title type="html">&lt;em&gt;Hi&lt;/em&gt; there</title>"""), "Hi there" },
        { Entry("""<title type="html">&lt;a href="x"&gt;Linked&lt;/a&gt; &amp;amp; quoted &amp;quot;</title>"""), "Linked & quoted \"" },
        { Entry("<title type=\"text\">  Lots\n                  of\t space  </title>"), "Lots of space" },
        { Item("<title>Tom &amp;amp; Jerry</title>"), "Tom & Jerry" },
        { Item("<title>Rock &amp;amp;amp; roll</title>"), "Rock &amp; roll" },
        { Item("<title>&amp;#8220;Quoted&amp;#8221;</title>"), "“Quoted”" },
        { Item("<title>&lt;b&gt;Bold&lt;/b&gt; claim</title>"), "Bold claim" },
        { Item("<title><![CDATA[A & B <i>styled</i>]]></title>"), "A & B styled" },
        { Item("<title>x &lt; y and y &gt; z</title>"), "x < y and y > z" },
        { Item("<title>\n   Padded\n   title\n </title>"), "Padded title" },
        { Item("<title>Caf&#233; &#x2014; d&#xE9;j&#224; vu</title>"), "Café — déjà vu" },
        { Json("\"title\":\"  JSON <b>not</b> html  \""), "JSON <b>not</b> html" },
        // NetNewsWire's pxlnv.json: a WordPress title with its character references left in.
        { Json("\"title\":\"Releasing &#8216;Jokes&#8217; &amp; more\""), "Releasing ‘Jokes’ & more" },
        { Json("\"title\":\"Vec<T> & friends; AT&T\""), "Vec<T> & friends; AT&T" },
        { Json("\"title\":\"R&D; a &bogus; name\""), "R&D; a &bogus; name" },
    };

    [Theory]
    [MemberData(nameof(Titles))]
    public void Titles_are_plain_text(string document, string expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), "entry.title"));

    /// <summary>Document, --base, field, expected URL.</summary>
    public static TheoryData<string, string?, string, string?> Urls => new()
    {
        { Item("<link>/post/1</link>"), Base, "entry.link", "https://example.com/post/1" },
        { Item("<link>post/1</link>"), Base, "entry.link", "https://example.com/feed/post/1" },
        { Item("""<enclosure url="../media/a.mp3" type="audio/mpeg" length="1"/>"""), Base, "entry.enclosures", "https://example.com/media/a.mp3|audio/mpeg|1" },
        { Item("<comments>#comments</comments>"), Base, "entry.comments", "https://example.com/feed/#comments" },
        { Rss("<title>C</title><link>/</link><image><url>/logo.png</url><title>C</title><link>/</link></image>", "<title>x</title>"), Base, "feed.image", "https://example.com/logo.png" },
        { Rss("<title>C</title><link>/home</link>", "<title>x</title>"), Base, "feed.link", "https://example.com/home" },
        { Entry("""<title>t</title><link href="post"/>""", """xml:base="https://base.example/blog/" """), Base, "entry.link", "https://base.example/blog/post" },
        { Entry("""<title>t</title><link href="post"/>"""), Base, "entry.link", "https://example.com/feed/post" },
        { Entry("""<title>t</title><link rel="enclosure" href="a.mp3" type="audio/mpeg" length="3"/>"""), Base, "entry.enclosures", "https://example.com/feed/a.mp3|audio/mpeg|3" },
        { Json("\"url\":\"/j/1\""), "https://json.example/feed.json", "entry.link", "https://json.example/j/1" },
        { Json("\"image\":\"img/1.png\""), "https://json.example/feeds/x.json", "entry.image", "https://json.example/feeds/img/1.png" },
        { Item("<link>/post/1</link>"), null, "entry.link", null },
        { Item("""<enclosure url="media/a.mp3" type="audio/mpeg"/>"""), null, "entry.enclosures", "" },
        { Entry("""<title>t</title><link href="relative/post"/>"""), null, "entry.link", null },
        { Item("<link>https://absolute.example/x</link>"), Base, "entry.link", "https://absolute.example/x" },
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public void Urls_are_resolved_in_the_contract_order(string document, string? baseUrl, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document, baseUrl), field));

    /// <summary>Document, --base, the absolute image URL the entry HTML must hold.</summary>
    public static TheoryData<string, string?, string> HtmlUrls => new()
    {
        { Item("""<link>https://blog.example/2024/post/</link><description>&lt;img src="pic.png"&gt;</description>"""), Base, "https://blog.example/2024/post/pic.png" },
        { Item("""<link>/2024/post/</link><description>&lt;img src="pic.png"&gt;</description>"""), Base, "https://example.com/2024/post/pic.png" },
        { Item("""<description>&lt;img src="pic.png"&gt;</description>"""), Base, "https://example.com/feed/pic.png" },
        { Item("""<link>https://blog.example/post/</link><content:encoded><![CDATA[<a href="/about">About</a>]]></content:encoded>"""), Base, "https://blog.example/about" },
        { Entry("""<title>t</title><link href="https://blog.example/post/"/><content type="html" xml:base="https://cdn.example/img/">&lt;img src="pic.png"&gt;</content>"""), Base, "https://cdn.example/img/pic.png" },
        { Entry("""<title>t</title><link href="https://blog.example/post/"/><content type="html">&lt;img src="pic.png"&gt;</content>""", """xml:base="https://feedbase.example/" """), Base, "https://feedbase.example/pic.png" },
        { Entry("""<title>t</title><link href="https://blog.example/post/"/><content type="html">&lt;img src="pic.png"&gt;</content>"""), Base, "https://blog.example/post/pic.png" },
        { Json("\"url\":\"https://blog.example/j/\",\"content_html\":\"<img src=\\\"pic.png\\\">\""), Base, "https://blog.example/j/pic.png" },
    };

    [Theory]
    [MemberData(nameof(HtmlUrls))]
    public void Relative_urls_in_entry_html_resolve_against_xml_base_then_the_entry_link_then_the_document(string document, string? baseUrl, string expected)
    {
        var entry = Documents.Parse(document, baseUrl).Entries[0];
        Assert.Contains(expected, (entry.ContentHtml ?? "") + (entry.SummaryHtml ?? ""), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Authors => new()
    {
        { Item("<author>jane@example.com (Jane Doe)</author>"), "Jane Doe|jane@example.com|-" },
        { Item("<dc:creator>Jane Doe &lt;jane@example.com&gt;</dc:creator>"), "Jane Doe|jane@example.com|-" },
        { Item("<author>jane@example.com</author>"), "-|jane@example.com|-" },
        { Item("<dc:creator>Jane Doe</dc:creator><dc:creator>John Roe</dc:creator>"), "Jane Doe|-|-; John Roe|-|-" },
        { Entry("<title>t</title><author><name>Ann</name></author><author><name>Bob</name><email>bob@example.com</email></author>"), "Ann|-|-; Bob|bob@example.com|-" },
        { Json("\"authors\":[{\"name\":\"Cy\",\"url\":\"mailto:cy@example.com\"}]"), "Cy|cy@example.com|-" },
        { Json("\"authors\":[{\"name\":\"Di\",\"url\":\"https://di.example/\"}]"), "Di|-|https://di.example/" },
    };

    [Theory]
    [MemberData(nameof(Authors))]
    public void Authors_are_split_into_name_email_and_uri(string document, string expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), "entry.authors"));

    [Fact]
    public void Channel_managing_editor_is_a_feed_author()
    {
        var feed = Documents.Parse(Rss("<title>C</title><managingEditor>ed@example.com (The Editor)</managingEditor>", "<title>x</title>"));
        Assert.Equal("The Editor|ed@example.com|-", Documents.Field(feed, "feed.authors"));
    }

    public static TheoryData<string, string> Enclosures => new()
    {
        { Item("""<enclosure url="http://e.example/a.mp3" length="12345" type="audio/mpeg"/>"""), "http://e.example/a.mp3|audio/mpeg|12345" },
        { Item("""<enclosure url="http://e.example/a.mp3" length="0" type="audio/mpeg"/>"""), "http://e.example/a.mp3|audio/mpeg|-" },
        { Item("""<enclosure url="http://e.example/a.mp3" length="" type=""/>"""), "http://e.example/a.mp3|-|-" },
        { Item("""<media:content url="http://e.example/v.mp4" type="video/mp4" fileSize="77"/>"""), "http://e.example/v.mp4|video/mp4|77" },
        { Item("""<media:group><media:content url="http://e.example/1.mp4" type="video/mp4"/><media:content url="http://e.example/2.webm" type="video/webm"/></media:group>"""), "http://e.example/1.mp4|video/mp4|-; http://e.example/2.webm|video/webm|-" },
        { Item("""<enclosure url="http://e.example/a.mp3" type="audio/mpeg"/><media:content url="http://e.example/a.mp3" fileSize="9"/>"""), "http://e.example/a.mp3|audio/mpeg|9" },
        { Entry("""<title>t</title><link rel="enclosure" href="http://e.example/b.mp3" type="audio/mpeg" length="456"/>"""), "http://e.example/b.mp3|audio/mpeg|456" },
        { Json("\"attachments\":[{\"url\":\"http://e.example/c.mp3\",\"mime_type\":\"audio/mpeg\",\"size_in_bytes\":789}]"), "http://e.example/c.mp3|audio/mpeg|789" },
        { Json("\"attachments\":[{\"url\":\"http://e.example/c.mp3\",\"mime_type\":\"audio/mpeg\"},{\"url\":\"http://e.example/c.mp3\",\"mime_type\":\"audio/mpeg\",\"title\":\"again\"}]"), "http://e.example/c.mp3|audio/mpeg|-" },
        { Item("""<enclosure url="http://e.example/a.mp3" type="audio/mpeg"/><enclosure url="http://e.example/b.ogg" type="audio/ogg"/>"""), "http://e.example/a.mp3|audio/mpeg|-; http://e.example/b.ogg|audio/ogg|-" },
    };

    [Theory]
    [MemberData(nameof(Enclosures))]
    public void Enclosures_are_gathered_from_every_place_they_hide(string document, string expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), "entry.enclosures"));

    public static TheoryData<string, string?> Images => new()
    {
        { Item("""<media:thumbnail url="http://i.example/thumb.jpg"/>"""), "http://i.example/thumb.jpg" },
        { Item("""<itunes:image href="http://i.example/itunes.jpg"/>"""), "http://i.example/itunes.jpg" },
        { Item("""<enclosure url="http://i.example/a.mp3" type="audio/mpeg"/><enclosure url="http://i.example/photo.jpg" type="image/jpeg"/>"""), "http://i.example/photo.jpg" },
        { Item("""<enclosure url="http://i.example/photo.jpg" type="image/jpeg"/><media:thumbnail url="http://i.example/thumb.jpg"/>"""), "http://i.example/thumb.jpg" },
        { Item("""<enclosure url="http://i.example/a.mp3" type="audio/mpeg"/>"""), null },
        { Entry("""<title>t</title><link rel="enclosure" href="http://i.example/atom.png" type="image/png"/>"""), "http://i.example/atom.png" },
        { Json("\"image\":\"http://i.example/json.png\""), "http://i.example/json.png" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Entry_image_comes_from_thumbnail_itunes_image_or_an_image_enclosure(string document, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), "entry.image"));

    private const string Seven = "2025-10-26T19:00:00Z";

    public static TheoryData<string, string> Dates => new()
    {
        { Item("<pubDate>Sun, 26 Oct 2025 19:00:00 GMT</pubDate>"), Seven },
        { Item("<pubDate>Sun, 26 Oct 2025 19:00:00 +0000</pubDate>"), Seven },
        { Item("<pubDate>Sun, 26 Oct 2025 14:00:00 EST</pubDate>"), Seven },
        { Item("<pubDate>Sun, 26 Oct 2025 12:00:00 PDT</pubDate>"), Seven },
        { Item("<pubDate>Sun, 26 Oct 2025 21:00:00 +0200</pubDate>"), Seven },
        { Item("<pubDate>Sun, 26 Oct 2025 11:00:00 -0800</pubDate>"), Seven },
        { Item("<pubDate>26 Oct 2025 19:00:00 GMT</pubDate>"), Seven },
        { Item("<pubDate>Sun, 26 Oct 2025 19:00 GMT</pubDate>"), Seven },
        { Item("<pubDate>Sun, 26 Oct 25 19:00:00 GMT</pubDate>"), Seven },
        { Item("<pubDate>Sun, 26 Oct 2025 19:00:00</pubDate>"), Seven },
        { Item("<pubDate>2025-10-26T19:00:00Z</pubDate>"), Seven },
        { Item("<dc:date>2025-10-26T21:00:00+02:00</dc:date>"), Seven },
        { Item("<dc:date>2025-10-26T19:00:00</dc:date>"), Seven },
        { Item("<dc:date>2025-10-26</dc:date>"), "2025-10-26T00:00:00Z" },
        { Entry("<title>t</title><published>2025-10-26T19:00:00.789Z</published>"), Seven },
        { Entry("<title>t</title><published>2025-10-26T15:00:00-04:00</published>"), Seven },
        { Entry("<title>t</title><published>2025-10-26 19:00:00Z</published>"), Seven },
        { Json("\"date_published\":\"2025-10-26T20:00:00+01:00\""), Seven },
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public void Dates_are_utc_from_every_common_form(string document, string expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), "entry.published"));

    public static TheoryData<string, string> BadDates => new()
    {
        { Item("<pubDate>next Tuesday</pubDate>"), "next Tuesday" },
        { Item("<pubDate>Sun, 45 Foo 2025 99:99:99 GMT</pubDate>"), "45 Foo" },
        { Entry("<title>t</title><published>yesterday-ish</published>"), "yesterday-ish" },
        { Json("\"date_published\":\"not a date\""), "not a date" },
    };

    [Theory]
    [MemberData(nameof(BadDates))]
    public void An_unparseable_date_is_null_and_named_in_the_errors(string document, string text)
    {
        var feed = Documents.Parse(document);
        Assert.Null(feed.Entries[0].Published);
        Assert.Contains(feed.Errors, e => e.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unparseable_feed_date_is_null_and_named_in_the_errors()
    {
        var feed = Documents.Parse(Rss("<title>C</title><lastBuildDate>sometime</lastBuildDate>", "<title>x</title>"));
        Assert.Null(feed.Updated);
        Assert.Contains(feed.Errors, e => e.Contains("sometime", StringComparison.Ordinal));
    }

    [Fact]
    public void Sanitized_entry_html_has_no_script_or_handlers()
    {
        var feed = Documents.Parse(Item("""<description>&lt;p onclick="x()"&gt;Hi&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href="javascript:alert(2)"&gt;l&lt;/a&gt;</description>"""));
        var html = feed.Entries[0].SummaryHtml ?? "";
        Assert.Contains("Hi", html, StringComparison.Ordinal);
        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }
}
