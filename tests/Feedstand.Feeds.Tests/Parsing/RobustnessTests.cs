using System.Text;
using Feedstand.Feeds.Sanitizing;

namespace Feedstand.Feeds.Tests.Parsing;

/// <summary>
/// Issue 9, part 2: any bytes give a feed or a <see cref="FeedParseException"/>, never another
/// exception; hostile nesting is bounded. Inputs the fuzzing harness (bench/fuzz) found go here.
/// </summary>
public class RobustnessTests
{
    public static TheoryData<string, string> LoneSurrogates => new()
    {
        { """{"version":"https://jsonfeed.org/version/1.1","title":"\ud800","items":[]}""", "feed.title" },
        { """{"version":"https://jsonfeed.org/version/1.1","title":"a\udc00b","items":[]}""", "feed.title" },
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","title":"\ud83d"}]}""", "entry.title" },
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","tags":["\udfff"]}]}""", "entry.terms" },
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","authors":["\ud800 Ann"],"items":[]}""", "feed.authors" },
    };

    [Theory, MemberData(nameof(LoneSurrogates))]
    public void Lone_surrogates_in_json_become_the_replacement_character(string document, string field) =>
        Assert.Contains('\uFFFD', Documents.Field(Documents.Parse(document), field) ?? "");

    [Fact]
    public void A_surrogate_pair_in_json_escapes_is_kept()
    {
        var feed = Documents.Parse("""{"version":"https://jsonfeed.org/version/1.1","title":"\ud83d\ude00 \ud800","items":[]}""");
        Assert.Equal("\U0001F600 \uFFFD", feed.Title);
    }

    public static TheoryData<string> Garbage => new()
    {
        "",
        "   ",
        "{",
        "[1,2",
        "{\"items\":[{\"id\":{}}]}",
        "<",
        "<rss",
        "<?xml version=\"1.0\" encoding=\"nonsense\"?><rss/>",
        "<!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]><rss><channel><title>&a;</title></channel></rss>",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"text\" mode=\"base64\">!!!</content></entry></feed>",
        "<rss><channel><item><enclosure url=\"http://[::1\" length=\"99999999999999999999999\"/></item></channel></rss>",
        "<rss><channel><item><link>http://a:99999999/</link><pubDate>Mon, 99 Foo 99999 99:99:99 +9999</pubDate></item></channel></rss>",
        "\u001f\u008b\u0008garbage",
    };

    [Theory, MemberData(nameof(Garbage))]
    public void Any_bytes_give_a_feed_or_a_feed_parse_exception(string document)
    {
        var bytes = Encoding.Latin1.GetBytes(document);
        var outcome = Record.Exception(() => FeedParser.Parse(bytes));
        Assert.True(outcome is null or FeedParseException, $"unexpected {outcome?.GetType().Name}: {outcome?.Message}");
    }

    [Fact]
    public void Seeded_mutations_of_real_documents_give_a_feed_or_a_feed_parse_exception()
    {
        // A small, fixed slice of what bench/fuzz does at length: flip, insert and cut bytes.
        var seeds = new[]
        {
            """<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>http://example.com/</link><item><title>&amp; x</title><content:encoded><![CDATA[<p><b>x</b><svg><circle r="1"/></svg></p>]]></content:encoded><pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate></item></channel></rss>""",
            """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/"><title type="html">&lt;b&gt;T&lt;/b&gt;</title><entry><link href="a"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x<br/></p></div></content></entry></feed>""",
            """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","content_html":"<p>\u00e9</p>","url":"/a"}]}""",
        };
        var random = new Random(9);
        var tokens = new[] { "<", ">", "&", ";", "\"", "<![CDATA[", "]]>", "<!DOCTYPE a [<!ENTITY x \"y\">]>", "&#X41;", "&lang;", "\\ud800", "xml:base=\"javascript:x\"", "\0", "\u00ff" };
        for (var round = 0; round < 600; round++)
        {
            var text = new StringBuilder(seeds[round % seeds.Length]);
            for (var edit = random.Next(1, 6); edit > 0 && text.Length > 1; edit--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at)); break;
                    case 1: text.Insert(at, tokens[random.Next(tokens.Length)]); break;
                    default: text[at] = (char)random.Next(0, 256); break;
                }
            }
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            var outcome = Record.Exception(() => FeedParser.Parse(bytes));
            Assert.True(outcome is null or FeedParseException, $"round {round}: unexpected {outcome?.GetType().Name}: {outcome?.Message}\n{text}");
        }
    }

    [Fact]
    public void An_exception_thrown_by_on_entry_reaches_the_caller_unchanged()
    {
        var options = new FeedParseOptions { OnEntry = _ => throw new OperationCanceledException("stop") };
        var bytes = Encoding.UTF8.GetBytes("""<rss version="2.0"><channel><item><title>x</title></item></channel></rss>""");
        var error = Assert.Throws<OperationCanceledException>(() => FeedParser.Parse(bytes, options));
        Assert.Equal("stop", error.Message);
    }

    public static TheoryData<string, int> DeepNesting => new()
    {
        { "<b><i>", 50_000 },
        { "<div>", 50_000 },
        { "<ul><li>", 50_000 },
        { "<blockquote>", 50_000 },
        { "<span>", 50_000 },
        { "<table><tr><td>", 20_000 },
        { "<a href=\"/x\">", 50_000 },
        { "<svg><g>", 20_000 },
        { "<dl><dt>a<dd>", 25_000 },
        { "<ruby><rt>", 25_000 },
        { "<ul><li>x", 50_000 },
    };

    /// <summary>
    /// Thousands of siblings deep down cost the tree builder a walk of the open elements each; past
    /// the deep threshold only a budget of start tags is kept, and all the text stays.
    /// </summary>
    [Theory]
    [InlineData(250, "<li>x")]
    [InlineData(100, "<p>x")]
    [InlineData(200, "<b>x</b>")]
    public void Many_elements_deep_down_are_capped_and_keep_their_text(int depth, string sibling)
    {
        var html = string.Concat(Enumerable.Repeat("<div>", depth)) + "<ul>" + string.Concat(Enumerable.Repeat(sibling, 50_000));
        var limited = NestingLimit.Apply(html);
        var tags = limited.AsSpan().Count('<') - limited.AsSpan().Count("</");
        Assert.InRange(tags, NestingLimit.DeepElementBudget, depth + 1 + NestingLimit.DeepElementBudget);
        foreach (var sanitized in new[] { ContentSanitizer.Sanitize(html, null), ContentSanitizer.SanitizeWithParser(html, null) })
        {
            Assert.Equal(50_000, sanitized.AsSpan().Count('x'));
        }
    }

    [Fact]
    public void The_deep_budget_leaves_ordinary_nesting_alone()
    {
        var html = string.Concat(Enumerable.Repeat("<blockquote>", 70)) + string.Concat(Enumerable.Repeat("<p>x</p>", 500));
        Assert.Same(html, NestingLimit.Apply(html));
    }

    [Theory, MemberData(nameof(DeepNesting))]
    public void Deep_nesting_is_capped_in_both_sanitizer_paths(string open, int times)
    {
        var html = string.Concat(Enumerable.Repeat(open, times)) + "deep text";
        foreach (var sanitized in new[] { ContentSanitizer.Sanitize(html, null), ContentSanitizer.SanitizeWithParser(html, null) })
        {
            Assert.Contains("deep text", sanitized, StringComparison.Ordinal);
            Assert.True(MaxDepth(sanitized) <= NestingLimit.MaxDepth + 8, $"depth {MaxDepth(sanitized)}");
        }
    }

    [Fact]
    public void Deep_nesting_escaped_in_an_rss_description_is_capped()
    {
        var html = string.Concat(Enumerable.Repeat("<b><i>", 50_000)) + "x";
        var document = $"""<rss version="2.0"><channel><item><description>{System.Net.WebUtility.HtmlEncode(html)}</description></item></channel></rss>""";
        var summary = Documents.Parse(document).Entries[0].SummaryHtml!;
        Assert.True(MaxDepth(summary) <= NestingLimit.MaxDepth + 8);
        Assert.EndsWith("x" + string.Concat(Enumerable.Repeat("</i></b>", NestingLimit.MaxDepth / 2)), summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_long_posts_are_not_touched_by_the_nesting_cap()
    {
        var html = string.Concat(Enumerable.Range(0, 2_000).Select(i => $"<p>Paragraph {i}<ul><li>a<li>b</ul><dl><dt>t<dd>d</dl><table><tr><td>c<td>d<tr><td>e</table><p>more<br>text"));
        Assert.Same(html, NestingLimit.Apply(html));
        var closed = string.Concat(Enumerable.Range(0, 2_000).Select(i => $"<div><p><b>{i}</b></p></div>"));
        Assert.Same(closed, NestingLimit.Apply(closed));
    }

    /// <summary>The deepest element nesting of serialized HTML (void elements counted as closed).</summary>
    private static int MaxDepth(string html)
    {
        var depth = 0;
        var max = 0;
        for (var i = 0; i < html.Length - 1; i++)
        {
            if (html[i] != '<')
            {
                continue;
            }
            if (html[i + 1] == '/')
            {
                depth--;
            }
            else if (char.IsAsciiLetter(html[i + 1]))
            {
                var end = html.IndexOf('>', i);
                var name = html[(i + 1)..end].Split(' ', '/')[0];
                if (name is not ("br" or "img" or "hr" or "wbr" or "source" or "track" or "col") && html[end - 1] != '/')
                {
                    depth++;
                    max = Math.Max(max, depth);
                }
            }
        }
        return max;
    }
}
