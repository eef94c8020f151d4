namespace Feedstand.Feeds.Tests.Parsing;

public class RecoveryTests
{
    private const string Head = """<rss version="2.0"><channel><title>Broken</title><link>http://example.com/</link>""";
    private const string Tail = "</channel></rss>";

    /// <summary>A broken document, a field that is still read, its value, and a word the error about the fix contains.</summary>
    public static TheoryData<string, string, string?, string> Broken => new()
    {
        { Head + "<item><title>Caf&eacute;&nbsp;time</title></item>" + Tail, "entry.title", "Café time", "entit" },
        { Head + "<item><title>It&rsquo;s here &mdash; now</title></item>" + Tail, "entry.title", "It’s here — now", "entit" },
        { Head + "<item><title>Ben & Jerry</title></item>" + Tail, "entry.title", "Ben & Jerry", "&" },
        { Head + "<item><title>AT&T wins</title></item>" + Tail, "entry.title", "AT&T wins", "&" },
        { Head + "<item><title>1 < 2 is true</title></item>" + Tail, "entry.title", "1 < 2 is true", "<" },
        { "<!-- generated --> junk text\n" + Head + "<item><title>After junk</title></item>" + Tail, "entry.title", "After junk", "before the root" },
        { Head + "<item><title>Before junk</title></item>" + Tail + "\n<script>track()</script> trailing junk", "entry.title", "Before junk", "after the root" },
        { Head + "<item><title>Before junk</title></item>" + Tail + "\n<rss>again</rss>", "feed.title", "Broken", "after the root" },
        { "\n\n   <?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + Head + "<item><title>Spaces first</title></item>" + Tail, "entry.title", "Spaces first", "whitespace" },
        { Head + "<item><title>First</title></item><item><title>Cut off</title><description>Half a sent", "entry[1].title", "Cut off", "unclosed" },
        { Head + "<item><title>First</title></item><item><title>Cut", "entry.title", "First", "end of the document" },
        { Head + "<item><title>Bell\u0007 and\u0001 null</title></item>" + Tail, "entry.title", "Bell and null", "control" },
        { Head + "<item><title>Form\u000Cfeed</title></item>" + Tail, "entry.title", "Formfeed", "control" },
        { Head + "<item><Title>Mixed case</Title><PubDate>Sun, 26 Oct 2025 19:00:00 GMT</PubDate></item>" + Tail, "entry.title", "Mixed case", "case" },
        { Head + "<item><title>Case end</TITLE></item>" + Tail, "entry.title", "Case end", "case" },
        { Head + "<item><title>No prefix</title><dc:creator>Pat Writer</dc:creator></item>" + Tail, "entry.authors", "Pat Writer|-|-", "prefix" },
        { Head + "<item><title>Attributes</title><enclosure url=http://example.com/a.mp3 type=audio/mpeg length=10 /></item>" + Tail, "entry.enclosures", "http://example.com/a.mp3|audio/mpeg|10", "quoted" },
        { Head + "<item><title>Stray</title></div></item>" + Tail, "entry.title", "Stray", "stray end tag" },
        { Head + "<item><title>Unclosed item</title>" + Tail, "entry.title", "Unclosed item", "unclosed" },
        { Head + "<item><title><![CDATA[Open CDATA</title></item>" + Tail, "feed.title", "Broken", "CDATA" },
        { "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + Head + "<item><title>Dup</title><guid isPermaLink=\"false\" isPermaLink=\"false\">g1</guid></item>" + Tail, "entry.id", "g1", "duplicate" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_documents_are_repaired_and_read(string document, string field, string? expected, string errorWord)
    {
        var feed = Documents.Parse(document);
        Assert.Equal(expected, Documents.Field(feed, field));
        Assert.False(feed.IsWellFormed);
        Assert.NotEmpty(feed.Errors);
        Assert.Contains(feed.Errors, e => e.Contains(errorWord, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Mixed_case_pub_date_is_still_read_as_the_date()
    {
        var feed = Documents.Parse(Head + "<item><Title>x</Title><PubDate>Sun, 26 Oct 2025 19:00:00 GMT</PubDate></item>" + Tail);
        Assert.Equal("2025-10-26T19:00:00Z", Documents.Field(feed, "entry.published"));
    }

    [Fact]
    public void Entities_are_decoded_in_html_of_repaired_documents()
    {
        var feed = Documents.Parse(Head + "<item><title>x</title><description>&lt;p&gt;A&nbsp;B&copy;&lt;/p&gt;</description></item>" + Tail);
        Assert.Contains("©", feed.Entries[0].SummaryHtml ?? "(null)", StringComparison.Ordinal);
        Assert.False(feed.IsWellFormed);
    }

    public static TheoryData<string, string> MissingVersion => new()
    {
        { """<rss><channel><title>No version</title><item><title>i</title></item></channel></rss>""", "no version" },
        { """<rss version="7.3"><channel><title>No version</title><item><title>i</title></item></channel></rss>""", "7.3" },
        { """<channel><title>No version</title><item><title>i</title></item></channel>""", "<rss>" },
    };

    [Theory]
    [MemberData(nameof(MissingVersion))]
    public void Rss_without_a_usable_version_is_read_as_rss_2(string document, string errorWord)
    {
        var feed = Documents.Parse(document);
        Assert.Equal("rss2.0", Documents.Field(feed, "format"));
        Assert.Equal("No version", feed.Title);
        Assert.Equal("i", feed.Entries[0].Title);
        Assert.Contains(feed.Errors, e => e.Contains(errorWord, StringComparison.OrdinalIgnoreCase));
    }

    public static TheoryData<byte[], string> NotFeeds => new()
    {
        { Bytes("<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>"), "HTML" },
        { Bytes("<html><body>Just a page</body></html>"), "HTML" },
        { Bytes("<?xml version=\"1.0\"?><note><to>Tove</to><from>Jani</from></note>"), "<note>" },
        { [], "empty" },
        { Bytes("   \r\n\t  \n"), "empty" },
        { Bytes("{ this is not json"), "JSON" },
        { Bytes("""{"name": "package.json", "version": "1.0.0"}"""), "JSON" },
        { Bytes("[1, 2, 3]"), "JSON" },
        { Bytes("Just some plain text, no markup at all."), "not a feed" },
    };

    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Theory]
    [MemberData(nameof(NotFeeds))]
    public void A_document_without_a_feed_fails_with_a_clear_message(byte[] document, string word)
    {
        var error = Assert.Throws<FeedParseException>(() => Documents.Parse(document));
        Assert.Contains(word, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("not a feed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_json_feed_keeps_what_came_before()
    {
        var feed = Documents.Parse("""{"version":"https://jsonfeed.org/version/1.1","title":"Cut","items":[{"id":"1","title":"Whole"},{"id":"2","ti""");
        Assert.Equal("Cut", feed.Title);
        Assert.Equal("Whole", feed.Entries[0].Title);
        Assert.False(feed.IsWellFormed);
        Assert.Contains(feed.Errors, e => e.Contains("cut off", StringComparison.OrdinalIgnoreCase));
    }
}
