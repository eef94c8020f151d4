namespace Feedstand.Feeds.Tests.Parsing;

public class FormatTests
{
    private const string Rss090 = """
        <?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
          <channel>
            <title>Mozilla Dot Org</title>
            <link>http://www.mozilla.org</link>
            <description>the Mozilla Organization web site</description>
          </channel>
          <image>
            <title>Mozilla</title>
            <url>http://www.mozilla.org/images/moz.gif</url>
            <link>http://www.mozilla.org</link>
          </image>
          <item>
            <title>New Status Updates</title>
            <link>http://www.mozilla.org/status/</link>
          </item>
          <item>
            <title>Bugzilla Reorganized</title>
            <link>http://www.mozilla.org/bugs/</link>
          </item>
        </rdf:RDF>
        """;

    private const string Rss091 = """
        <?xml version="1.0" encoding="ISO-8859-1"?>
        <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
        <rss version="0.91">
          <channel>
            <title>WriteTheWeb</title>
            <link>http://writetheweb.com</link>
            <description>News for web users that write back</description>
            <language>en-us</language>
            <copyright>Copyright 2000, WriteTheWeb team.</copyright>
            <managingEditor>editor@writetheweb.com</managingEditor>
            <image>
              <title>WriteTheWeb</title>
              <url>http://writetheweb.com/images/mynetscape88.gif</url>
              <link>http://writetheweb.com</link>
            </image>
            <item>
              <title>Giving the world a pluggable Gnutella</title>
              <link>http://writetheweb.com/read.php?item=24</link>
              <description>WorldOS is a framework on which to build programs that work like Freenet or Gnutella.</description>
            </item>
          </channel>
        </rss>
        """;

    private const string Rss092 = """
        <?xml version="1.0"?>
        <rss version="0.92">
          <channel>
            <title>Dave Winer: Grateful Dead</title>
            <link>http://www.scripting.com/blog/categories/gratefulDead.html</link>
            <description>A high-fidelity Grateful Dead song every day.</description>
            <lastBuildDate>Fri, 13 Apr 2001 19:23:02 GMT</lastBuildDate>
            <item>
              <description>It's been a few days since I added a song to the Grateful Dead channel.</description>
              <enclosure url="http://www.scripting.com/mp3s/weatherReportDicksPicsVol7.mp3" length="6182912" type="audio/mpeg"/>
            </item>
          </channel>
        </rss>
        """;

    private const string Rss093 = """
        <rss version="0.93">
          <channel>
            <title>Scripting News 0.93</title>
            <link>http://www.scripting.com/</link>
            <description>A weblog about scripting and stuff like that.</description>
            <item>
              <title>Ninety three</title>
              <link>http://www.scripting.com/93</link>
              <description>An item of RSS 0.93.</description>
              <pubDate>Mon, 30 Sep 2002 01:56:02 GMT</pubDate>
            </item>
          </channel>
        </rss>
        """;

    private const string Rss094 = """
        <rss version="0.94">
          <channel>
            <title>Scripting News 0.94</title>
            <link>http://www.scripting.com/</link>
            <description>A weblog about scripting and stuff like that.</description>
            <item>
              <title>Ninety four</title>
              <link>http://www.scripting.com/94</link>
              <guid isPermaLink="false">94-1</guid>
              <category domain="http://www.dmoz.org">Computers/Software</category>
            </item>
          </channel>
        </rss>
        """;

    private const string Rss20 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0">
          <channel>
            <title>Liftoff News</title>
            <link>http://liftoff.msfc.nasa.gov/</link>
            <description>Liftoff to Space Exploration.</description>
            <language>en-us</language>
            <pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate>
            <generator>Weblog Editor 2.0</generator>
            <ttl>40</ttl>
            <item>
              <title>Star City</title>
              <link>http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp</link>
              <description>How do Americans get ready to work with Russians aboard the International Space Station?</description>
              <pubDate>Tue, 03 Jun 2003 09:39:21 GMT</pubDate>
              <guid>http://liftoff.msfc.nasa.gov/2003/06/03.html#item573</guid>
              <comments>http://liftoff.msfc.nasa.gov/comments/573</comments>
            </item>
            <item>
              <description>Sky watchers in Europe, Asia, and parts of Alaska and Canada will experience a partial eclipse.</description>
              <guid>http://liftoff.msfc.nasa.gov/2003/05/30.html#item572</guid>
            </item>
          </channel>
        </rss>
        """;

    private const string Rss10 = """
        <?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns="http://purl.org/rss/1.0/">
          <channel rdf:about="http://www.xml.com/xml/news.rss">
            <title>XML.com</title>
            <link>http://xml.com/pub</link>
            <description>XML.com features a rich mix of information and services for the XML community.</description>
            <dc:language>en-us</dc:language>
            <items><rdf:Seq><rdf:li resource="http://xml.com/pub/2000/08/09/xslt/xslt.html"/></rdf:Seq></items>
          </channel>
          <item rdf:about="http://xml.com/pub/2000/08/09/xslt/xslt.html">
            <title>Processing Inclusions with XSLT</title>
            <link>http://xml.com/pub/2000/08/09/xslt/xslt.html</link>
            <description>Processing document inclusions with general XML tools can be problematic.</description>
            <dc:date>2000-08-09T12:30:00-05:00</dc:date>
          </item>
        </rdf:RDF>
        """;

    private const string Atom03 = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed version="0.3" xmlns="http://purl.org/atom/ns#">
          <title>dive into mark</title>
          <link rel="alternate" type="text/html" href="http://diveintomark.org/"/>
          <tagline>A lot of effort went into making this effortless</tagline>
          <modified>2003-12-13T18:30:02Z</modified>
          <author><name>Mark Pilgrim</name></author>
          <entry>
            <title>Atom 0.3 snapshot</title>
            <link rel="alternate" type="text/html" href="http://diveintomark.org/2003/12/13/atom03"/>
            <id>tag:diveintomark.org,2003:3.2397</id>
            <issued>2003-12-13T08:29:29-04:00</issued>
            <modified>2003-12-13T18:30:02Z</modified>
            <content type="text/html" mode="escaped">&lt;p&gt;Update: the Atom 0.3 snapshot is out.&lt;/p&gt;</content>
          </entry>
        </feed>
        """;

    private const string Atom10 = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
          <title>Example Feed</title>
          <subtitle>A subtitle.</subtitle>
          <link href="http://example.org/feed/" rel="self"/>
          <link href="http://example.org/"/>
          <id>urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6</id>
          <updated>2003-12-13T18:30:02Z</updated>
          <icon>/favicon.ico</icon>
          <logo>http://example.org/logo.png</logo>
          <rights>© 2003 Example</rights>
          <generator uri="http://example.org/gen" version="1.0">Example Toolkit</generator>
          <entry>
            <title>Atom-Powered Robots Run Amok</title>
            <link href="http://example.org/2003/12/13/atom03"/>
            <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
            <updated>2003-12-13T18:30:02Z</updated>
            <published>2003-12-13T08:29:29-04:00</published>
            <author><name>John Doe</name><email>johndoe@example.com</email><uri>http://example.com/~johndoe</uri></author>
            <category term="robots" scheme="http://example.org/tags" label="Robots"/>
            <summary>Some text.</summary>
          </entry>
        </feed>
        """;

    private const string AtomEntry = """
        <?xml version="1.0" encoding="utf-8"?>
        <entry xmlns="http://www.w3.org/2005/Atom">
          <title>A lonely entry</title>
          <link href="http://example.org/lonely"/>
          <id>tag:example.org,2024:lonely</id>
          <updated>2024-05-01T10:00:00Z</updated>
          <content type="html">&lt;p&gt;Alone.&lt;/p&gt;</content>
        </entry>
        """;

    private const string JsonFeed10 = """
        {
          "version": "https://jsonfeed.org/version/1",
          "title": "My Example Feed",
          "home_page_url": "https://example.org/",
          "feed_url": "https://example.org/feed.json",
          "author": { "name": "Brent Simmons", "url": "https://example.org/brent" },
          "items": [
            { "id": "2", "content_text": "This is a second item.", "url": "https://example.org/second-item" },
            { "id": "1", "title": "First", "content_html": "<p>Hello, world!</p>", "url": "https://example.org/initial-post",
              "date_published": "2010-02-07T14:04:00-05:00" }
          ]
        }
        """;

    private const string JsonFeed11 = """
        {
          "version": "https://jsonfeed.org/version/1.1",
          "title": "JSON Feed 1.1",
          "home_page_url": "https://example.org/",
          "feed_url": "https://example.org/feed.json",
          "description": "The newer one.",
          "language": "en-GB",
          "icon": "https://example.org/icon.png",
          "favicon": "https://example.org/favicon.ico",
          "authors": [ { "name": "Manton Reece", "url": "https://manton.org/" } ],
          "hubs": [ { "type": "WebSub", "url": "https://hub.example.org/" } ],
          "items": [
            { "id": "https://example.org/1", "url": "https://example.org/1", "title": "One", "summary": "Short.",
              "content_html": "<p>One.</p>", "date_modified": "2020-08-07T11:44:36Z", "tags": ["json", "feeds"] }
          ]
        }
        """;

    public static TheoryData<string, string, string?> Rows => new()
    {
        { Rss090, "format", "rss0.90" },
        { Rss090, "feed.title", "Mozilla Dot Org" },
        { Rss090, "feed.link", "http://www.mozilla.org/" },
        { Rss090, "feed.subtitle", "the Mozilla Organization web site" },
        { Rss090, "feed.image", "http://www.mozilla.org/images/moz.gif" },
        { Rss090, "entries", "2" },
        { Rss090, "entry[1].title", "Bugzilla Reorganized" },
        { Rss090, "entry[1].link", "http://www.mozilla.org/bugs/" },

        { Rss091, "format", "rss0.91" },
        { Rss091, "feed.title", "WriteTheWeb" },
        { Rss091, "feed.language", "en-us" },
        { Rss091, "feed.rights", "Copyright 2000, WriteTheWeb team." },
        { Rss091, "feed.authors", "-|editor@writetheweb.com|-" },
        { Rss091, "feed.image", "http://writetheweb.com/images/mynetscape88.gif" },
        { Rss091, "entry.title", "Giving the world a pluggable Gnutella" },
        { Rss091, "entry.link", "http://writetheweb.com/read.php?item=24" },

        { Rss092, "format", "rss0.92" },
        { Rss092, "feed.updated", "2001-04-13T19:23:02Z" },
        { Rss092, "entry.title", null },
        { Rss092, "entry.enclosures", "http://www.scripting.com/mp3s/weatherReportDicksPicsVol7.mp3|audio/mpeg|6182912" },

        { Rss093, "format", "rss0.93" },
        { Rss093, "entry.title", "Ninety three" },
        { Rss093, "entry.published", "2002-09-30T01:56:02Z" },

        { Rss094, "format", "rss0.94" },
        { Rss094, "entry.id", "94-1" },
        { Rss094, "entry.link", "http://www.scripting.com/94" },
        { Rss094, "entry.categories", "Computers/Software|http://www.dmoz.org|-" },

        { Rss20, "format", "rss2.0" },
        { Rss20, "wellformed", "true" },
        { Rss20, "feed.title", "Liftoff News" },
        { Rss20, "feed.link", "http://liftoff.msfc.nasa.gov/" },
        { Rss20, "feed.generator", "Weblog Editor 2.0" },
        { Rss20, "feed.ttl", "40" },
        { Rss20, "feed.updated", "2003-06-10T04:00:00Z" },
        { Rss20, "entries", "2" },
        { Rss20, "entry.id", "http://liftoff.msfc.nasa.gov/2003/06/03.html#item573" },
        { Rss20, "entry.published", "2003-06-03T09:39:21Z" },
        { Rss20, "entry.comments", "http://liftoff.msfc.nasa.gov/comments/573" },
        { Rss20, "entry[1].title", null },
        { Rss20, "entry[1].link", "http://liftoff.msfc.nasa.gov/2003/05/30.html#item572" },

        { Rss10, "format", "rss1.0" },
        { Rss10, "feed.title", "XML.com" },
        { Rss10, "feed.language", "en-us" },
        { Rss10, "entries", "1" },
        { Rss10, "entry.title", "Processing Inclusions with XSLT" },
        { Rss10, "entry.published", "2000-08-09T17:30:00Z" },

        { Atom03, "format", "atom0.3" },
        { Atom03, "feed.title", "dive into mark" },
        { Atom03, "feed.subtitle", "A lot of effort went into making this effortless" },
        { Atom03, "feed.updated", "2003-12-13T18:30:02Z" },
        { Atom03, "feed.authors", "Mark Pilgrim|-|-" },
        { Atom03, "entry.link", "http://diveintomark.org/2003/12/13/atom03" },
        { Atom03, "entry.published", "2003-12-13T12:29:29Z" },
        { Atom03, "entry.content_html", "<p>Update: the Atom 0.3 snapshot is out.</p>" },

        { Atom10, "format", "atom1.0" },
        { Atom10, "feed.title", "Example Feed" },
        { Atom10, "feed.link", "http://example.org/" },
        { Atom10, "feed.self", "http://example.org/feed/" },
        { Atom10, "feed.id", "urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6" },
        { Atom10, "feed.language", "en" },
        { Atom10, "feed.icon", null },
        { Atom10, "feed.image", "http://example.org/logo.png" },
        { Atom10, "feed.rights", "© 2003 Example" },
        { Atom10, "feed.generator", "Example Toolkit" },
        { Atom10, "entry.title", "Atom-Powered Robots Run Amok" },
        { Atom10, "entry.published", "2003-12-13T12:29:29Z" },
        { Atom10, "entry.updated", "2003-12-13T18:30:02Z" },
        { Atom10, "entry.authors", "John Doe|johndoe@example.com|http://example.com/~johndoe" },
        { Atom10, "entry.categories", "robots|http://example.org/tags|Robots" },
        { Atom10, "entry.summary_html", "<p>Some text.</p>" },
        { Atom10, "entry.content_html", null },

        { AtomEntry, "format", "atom1.0" },
        { AtomEntry, "entries", "1" },
        { AtomEntry, "entry.title", "A lonely entry" },
        { AtomEntry, "entry.id", "tag:example.org,2024:lonely" },
        { AtomEntry, "entry.content_html", "<p>Alone.</p>" },

        { JsonFeed10, "format", "jsonfeed1.0" },
        { JsonFeed10, "feed.title", "My Example Feed" },
        { JsonFeed10, "feed.link", "https://example.org/" },
        { JsonFeed10, "feed.self", "https://example.org/feed.json" },
        { JsonFeed10, "feed.authors", "Brent Simmons|-|https://example.org/brent" },
        { JsonFeed10, "entries", "2" },
        { JsonFeed10, "entry.content_html", "<p>This is a second item.</p>" },
        { JsonFeed10, "entry[1].published", "2010-02-07T19:04:00Z" },

        { JsonFeed11, "format", "jsonfeed1.1" },
        { JsonFeed11, "feed.subtitle", "The newer one." },
        { JsonFeed11, "feed.language", "en-GB" },
        { JsonFeed11, "feed.icon", "https://example.org/favicon.ico" },
        { JsonFeed11, "feed.image", "https://example.org/icon.png" },
        { JsonFeed11, "feed.hubs", "https://hub.example.org/" },
        { JsonFeed11, "feed.authors", "Manton Reece|-|https://manton.org/" },
        { JsonFeed11, "entry.summary_html", "<p>Short.</p>" },
        { JsonFeed11, "entry.updated", "2020-08-07T11:44:36Z" },
        { JsonFeed11, "entry.categories", "json|-|-; feeds|-|-" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_format_is_detected_and_its_fields_read(string document, string field, string? expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document), field));
}
