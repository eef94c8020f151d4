using System.Text;

namespace Feedstand.Feeds.Tests.Parsing;

public class SafetyTests
{
    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <rss version="2.0"><channel><title>&lol9;</title></channel></rss>
        """;

    private static string QuadraticBlowup()
    {
        var text = new StringBuilder();
        text.Append("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"").Append('x', 50_000).Append("\">]>\n");
        text.Append("<rss version=\"2.0\"><channel><title>Quadratic</title><description>");
        for (var i = 0; i < 10_000; i++)
        {
            text.Append("&a;");
        }
        text.Append("</description></channel></rss>");
        return text.ToString();
    }

    public static TheoryData<string> Bombs => new() { BillionLaughs, QuadraticBlowup() };

    [Theory]
    [MemberData(nameof(Bombs))]
    public void Entity_bombs_are_rejected_with_a_clear_error(string document)
    {
        var error = Assert.Throws<FeedParseException>(() => Documents.Parse(document));
        Assert.Contains("entity expansion", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Billion_laughs_in_an_atom_feed_is_rejected_too()
    {
        var document = BillionLaughs
            .Replace("<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>&lol9;</title></feed>", StringComparison.Ordinal)
            .Replace("DOCTYPE rss", "DOCTYPE feed", StringComparison.Ordinal);
        var error = Assert.Throws<FeedParseException>(() => Documents.Parse(document));
        Assert.Contains("entity expansion", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string> ExternalEntities => new()
    {
        """
        <?xml version="1.0"?>
        <!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <rss version="2.0"><channel><title>External &x; entity</title><item><title>i &x;</title></item></channel></rss>
        """,
        """
        <?xml version="1.0"?>
        <!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>
        <rss version="2.0"><channel><title>Parameter entity</title></channel></rss>
        """,
        """
        <?xml version="1.0"?>
        <!DOCTYPE feed SYSTEM "file:///etc/passwd">
        <feed xmlns="http://www.w3.org/2005/Atom"><title>External DTD</title></feed>
        """,
    };

    [Theory]
    [MemberData(nameof(ExternalEntities))]
    public void External_entities_are_never_loaded(string document)
    {
        string output;
        try
        {
            output = JsonOutputTests.Json(Documents.Parse(document));
        }
        catch (FeedParseException ex)
        {
            output = ex.Message;
        }
        Assert.DoesNotContain("root:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("/bin/", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_feed_with_an_external_entity_is_still_read()
    {
        var feed = Documents.Parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>Safe &x; title</title><item><title>Item</title></item></channel></rss>
            """);
        Assert.StartsWith("Safe", feed.Title, StringComparison.Ordinal);
        Assert.Equal("Item", feed.Entries[0].Title);
    }

    [Fact]
    public void Internal_entities_of_a_small_dtd_are_expanded()
    {
        var feed = Documents.Parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY site "Example Site">]>
            <rss version="2.0"><channel><title>&site; news</title></channel></rss>
            """);
        Assert.Equal("Example Site news", feed.Title);
    }

    public static TheoryData<string, string, string> Deep => new()
    {
        { "<rss version=\"2.0\"><channel><title>Deep</title><item><title>Item</title>", "<x>", "</x></item></channel></rss>" },
        { "<rss version=\"2.0\"><channel><title>Deep</title><item><title>Item</title><description>", "&lt;div&gt;", "</description></item></channel></rss>" },
        { "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Deep</title><entry><title>Item</title><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">", "<div>", "</div></content></entry></feed>" },
        { "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Deep</title><entry><title>Item</title><content type=\"html\">", "&lt;div&gt;", "</content></entry></feed>" },
    };

    [Theory]
    [MemberData(nameof(Deep))]
    public void Deep_nesting_does_not_crash(string head, string open, string tail)
    {
        var document = new StringBuilder(head);
        for (var i = 0; i < 10_000; i++)
        {
            document.Append(open);
        }
        document.Append(tail);
        var error = Record.Exception(() =>
        {
            var feed = Documents.Parse(document.ToString());
            Assert.Equal("Deep", feed.Title);
            Assert.Equal("Item", feed.Entries[0].Title);
        });
        Assert.True(error is null or FeedParseException, error?.ToString());
    }

    [Fact]
    public void Deep_json_nesting_does_not_crash()
    {
        var document = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Deep\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + ",\"items\":[]}";
        var error = Record.Exception(() => Assert.Equal("Deep", Documents.Parse(document).Title));
        Assert.True(error is null or FeedParseException, error?.ToString());
    }
}
