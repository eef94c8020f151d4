using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Feedstand.Feeds.Extraction;

namespace Feedstand.Feeds.Tests.Extraction;

public sealed partial class ArticleExtractorTests
{
    private static readonly Uri PageUrl = new("https://blog.example/2026/01/flood.html");

    private const string Story =
        "<p>The river rose overnight and the town woke to water in the streets, so the neighbours carried sandbags from the old mill to the square.</p>" +
        "<p>They waited for the rain to stop, which it did only on the third day, when the sun came out over the hills and the water went down slowly.</p>" +
        "<p>By the end of the week the shops had opened again, the school had dried its floors and the mill was grinding flour as if nothing had happened.</p>";

    public static TheoryData<string, string, string> Pages => new()
    {
        {
            "share bars, related posts and newsletter boxes go",
            $$"""
            <html><head><title>Flood | Blog</title></head><body>
            <nav><a href="/">Home</a></nav>
            <article><h1>Flood</h1><div class="social-share"><a href="https://x.example/share">Share on X</a></div>{{Story}}
            <div class="newsletter-signup"><p>Get the newsletter every week in your inbox, it is free and you can leave at any time you like.</p></div></article>
            <section class="related-posts"><h2>Related</h2><ul><li><a href="/a">Another flood</a></li><li><a href="/b">The old mill</a></li></ul></section>
            </body></html>
            """,
            "Share on X|newsletter|Another flood"
        },
        {
            "comment counts and date lines go",
            $$"""
            <html><body><main><div class="post"><p>Posted: Fri 6:45 PM, Feb 16, 2018</p>{{Story}}<div class="comment-count"><a href="#c">12 comments</a></div></div></main></body></html>
            """,
            "Posted|12 comments"
        },
        {
            "scripts, styles and event handlers go",
            $$"""
            <html><body><article>{{Story}}<script>alert(1)</script><p onclick="steal()">Clicking does nothing at all here, this paragraph only says so in enough words.</p><style>p{}</style></article></body></html>
            """,
            "alert(1)|steal()|p{}"
        },
    };

    [Theory, MemberData(nameof(Pages))]
    public void The_story_stays_and_the_furniture_goes(string why, string page, string gone)
    {
        var article = ArticleExtractor.Extract(page, PageUrl);

        Assert.Contains("the neighbours carried sandbags", article.Text, StringComparison.Ordinal);
        Assert.Contains("grinding flour as if nothing had happened.", article.Text, StringComparison.Ordinal);
        foreach (var word in gone.Split('|'))
        {
            Assert.False(article.ContentHtml.Contains(word, StringComparison.Ordinal), $"{why}: {word} is still in {article.ContentHtml}");
        }
    }

    [Fact]
    public void Links_and_images_are_made_absolute_and_the_metadata_is_read()
    {
        var page = $$"""
            <html><head><title>Flood | Blog</title><meta property="og:title" content="Flood">
            <meta name="author" content="Jane Doe"><meta property="article:published_time" content="2026-01-10T08:00:00+01:00"></head>
            <body><article>{{Story}}<p><img src="../img/river.jpg" alt="The river"> See <a href="/mill">the mill</a> for more about how the mill works today.</p></article></body></html>
            """;

        var article = ArticleExtractor.Extract(page, PageUrl);

        Assert.Equal("Flood", article.Title);
        Assert.Equal("Jane Doe", article.Byline);
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 7, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Contains("src=\"https://blog.example/2026/img/river.jpg\"", article.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"https://blog.example/mill\"", article.ContentHtml, StringComparison.Ordinal);
        Assert.Equal(PageUrl.AbsoluteUri, article.Url);
    }

    [Fact]
    public void A_css_selector_wins_over_the_heuristics_and_a_bad_one_is_ignored()
    {
        var page = $"<html><body><article>{Story}</article><div class=\"postscript\"><p>Only this short note.</p></div></body></html>";

        var selected = ArticleExtractor.Extract(page, PageUrl, new ExtractionOptions { CssSelector = "div.postscript" });
        var invalid = ArticleExtractor.Extract(page, PageUrl, new ExtractionOptions { CssSelector = "div[[" });

        Assert.Equal("Only this short note.", selected.Text);
        Assert.Contains("the neighbours carried sandbags", invalid.Text, StringComparison.Ordinal);
        Assert.True(ArticleExtractor.IsValidSelector("article .post-body > p"));
        Assert.False(ArticleExtractor.IsValidSelector("div[["));
    }

    [Fact]
    public void Legacy_encodings_are_decoded_from_the_meta_charset()
    {
        var html = $"<html><head><meta charset=\"windows-1252\"></head><body><article><p>Caf\u00e9 cr\u00e8me.</p>{Story}</article></body></html>";
        var bytes = System.Text.Encoding.Latin1.GetBytes(html);

        var article = ArticleExtractor.Extract(bytes, PageUrl);

        Assert.Contains("Café crème.", article.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string> BenchmarkPages()
    {
        var data = new TheoryData<string>();
        using var truth = JsonDocument.Parse(TestData.Bytes("fulltext/ground-truth.json"));
        foreach (var page in truth.RootElement.EnumerateObject())
        {
            data.Add(page.Name);
        }
        return data;
    }

    /// <summary>Pages of the Article Extraction Benchmark (tests/data/fulltext), scored as score.py scores them.</summary>
    [Theory, MemberData(nameof(BenchmarkPages))]
    public void Benchmark_pages_match_their_ground_truth(string key)
    {
        using var truth = JsonDocument.Parse(TestData.Bytes("fulltext/ground-truth.json"));
        var expected = truth.RootElement.GetProperty(key);
        using var gzip = new GZipStream(File.OpenRead(TestData.PathOf($"fulltext/{key}.html.gz")), CompressionMode.Decompress);
        using var html = new MemoryStream();
        gzip.CopyTo(html);

        var article = ArticleExtractor.Extract(html.ToArray(), new Uri(expected.GetProperty("url").GetString()!));

        var f1 = F1(expected.GetProperty("articleBody").GetString()!, article.Text);
        Assert.True(f1 >= 0.9, $"F1 {f1:0.000} on {key}");
    }

    /// <summary>F1 over word 4-gram shingles, counted with multiplicity (score.py).</summary>
    private static double F1(string expected, string actual)
    {
        var truth = Shingles(expected);
        var found = Shingles(actual);
        var matched = 0;
        foreach (var (shingle, count) in truth)
        {
            matched += Math.Min(count, found.GetValueOrDefault(shingle));
        }
        var precision = found.Values.Sum() == 0 ? 0 : (double)matched / found.Values.Sum();
        var recall = (double)matched / truth.Values.Sum();
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static Dictionary<string, int> Shingles(string text)
    {
        var words = Word().Matches(text).Select(m => m.Value).ToList();
        var shingles = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + 4 <= words.Count; i++)
        {
            var key = string.Join(' ', words.GetRange(i, 4));
            shingles[key] = shingles.GetValueOrDefault(key) + 1;
        }
        return shingles;
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();
}
