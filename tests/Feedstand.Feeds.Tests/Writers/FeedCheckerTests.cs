using System.Text;

namespace Feedstand.Feeds.Tests.Writers;

/// <summary>
/// The checker reports each class it claims on a small document that has the fault (the issue's
/// findings and the validator's own kinds of cases), and nothing on a clean one.
/// </summary>
public class FeedCheckerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private const string AtomHead = """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>https://c.example/</id><updated>2025-01-01T00:00:00Z</updated><link rel="self" href="https://c.example/feed"/><author><name>A</name></author>""";

    private static string AtomEntry(string inner) =>
        AtomHead + "<entry>" + inner + "</entry></feed>";

    private const string EntryBasics = """<title>E</title><link href="https://c.example/1"/><summary>s</summary>""";

    private static string Rss(string channel) =>
        """<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>https://c.example/</link><description>d</description><atom:link rel="self" href="https://c.example/feed" type="application/rss+xml"/>"""
        + channel + "</channel></rss>";

    public static TheoryData<string, string> Faults => new()
    {
        { """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>https://c.example/</id><updated>1970-01-01T00:00:00Z</updated><link rel="self" href="https://c.example/feed"/><author><name>A</name></author></feed>""", "ImplausibleDate" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>https://c.example/</id><updated>2025-01-01T00:00:00Z</updated><link rel="self" href="https://c.example/feed"/><entry><title>E</title><id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated><link href="https://c.example/1"/></entry></feed>""", "MissingElement" },
        { AtomEntry(EntryBasics + "<id>twitter-quitter</id><updated>2025-01-01T00:00:00Z</updated>"), "InvalidFullLink" },
        { AtomEntry("""<title></title><link href="https://c.example/1"/><summary>s</summary><id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated>"""), "NotBlank" },
        { AtomHead + "<entry>" + EntryBasics + "<id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated></entry><entry>" + EntryBasics + "<id>https://c.example/2</id><updated>2025-01-01T00:00:00Z</updated></entry></feed>", "DuplicateUpdated" },
        { AtomEntry("""<title>Q&amp;#8216;A</title><link href="https://c.example/1"/><summary>s</summary><id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated>"""), "ContainsUndeclaredHTML" },
        { AtomEntry(EntryBasics + "<id>HTTP://C.example/1</id><updated>2025-01-01T00:00:00Z</updated>"), "NonCanonicalURI" },
        { AtomEntry(EntryBasics + "<id>tag:c.example:1</id><updated>2025-01-01T00:00:00Z</updated>"), "InvalidTAG" },
        { AtomEntry(EntryBasics + "<id>https://c.example/1</id><updated>2025-01-01 00:00</updated>"), "InvalidRFC3339Date" },
        { AtomEntry("""<title>E</title><id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated>"""), "MissingContentOrAlternate" },
        { AtomEntry("""<title>E</title><link href="https://c.example/1"/><id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated>"""), "MissingTextualContent" },
        { AtomEntry(EntryBasics + """<id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated><content type="html">&lt;script&gt;x()&lt;/script&gt;</content>"""), "SecurityRisk" },
        { AtomEntry(EntryBasics + """<id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated><content type="html">&lt;p style="position: fixed"&gt;x&lt;/p&gt;</content>"""), "DangerousStyleAttr" },
        { AtomEntry(EntryBasics + """<id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated><content type="html">&lt;a href="/relative"&gt;x&lt;/a&gt;</content>"""), "ContainsRelRef" },
        { AtomEntry(EntryBasics + """<id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated><link rel="next" href="https://c.example/2"/>"""), "FeedHistoryRelInEntry" },
        { """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0"><title>T</title><id>https://c.example/</id><updated>2025-01-01T00:00:00Z</updated><link rel="self" href="https://c.example/feed"/><fh:archive/></feed>""", "ArchiveIncomplete" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>https://c.example/</id><updated>2025-01-01T00:00:00Z</updated></feed>""", "MissingSelf" },
        { AtomHead + "<entry>" + EntryBasics + "<id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated></entry><subtitle>late</subtitle></feed>", "MisplacedMetadata" },
        { Rss("""<image><url>https://c.example/favicon.ico</url><title>T</title><link>https://c.example/</link></image>"""), "ImageUrlFormat" },
        { Rss("""<image><url>https://c.example/logo.png</url><title>Other</title><link>https://c.example/</link></image>"""), "ImageTitleDoesntMatch" },
        { Rss("""<item><title>x</title><guid>tag:c.example,2025:1</guid></item>"""), "InvalidPermalink" },
        { Rss("""<item><title>x</title><guid isPermaLink="false">123</guid></item>"""), "NotSufficientlyUnique" },
        { Rss("""<item><title>x</title></item>"""), "MissingGuid" },
        { Rss("""<item><title>x</title><guid>https://c.example/1</guid><pubDate>Mon, 26 Oct 2025 19:00:00 +0000</pubDate></item>"""), "IncorrectDOW" },
        { Rss("""<item><title>x</title><guid>https://c.example/1</guid><pubDate>2025-10-26</pubDate></item>"""), "InvalidRFC2822Date" },
        { Rss("""<item><title>x</title><guid>https://c.example/1</guid><content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded><description>d</description></item>"""), "NeedDescriptionBeforeContent" },
        { Rss("""<item><title>a &lt;b&gt; c</title><guid>https://c.example/1</guid></item>"""), "CharacterData" },
        { Rss("""<item><title>a &lt;b&gt;bold&lt;/b&gt;</title><guid>https://c.example/1</guid></item>"""), "ContainsHTML" },
        { Rss("""<item><title>x</title><guid>https://c.example/1</guid><enclosure url="https://c.example/a.mp3" length="1" type="audio/mpeg"/><enclosure url="https://c.example/b.mp3" length="1" type="audio/mpeg"/></item>"""), "DuplicateEnclosure" },
        { Rss("""<item><title>x</title><guid>https://c.example/1</guid><enclosure url="http://localhost/a.mp3" length="1" type="audio/mpeg"/></item>"""), "InvalidURLAttribute" },
        { Rss("""<item><title>x</title><guid>https://c.example/1</guid></item><item><title>y</title><guid>https://c.example/1</guid></item>"""), "DuplicateValue" },
        { Rss("""<language>English</language>"""), "InvalidLanguage" },
        { """<rss version="2.0"><channel><title>T</title><link>https://c.example/</link><description>d</description></channel></rss>""", "MissingAtomSelfLink" },
        { Rss("""<item></item>"""), "ItemMustContainTitleOrDescription" },
        { """<rss version="2.0"><channel><title>T</title>""", "SAXError" },
    };

    [Theory, MemberData(nameof(Faults))]
    public void Checker_reports_the_fault(string document, string expected)
    {
        var findings = FeedChecker.Check(Encoding.UTF8.GetBytes(document), Now);
        Assert.Contains(findings, f => f.Id == expected);
    }

    public static TheoryData<string> CleanDocuments => new()
    {
        AtomEntry(EntryBasics + """<id>https://c.example/1</id><updated>2025-01-01T00:00:00Z</updated><content type="html">&lt;p&gt;Hello &lt;a href="https://c.example/x"&gt;there&lt;/a&gt;&lt;/p&gt;</content>"""),
        AtomEntry("""<title type="html">Q&amp;amp;A about &amp;lt;div&amp;gt;</title><link href="https://c.example/1"/><summary>s</summary><id>tag:c.example,2026:/feed:1</id><updated>2025-01-01T00:00:00.001Z</updated>"""),
        Rss("""<lastBuildDate>Sun, 26 Oct 2025 19:00:00 +0000</lastBuildDate><image><url>https://c.example/logo.png</url><title>T</title><link>https://c.example/</link></image><item><title><![CDATA[a &lt;b&gt; c]]></title><link>https://c.example/1</link><guid isPermaLink="true">https://c.example/1</guid><pubDate>Sun, 26 Oct 2025 19:00:00 +0000</pubDate><description>&lt;p&gt;x&lt;/p&gt;</description><content:encoded>&lt;p&gt;xy&lt;/p&gt;</content:encoded><enclosure url="https://c.example/a.mp3" length="0" type="audio/mpeg"/></item>"""),
    };

    [Theory, MemberData(nameof(CleanDocuments))]
    public void Checker_reports_nothing_on_a_clean_document(string document) =>
        Assert.Empty(FeedChecker.Check(Encoding.UTF8.GetBytes(document), Now));

    [Theory]
    [InlineData("http://Example.COM", "http://example.com/")]
    [InlineData("https://example.com:443/a/./b/../c", "https://example.com/a/c")]
    [InlineData("https://example.com/%7euser?q=%3a", "https://example.com/~user?q=:")]
    [InlineData("tag:example.com,2026:/feed:x", "tag:example.com,2026:/feed:x")]
    public void Canonical_form_follows_the_validator(string uri, string canonical) =>
        Assert.Equal(canonical, FeedChecker.Canonical(uri));
}
