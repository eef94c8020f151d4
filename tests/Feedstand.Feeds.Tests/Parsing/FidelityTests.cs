namespace Feedstand.Feeds.Tests.Parsing;

/// <summary>
/// Issue 9, part 1: the classes of real feeds the parser must read as a careful reader does
/// (in the style of feedparser's wellformed/illformed cases, mapped onto the contract's fields).
/// Each row: a document, the field by its contract path, the value expected.
/// </summary>
public class FidelityTests
{
    private const string Dc = "http://purl.org/dc/elements/1.1/";

    public static TheoryData<string, string, string?> People => new()
    {
        // Atom uri, the old url and homepage: the person's URL, on feed and entry.
        { """<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Ann</name><uri>http://example.com/ann</uri></author></feed>""", "feed.authors", "Ann|-|http://example.com/ann" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><entry><author><name>Ann</name><url>http://example.com/u</url></author></entry></feed>""", "entry.authors", "Ann|-|http://example.com/u" },
        { """<feed version="0.3" xmlns="http://purl.org/atom/ns#"><author><name>Ann</name><homepage>http://example.com/h</homepage></author></feed>""", "feed.authors", "Ann|-|http://example.com/h" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><entry><contributor><name>C</name></contributor><author><name>Ann</name><email>ann@example.com</email><uri>/about</uri></author></entry></feed>""", "entry.authors", "Ann|ann@example.com|-" },
        { """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/"><author><name>Ann</name><uri>/about</uri></author></feed>""", "feed.authors", "Ann|-|http://example.com/about" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Ann</name><uri>mailto:ann@example.com</uri></author></feed>""", "feed.authors", "Ann|-|mailto:ann@example.com" },
        // RSS channel people, "email (Name)" and "Name <email>" split.
        { """<rss version="2.0"><channel><managingEditor>editor@example.com (The Editor)</managingEditor></channel></rss>""", "feed.authors", "The Editor|editor@example.com|-" },
        { """<rss version="2.0"><channel><author>The Author &lt;author@example.com&gt;</author></channel></rss>""", "feed.authors", "The Author|author@example.com|-" },
        { $"""<rss version="2.0" xmlns:dc="{Dc}"><channel><dc:creator>Creator Name</dc:creator></channel></rss>""", "feed.authors", "Creator Name|-|-" },
        { $"""<rss version="2.0" xmlns:dc="{Dc}"><channel><dc:author>dc@example.com (Dc Author)</dc:author></channel></rss>""", "feed.authors", "Dc Author|dc@example.com|-" },
        { $"""<rss version="2.0" xmlns:dc="{Dc}"><channel><item><dc:author>Item Author &lt;i@example.com&gt;</dc:author></item></channel></rss>""", "entry.authors", "Item Author|i@example.com|-" },
        { """<rss version="2.0"><channel><item><author>i@example.com (Item Author)</author></item></channel></rss>""", "entry.authors", "Item Author|i@example.com|-" },
    };

    [Theory, MemberData(nameof(People))]
    public void People_carry_name_email_and_url(string document, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), field));

    public static TheoryData<string, string, string?> Content => new()
    {
        // RSS content sources; content:encoded wins over body, body over fullitem; description is the summary.
        { """<rss version="2.0"><channel><item><description>Short</description><body><p>Full</p></body></item></channel></rss>""", "entry.content_html", "<p>Full</p>" },
        { """<rss version="2.0"><channel><item><description>Short</description><body><p>Full</p></body></item></channel></rss>""", "entry.summary_html", "Short" },
        { """<rss version="2.0"><channel><item><xhtml:body xmlns:xhtml="http://www.w3.org/1999/xhtml"><p>X</p></xhtml:body></item></channel></rss>""", "entry.content_html", "<p>X</p>" },
        { """<rss version="2.0"><channel><item><fullitem>&lt;p&gt;Full item&lt;/p&gt;</fullitem></item></channel></rss>""", "entry.content_html", "<p>Full item</p>" },
        { """<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><fullitem>F</fullitem><content:encoded>&lt;p&gt;Encoded&lt;/p&gt;</content:encoded></item></channel></rss>""", "entry.content_html", "<p>Encoded</p>" },
        { """<rss version="2.0"><channel><item><description>Text before <b>bold</b> after</description></item></channel></rss>""", "entry.summary_html", "Text before <b>bold</b> after" },
        // Atom 0.3 modes and Atom types.
        { """<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><content type="text/html" mode="base64">PHA+RXhhbXBsZSA8Yj5Ub29sYmFyPC9iPjwvcD4=</content></entry></feed>""", "entry.content_html", "<p>Example <b>Toolbar</b></p>" },
        { """<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><summary mode="xml">Before <b>bold</b> after</summary></entry></feed>""", "entry.summary_html", "Before <b>bold</b> after" },
        { """<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>X</p></div></content></entry></feed>""", "entry.content_html", "<p>X</p>" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="application/xhtml+xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>X</p></div></content></entry></feed>""", "entry.content_html", "<p>X</p>" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="text/plain">a &lt;b&gt; c</content></entry></feed>""", "entry.content_html", "<p>a &lt;b&gt; c</p>" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="image/svg+xml"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle r="2" onclick="x()"/></svg></content></entry></feed>""", "entry.content_html", "<svg viewBox=\"0 0 2 2\"><circle r=\"2\"></circle></svg>" },
        // Inline SVG and MathML are kept, sanitized; object/applet go but their fallback stays.
        { """<rss version="2.0"><channel><item><description><![CDATA[<p>A</p><svg><a href="javascript:x()"><rect width="1"/></a><script>x()</script></svg>]]></description></item></channel></rss>""", "entry.summary_html", "<p>A</p><svg></svg>" },
        { """<rss version="2.0"><channel><item><description><![CDATA[<math><mi>x</mi><mo>=</mo><mn>2</mn></math>]]></description></item></channel></rss>""", "entry.summary_html", "<math><mi>x</mi><mo>=</mo><mn>2</mn></math>" },
        { """<rss version="2.0"><channel><item><description><![CDATA[<object data="movie.swf"><param name="a" value="b"><p>Fallback</p></object>]]></description></item></channel></rss>""", "entry.summary_html", "<p>Fallback</p>" },
        { """<rss version="2.0"><channel><item><description><![CDATA[<applet code="A.class">Your browser has no Java</applet>]]></description></item></channel></rss>""", "entry.summary_html", "Your browser has no Java" },
        { """<rss version="2.0"><channel><item><description><![CDATA[<p>A</p><iframe src="https://evil.example/">text</iframe>]]></description></item></channel></rss>""", "entry.summary_html", "<p>A</p>" },
    };

    [Theory, MemberData(nameof(Content))]
    public void Content_and_summary_come_from_every_source(string document, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), field));

    public static TheoryData<string, string, string?> Podcasts => new()
    {
        { """<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><itunes:image href="http://example.com/a.jpg"/></channel></rss>""", "feed.image", "http://example.com/a.jpg" },
        { """<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><itunes:image url="http://example.com/u.jpg"/></channel></rss>""", "feed.image", "http://example.com/u.jpg" },
        { """<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item><itunes:image href="http://example.com/e.jpg"/></item></channel></rss>""", "entry.image", "http://example.com/e.jpg" },
        { """<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><itunes:keywords>tech, news ,,talk</itunes:keywords></channel></rss>""", "feed.categories", "tech|http://www.itunes.com/|-; news|http://www.itunes.com/|-; talk|http://www.itunes.com/|-" },
        { """<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item><itunes:keywords>one two</itunes:keywords></item></channel></rss>""", "entry.terms", "one; two" },
        { """<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><itunes:category text="Technology"><itunes:category text="Podcasting"/></itunes:category></channel></rss>""", "feed.categories", "Technology|http://www.itunes.com/|-; Podcasting|http://www.itunes.com/|-" },
        { """<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:category scheme="http://dmoz.org" label="Ace">music/ace</media:category></item></channel></rss>""", "entry.categories", "music/ace|http://dmoz.org|Ace" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="enclosure" type="audio/mpeg" length="1234" href="http://example.com/a.mp3"/></entry></feed>""", "entry.enclosures", "http://example.com/a.mp3|audio/mpeg|1234" },
    };

    [Theory, MemberData(nameof(Podcasts))]
    public void Podcast_and_media_fields_are_read(string document, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), field));

    public static TheoryData<string, string?, string, string?> Identity => new()
    {
        { """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="http://example.com/1"><title>T</title></item></rdf:RDF>""", null, "entry.id", "http://example.com/1" },
        { """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>T</title></channel></rdf:RDF>""", null, "format", "rss0.90" },
        { """<rss version="0.90"><channel><title>T</title></channel></rss>""", null, "format", "rss0.90" },
        { """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/dir/"><entry><link href="post"/></entry></feed>""", null, "entry.link", "http://example.com/dir/post" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="post"/></entry></feed>""", "http://example.org/feed/", "entry.link", "http://example.org/feed/post" },
        { """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://www.詹姆斯.com/feed"><link rel="self" href=""/></feed>""", null, "feed.self", "http://www.詹姆斯.com/feed" },
        { """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/"><entry><link href="ü/é"/></entry></feed>""", null, "entry.link", "http://example.com/ü/é" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://example.com/a%20b"/></entry></feed>""", null, "entry.link", "http://example.com/a%20b" },
        // CDF.
        { """<CHANNEL HREF="http://example.com/" LASTMOD="2004-01-01T12:00"><TITLE>Cdf</TITLE><ABSTRACT>About</ABSTRACT><ITEM HREF="http://example.com/i"><TITLE>Item</TITLE><ABSTRACT>Summary</ABSTRACT></ITEM></CHANNEL>""", null, "format", "cdf" },
        { """<CHANNEL HREF="http://example.com/" LASTMOD="2004-01-01T12:00"><TITLE>Cdf</TITLE><ABSTRACT>About</ABSTRACT></CHANNEL>""", null, "feed.subtitle", "About" },
        { """<CHANNEL HREF="http://example.com/"><TITLE>Cdf</TITLE><ITEM HREF="http://example.com/i"><TITLE>Item</TITLE></ITEM></CHANNEL>""", null, "entry.link", "http://example.com/i" },
        { """<CHANNEL HREF="http://example.com/"><TITLE>Cdf</TITLE></CHANNEL>""", null, "wellformed", "true" },
    };

    [Theory, MemberData(nameof(Identity))]
    public void Ids_links_and_versions_are_read(string document, string? baseUrl, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document, baseUrl), field));

    public static TheoryData<string, string, string?> Dates => new()
    {
        { """<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><item><dcterms:issued>2003-12-31T10:14:55Z</dcterms:issued></item></channel></rss>""", "entry.published", "2003-12-31T10:14:55Z" },
        { """<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><item><dcterms:created>2003-12-31T10:14:55Z</dcterms:created></item></channel></rss>""", "entry.published", "2003-12-31T10:14:55Z" },
        { """<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><item><dcterms:modified>2003-12-31T10:14:55Z</dcterms:modified></item></channel></rss>""", "entry.updated", "2003-12-31T10:14:55Z" },
        { """<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><dcterms:modified>2003-12-31T10:14:55Z</dcterms:modified></channel></rss>""", "feed.updated", "2003-12-31T10:14:55Z" },
        // The format's own date wins over dc:date wherever it comes.
        { $"""<rss version="2.0" xmlns:dc="{Dc}"><channel><item><dc:date>2001-01-01T00:00:00Z</dc:date><pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate></item></channel></rss>""", "entry.published", "2004-01-01T19:48:21Z" },
        { $"""<rss version="2.0" xmlns:dc="{Dc}"><channel><item><pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate><dc:date>2001-01-01T00:00:00Z</dc:date></item></channel></rss>""", "entry.published", "2004-01-01T19:48:21Z" },
        { $"""<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="{Dc}"><entry><dc:date>2001-01-01T00:00:00Z</dc:date><updated>2004-01-01T00:00:00Z</updated></entry></feed>""", "entry.updated", "2004-01-01T00:00:00Z" },
        { $"""<rss version="2.0" xmlns:dc="{Dc}"><channel><dc:date>2001-01-01T00:00:00Z</dc:date><pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate></channel></rss>""", "feed.updated", "2004-01-01T19:48:21Z" },
        { $"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="{Dc}"><item rdf:about="http://e.com/1"><dc:date>2002-10-02T10:00:00-05:00</dc:date></item></rdf:RDF>""", "entry.published", "2002-10-02T15:00:00Z" },
    };

    [Theory, MemberData(nameof(Dates))]
    public void Dates_come_from_dcterms_and_the_standard_element_wins(string document, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), field));

    public static TheoryData<string, string, string?> Text => new()
    {
        { """<rss version="2.0"><channel><title>testing &lang; entity &rang;</title></channel></rss>""", "feed.title", "testing \u2329 entity \u232A" },
        { """<rss version="2.0"><channel><title>&hearts; &eacute; &frac12; &nbsp;x</title></channel></rss>""", "feed.title", "\u2665 \u00e9 \u00bd x" },
        { """<rss version="2.0"><channel><title>&#X41;&#x42;&#67;</title></channel></rss>""", "feed.title", "ABC" },
        { """<rss version="2.0"><channel><title>testing &doesnotexist; entity</title></channel></rss>""", "feed.title", "testing &doesnotexist; entity" },
        { """<!DOCTYPE rss [<!ENTITY who "Example Inc.">]><rss version="2.0"><channel><title>By &who;</title></channel></rss>""", "feed.title", "By Example Inc." },
        { """<!DOCTYPE rss [<!ENTITY who "Example Inc.">]><rss version="2.0"><channel><title>By &who;</title></channel></rss>""", "wellformed", "true" },
        { """<rss version="2.0"><channel><item><description>&amp;lt;p&amp;gt;Twice &amp;amp;amp; escaped&amp;lt;/p&amp;gt;</description></item></channel></rss>""", "entry.summary_html", "<p>Twice &amp; escaped</p>" },
        { """<rss version="2.0"><channel><item><description>Code: &amp;lt;div&amp;gt; is a tag</description></item></channel></rss>""", "entry.summary_html", "Code: &lt;div&gt; is a tag" },
        { """<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en_US"><title>T</title></feed>""", "feed.language", "en-US" },
        { """<rss version="2.0"><channel><language>pt_BR</language></channel></rss>""", "feed.language", "pt-BR" },
        { """<rss version="2.0" xml:lang="fr"><channel><title>T</title></channel></rss>""", "feed.language", "fr" },
    };

    [Theory, MemberData(nameof(Text))]
    public void Entities_and_languages_are_read_as_readers_show_them(string document, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), field));

    [Theory]
    [InlineData("http://example.com/feed/", "/other/", "http://example.com/other/post")]
    [InlineData("http://example.com/feed/", "http://cdn.example.com/x/", "http://cdn.example.com/x/post")]
    [InlineData("http://example.com/feed/", "javascript:alert(1)", "http://example.com/feed/post")]
    [InlineData(null, "http://example.com/loc/", "http://example.com/loc/post")]
    public void Content_location_is_the_base_after_xml_base(string? baseUrl, string contentLocation, string expected)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("""<rss version="2.0"><channel><item><link>post</link></item></channel></rss>""");
        var feed = FeedParser.Parse(bytes, new FeedParseOptions { BaseUrl = baseUrl, ContentLocation = contentLocation });
        Assert.Equal(expected, feed.Entries[0].Link);
        var based = FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes("""<rss version="2.0"><channel><item xml:base="http://b.example/"><link>post</link></item></channel></rss>"""),
            new FeedParseOptions { BaseUrl = baseUrl, ContentLocation = contentLocation });
        Assert.Equal("http://b.example/post", based.Entries[0].Link);
    }

    public static TheoryData<string, string, string[], string> LegacyEncodings => new()
    {
        // No BOM, no charset, no declaration: the bytes are sniffed.
        { "gb18030", "<rss version=\"2.0\"><channel><title>不归移民漫画系列：专业工作，中文标题的内容足够长以便检测</title></channel></rss>", ["gbk", "gb18030"], "不归移民漫画系列：专业工作，中文标题的内容足够长以便检测" },
        { "big5", "<rss version=\"2.0\"><channel><title>中文繁體字的標題內容足夠長以便檢測編碼，這是一個測試</title></channel></rss>", ["big5"], "中文繁體字的標題內容足夠長以便檢測編碼，這是一個測試" },
        { "shift_jis", "<rss version=\"2.0\"><channel><title>日本語のタイトルです。これは文字コードの検出のためのテストです。</title></channel></rss>", ["shift_jis"], "日本語のタイトルです。これは文字コードの検出のためのテストです。" },
        { "euc-kr", "<rss version=\"2.0\"><channel><title>한국어 제목입니다. 이것은 문자 인코딩 감지를 위한 시험입니다.</title></channel></rss>", ["euc-kr"], "한국어 제목입니다. 이것은 문자 인코딩 감지를 위한 시험입니다." },
        { "koi8-r", "<rss version=\"2.0\"><channel><title>Это заголовок на русском языке для проверки определения кодировки</title></channel></rss>", ["koi8-r"], "Это заголовок на русском языке для проверки определения кодировки" },
        { "windows-1251", "<rss version=\"2.0\"><channel><title>Это заголовок на русском языке для проверки определения кодировки</title></channel></rss>", ["windows-1251"], "Это заголовок на русском языке для проверки определения кодировки" },
    };

    [Theory, MemberData(nameof(LegacyEncodings))]
    public void Unlabelled_legacy_encodings_are_detected(string encoding, string document, string[] labels, string title)
    {
        var feed = Documents.Parse(Documents.Bytes(document, encoding));
        Assert.Contains(feed.Encoding, labels);
        Assert.Equal(title, feed.Title);
    }

    [Theory]
    [InlineData("text/xml", "windows-1252")]
    [InlineData("text/plain", "windows-1252")]
    [InlineData("application/rss+xml", "windows-1252")]
    [InlineData("text/xml; charset=iso-8859-1", "windows-1252")]
    public void Iso_8859_1_is_read_as_windows_1252_and_text_types_without_charset_follow_the_declaration(string contentType, string expected)
    {
        // RFC 7303: a text/* type with no charset leaves the encoding to the XML declaration.
        var bytes = Documents.Bytes("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><title>\u201cSmart\u201d caf\u00e9</title></channel></rss>", "windows-1252");
        var feed = Documents.Parse(bytes, contentType);
        Assert.Equal(expected, feed.Encoding);
        Assert.Equal("\u201cSmart\u201d caf\u00e9", feed.Title);
        Assert.True(feed.IsWellFormed);
    }

    public static TheoryData<string, bool> WellFormedness => new()
    {
        { """<rss version="2.0"><channel><title>T</title></channel></rss>""", true },
        { """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>""", true },
        { """<rss version="2.0"><channel><title>A &nbsp; B</title></channel></rss>""", false },
        { """<rss version="2.0"><channel><title>A & B</title></channel></rss>""", false },
        { """<rss version="2.0"><channel><title>T</title></channel>""", false },
        { """<rss version="2.0"><channel><title>&#X41;</title></channel></rss>""", false },
    };

    [Theory, MemberData(nameof(WellFormedness))]
    public void Wellformed_is_true_exactly_when_no_repair_was_needed(string document, bool expected) =>
        Assert.Equal(expected, Documents.Parse(document).IsWellFormed);
}
