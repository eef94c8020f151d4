using System.Text;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Sanitizing;
using Feedstand.Feeds.Writers;

namespace Feedstand.Feeds.Tests.Writers;

/// <summary>
/// A feed written by each writer and parsed again keeps what the directory re-publishes: titles,
/// links, dates, authors, categories and the sanitized content.
/// </summary>
public class WriterRoundTripTests
{
    public static TheoryData<string> Documents => new()
    {
        """
        <rss version="2.0"><channel><title>Fish &amp; chips</title><link>https://example.org/</link>
        <description>A blog about &lt;food&gt;</description><language>en-gb</language>
        <item><title>First post</title><link>https://example.org/1</link><guid>https://example.org/1</guid>
        <pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><category>food</category>
        <description><![CDATA[<p>Hello <b>world</b> and <a href="/about">about</a>.</p>]]></description></item>
        <item><title>Second post</title><link>https://example.org/2</link>
        <pubDate>Wed, 02 Dec 2026 11:30:00 +0100</pubDate><description>Plain &amp; simple</description></item>
        </channel></rss>
        """,
        """
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Atom log</title><link href="https://example.net/"/>
        <id>urn:x</id><updated>2026-12-01T00:00:00Z</updated><author><name>Ann Author</name></author>
        <entry><title type="html">&lt;i&gt;Styled&lt;/i&gt; title</title><id>urn:x:1</id><link href="https://example.net/a"/>
        <published>2026-11-30T08:00:00Z</published><updated>2026-11-30T09:00:00Z</updated>
        <content type="html">&lt;h2&gt;Heading&lt;/h2&gt;&lt;p&gt;Text with &lt;img src="pic.png" alt="a picture"&gt;&lt;/p&gt;</content></entry>
        </feed>
        """,
    };

    public static TheoryData<string, string> DocumentsAndFormats()
    {
        var rows = new TheoryData<string, string>();
        foreach (var document in Documents)
        {
            foreach (var format in (string[])["rss", "atom", "json"])
            {
                rows.Add(document, format);
            }
        }
        return rows;
    }

    [Theory, MemberData(nameof(DocumentsAndFormats))]
    public void A_written_feed_parses_back_to_the_same_feed(string document, string format)
    {
        var original = FeedParser.Parse(Encoding.UTF8.GetBytes(document));
        using var written = new MemoryStream();
        switch (format)
        {
            case "rss": RssWriter.Write(original, written); break;
            case "atom": AtomWriter.Write(original, written); break;
            default: JsonFeedWriter.Write(original, written); break;
        }
        var again = FeedParser.Parse(written.ToArray());

        Assert.Equal(original.Title, again.Title);
        Assert.Equal(original.Link, again.Link);
        Assert.Equal(original.Entries.Count, again.Entries.Count);
        for (var i = 0; i < original.Entries.Count; i++)
        {
            var (before, after) = (original.Entries[i], again.Entries[i]);
            Assert.Equal(before.Title, after.Title);
            Assert.Equal(before.Link, after.Link);
            Assert.Equal(before.Published ?? before.Updated, after.Published ?? after.Updated);
            Assert.Equal(Text(before), Text(after));
            Assert.Equal(before.Categories.Select(c => c.Label ?? c.Term), after.Categories.Select(c => c.Label ?? c.Term));
        }
    }

    /// <summary>The entry's content as text: the writers may move HTML between summary and content.</summary>
    private static string? Text(ParsedEntry entry) => PlainText.FromHtml(entry.ContentHtml ?? entry.SummaryHtml);
}
