using System.Text;

namespace Feedstand.Feeds.Tests.Parsing;

/// <summary>
/// Issue 9, part 3: every URL field leaving the library is absolute http/https (mailto: for
/// people) or null, however a hostile scheme is spelled. One row per field and spelling.
/// </summary>
public class UrlSafetyTests
{
    /// <summary>Where each URL field lives in a document; {0} is the URL as written in the XML.</summary>
    private static readonly (string Field, string Template, string Empty)[] Fields =
    [
        ("entry.link", """<rss version="2.0"><channel><item><link>{0}</link></item></channel></rss>""", ""),
        ("entry.links", """<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="{0}"/></entry></feed>""", ""),
        ("feed.link", """<rss version="2.0"><channel><link>{0}</link></channel></rss>""", ""),
        ("feed.links", """<feed xmlns="http://www.w3.org/2005/Atom"><link rel="alternate" href="{0}"/></feed>""", ""),
        ("feed.self", """<feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="{0}"/></feed>""", ""),
        ("feed.image", """<rss version="2.0"><channel><image><url>{0}</url></image></channel></rss>""", ""),
        ("feed.icon", """<feed xmlns="http://www.w3.org/2005/Atom"><icon>{0}</icon></feed>""", ""),
        ("feed.hubs", """<feed xmlns="http://www.w3.org/2005/Atom"><link rel="hub" href="{0}"/></feed>""", ""),
        ("entry.enclosures", """<rss version="2.0"><channel><item><enclosure url="{0}" type="audio/mpeg"/></item></channel></rss>""", ""),
        ("entry.comments", """<rss version="2.0"><channel><item><comments>{0}</comments></item></channel></rss>""", ""),
        ("entry.image", """<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:thumbnail url="{0}"/></item></channel></rss>""", ""),
        ("feed.authors", """<feed xmlns="http://www.w3.org/2005/Atom"><author><name>A</name><uri>{0}</uri></author></feed>""", "A|-|-"),
        ("entry.authors", """<rss version="2.0"><channel><item><author>A &lt;{0}&gt;</author></item></channel></rss>""", "A|-|-"),
    ];

    /// <summary>Hostile spellings, as written in the XML document.</summary>
    private static readonly string[] Spellings =
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "JaVaScRiPt:alert(1)",
        "   javascript:alert(1)",
        "&#9;&#10;javascript:alert(1)",
        "java&#9;script:alert(1)",
        "\u0001javascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "&#106;avascript:alert(1)",
        "%6Aavascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "feed:javascript:alert(1)",
        "/relative/without/base",
    ];

    public static TheoryData<string, string, string> HostileUrls()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (field, template, empty) in Fields)
        {
            foreach (var spelling in Spellings)
            {
                data.Add(field, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, spelling), empty);
            }
            // A relative reference under xml:base="javascript:...": no scheme may be lent to it.
            var underBase = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "x")
                .Replace("<item>", "<item xml:base=\"javascript:alert(1)//\">", StringComparison.Ordinal)
                .Replace("<channel>", "<channel xml:base=\"javascript:alert(1)//\">", StringComparison.Ordinal)
                .Replace("<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"javascript:alert(1)//\">", StringComparison.Ordinal);
            data.Add(field, underBase, empty);
        }
        return data;
    }

    [Theory, MemberData(nameof(HostileUrls))]
    public void Hostile_urls_never_leave_the_parser(string field, string document, string empty)
    {
        var feed = Documents.Parse(document);
        var value = Documents.Field(feed, field) ?? "";
        Assert.Equal(empty, value);
    }

    public static TheoryData<string, string, string> SafeUrls()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (field, template, _) in Fields)
        {
            var document = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "HTTP://Example.com/ok");
            data.Add(field, document, "http://example.com/ok");
        }
        return data;
    }

    [Theory, MemberData(nameof(SafeUrls))]
    public void Web_urls_in_any_case_are_kept_in_every_field(string field, string document, string expected) =>
        Assert.Contains(expected, Documents.Field(Documents.Parse(document), field), StringComparison.Ordinal);

    [Theory]
    [InlineData("entry.link", """<rss version="2.0"><channel><item><link>  http://example.com/a</link></item></channel></rss>""", "http://example.com/a")]
    [InlineData("entry.link", """<rss version="2.0"><channel><item><link>post</link></item></channel></rss>""", "http://example.com/feed/post")]
    [InlineData("entry.link", """<rss version="2.0"><channel><item><link>//cdn.example.com/a</link></item></channel></rss>""", "http://cdn.example.com/a")]
    [InlineData("feed.authors", """<feed xmlns="http://www.w3.org/2005/Atom"><author><name>A</name><uri>mailto:a@example.com</uri></author></feed>""", "A|-|mailto:a@example.com")]
    public void Relative_and_scheme_relative_urls_resolve_against_the_document(string field, string document, string expected) =>
        Assert.Equal(expected, Documents.Field(Documents.Parse(document, "http://example.com/feed/"), field));

    public static TheoryData<string, string> JsonFields => new()
    {
        { "feed.link", """{"version":"https://jsonfeed.org/version/1.1","title":"T","home_page_url":"javascript:alert(1)","items":[]}""" },
        { "feed.self", """{"version":"https://jsonfeed.org/version/1.1","title":"T","feed_url":"JAVASCRIPT:alert(1)","items":[]}""" },
        { "feed.icon", """{"version":"https://jsonfeed.org/version/1.1","title":"T","favicon":" data:image/svg+xml,<svg/onload=alert(1)>","items":[]}""" },
        { "feed.image", """{"version":"https://jsonfeed.org/version/1.1","title":"T","icon":"vbscript:x","items":[]}""" },
        { "feed.hubs", """{"version":"https://jsonfeed.org/version/1.1","title":"T","hubs":[{"type":"WebSub","url":"javascript:x"}],"items":[]}""" },
        { "feed.authors", """{"version":"https://jsonfeed.org/version/1.1","title":"T","authors":[{"name":"A","url":"javascript:x"}],"items":[]}""" },
        { "entry.link", """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"\u006aavascript:x"}]}""" },
        { "entry.image", """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","image":"javascript:x"}]}""" },
        { "entry.enclosures", """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","attachments":[{"url":"javascript:x","mime_type":"audio/mpeg"}]}]}""" },
    };

    [Theory, MemberData(nameof(JsonFields))]
    public void Json_feed_urls_are_safe_too(string field, string document)
    {
        var value = Documents.Field(Documents.Parse(document), field) ?? "";
        Assert.DoesNotContain("script", value, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", value, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_url_of_a_hostile_document_is_web_or_null()
    {
        var spellings = string.Join("", Spellings.Select(s => $"<link>{s}</link><comments>{s}</comments><enclosure url=\"{s}\"/>"));
        var document = $"""<rss version="2.0"><channel><link>javascript:x</link><item>{spellings}<enclosure url="http://example.com/a.mp3"/></item></channel></rss>""";
        var feed = Documents.Parse(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(document)));
        var urls = feed.Entries.SelectMany(e => e.Links.Select(l => l.Href).Concat(e.Enclosures.Select(x => x.Url)).Append(e.Link).Append(e.Comments))
            .Append(feed.Link).Where(u => u is not null);
        Assert.Equal("http://example.com/a.mp3", Assert.Single(urls));
    }
}
