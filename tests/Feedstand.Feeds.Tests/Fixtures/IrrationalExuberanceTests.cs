using AngleSharp.Html.Parser;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Tests.Fixtures;

/// <summary>
/// tests/data/fixtures/irrational-exuberance.rss, fetched from https://lethain.com/feeds/,
/// read exactly as a reader would show it.
/// </summary>
public class IrrationalExuberanceTests
{
    private static readonly ParsedFeed Feed = FeedParser.Parse(
        TestData.Bytes("fixtures/irrational-exuberance.rss"),
        new FeedParseOptions { BaseUrl = "https://lethain.com/feeds/" });

    [Fact]
    public void Feed_fields_are_read()
    {
        Assert.Equal(FeedFormat.Rss20, Feed.Format);
        Assert.True(Feed.IsWellFormed);
        Assert.Empty(Feed.Errors);
        Assert.Equal("utf-8", Feed.Encoding);
        Assert.Equal("Irrational Exuberance", Feed.Title);
        Assert.Equal("https://lethain.com/", Feed.Link);
        Assert.Equal("https://lethain.com/feeds/", Feed.Self);
        Assert.Equal(
            "By Will Larson. CTO at Carta, writes about software engineering and has authored several books including \"An Elegant Puzzle.\"",
            Feed.Subtitle);
        Assert.Equal("en-us", Feed.Language);
        Assert.Equal("Hugo", Feed.Generator);
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 19, 0, 0, TimeSpan.Zero), Feed.Updated);
    }

    [Fact]
    public void Six_entries_with_their_titles_links_and_utc_dates()
    {
        var expected = new (string Title, string Slug, string Date)[]
        {
            ("\"Good engineering management\" is a fad", "good-eng-mgmt-is-a-fad", "2025-10-26T19:00:00Z"),
            ("Crafting Engineering Strategy!", "crafting-engineering-strategy", "2025-10-25T19:00:00Z"),
            ("An agent to use Notion docs as prompts to comment on Notion docs.", "notion-agent", "2025-07-20T19:00:00Z"),
            ("Commenting on Notion docs via OpenAI and Zapier.", "commenting-notion-openai-zapier", "2025-07-20T19:00:00Z"),
            ("Moving from an orchestration-heavy to leadership-heavy management role.", "orchestration-heavy-leadership-heavy", "2025-07-19T19:00:00Z"),
            ("Advancing the industry, part two.", "advancing-the-industry-pt2", "2025-07-18T19:00:00Z"),
        };
        Assert.Equal(expected.Length, Feed.Entries.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var entry = Feed.Entries[i];
            var url = $"https://lethain.com/{expected[i].Slug}/";
            Assert.Equal(expected[i].Title, entry.Title);
            Assert.Equal(url, entry.Link);
            Assert.Equal(url, entry.Id);
            Assert.Equal(expected[i].Date, FeedJson.FormatDate(entry.Published!.Value));
            Assert.Equal(TimeSpan.Zero, entry.Published.Value.Offset);
            Assert.Null(entry.ContentHtml);
        }
    }

    [Fact]
    public void First_entry_keeps_lists_headings_and_the_image_with_its_absolute_url()
    {
        var html = new HtmlParser().ParseDocument("<body>" + Feed.Entries[0].SummaryHtml);
        Assert.Equal(2, html.QuerySelectorAll("ol > li").Length);
        Assert.Equal(2, html.QuerySelectorAll("ul > li").Length);
        Assert.Equal("Good leadership is a fad", html.QuerySelector("h2")?.TextContent);
        Assert.Contains("I’m spending my time", html.Body!.TextContent, StringComparison.Ordinal);

        var image = Assert.Single(html.QuerySelectorAll("img"));
        Assert.Equal("https://lethain.com/static/blog/2025/forty-year-career.png", image.GetAttribute("src"));
        Assert.Equal("Diagram of different ways to prioritize roles across your career", image.GetAttribute("alt"));
        Assert.Equal("lazy", image.GetAttribute("loading"));

        var link = Assert.Single(html.QuerySelectorAll("a"));
        Assert.Equal("https://lethain.com/forty-year-career/", link.GetAttribute("href"));
        Assert.Contains("noopener", link.GetAttribute("rel") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Second_entry_keeps_code_and_drops_the_script_and_the_onclick()
    {
        var summary = Feed.Entries[1].SummaryHtml!;
        var html = new HtmlParser().ParseDocument("<body>" + summary);
        Assert.Equal(
            "I want to make a frequently asked questions featuring topics from this book.\n",
            html.QuerySelector("pre > code")?.TextContent);
        Assert.Empty(html.QuerySelectorAll("script"));
        Assert.DoesNotContain("alert", summary, StringComparison.Ordinal);
        Assert.All(html.QuerySelectorAll("*"), element =>
            Assert.DoesNotContain(element.Attributes, attribute => attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(html.QuerySelectorAll("p"), p => p.TextContent == "Buy on Amazon.");
    }
}
