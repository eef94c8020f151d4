using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Tests.Corpus;

/// <summary>
/// Every file of tests/data/corpus (real feed documents from the test suites of twelve
/// public feed projects, listed in MANIFEST.tsv): none crashes the parser, each gets the
/// format its manifest implies, and only the documents with no feed in them fail.
/// </summary>
public class CorpusTests
{
    public static TheoryData<string, string> ManifestRows()
    {
        var manifest = TestData.PathOf("corpus/MANIFEST.tsv");
        var rows = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(manifest).Skip(1))
        {
            var columns = line.Split('\t');
            rows.Add(columns[0], columns[5]);
        }
        return rows;
    }

    [Fact]
    public void Manifest_lists_every_corpus_file()
    {
        var listed = ManifestRows().Select(row => (string)row.Data.Item1).ToHashSet();
        var root = Path.Combine(TestData.Root, "corpus");
        var present = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => f != "MANIFEST.tsv")
            .ToHashSet();
        Assert.Equal(387, listed.Count);
        Assert.Empty(present.Except(listed));
        Assert.Empty(listed.Except(present));
    }

    [Theory, MemberData(nameof(ManifestRows))]
    public void Corpus_file_parses_to_the_format_its_manifest_implies(string file, string formatGuess)
    {
        var bytes = TestData.Bytes("corpus/" + file);
        var expected = ExpectedFormat(formatGuess);
        if (expected is null)
        {
            var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(bytes));
            Assert.StartsWith("not a feed", error.Message, StringComparison.Ordinal);
            return;
        }

        var feed = FeedParser.Parse(bytes, new FeedParseOptions { BaseUrl = "https://example.org/feed" });
        Assert.StartsWith(expected, feed.Format.Label(), StringComparison.Ordinal);
        Assert.All(feed.Entries, entry =>
        {
            AssertSafe(entry.SummaryHtml);
            AssertSafe(entry.ContentHtml);
        });
        // The JSON view of the model must always be writable.
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            FeedJson.Write(writer, feed, file);
        }
        Assert.True(stream.Length > 100);
    }

    /// <summary>The contract's format label (or its prefix) the manifest's guess implies; null for documents with no feed.</summary>
    private static string? ExpectedFormat(string guess) => guess switch
    {
        "rss-2.0" => "rss2.0",
        "rss (no version attr)" => "rss",
        "rss-0.90 (rdf)" => "rss0.90",
        "rss-0.91" => "rss0.91",
        "rss-0.92" => "rss0.92",
        "rss-0.93" => "rss0.93",
        "rss-0.94" => "rss0.94",
        "rss-1.0 (rdf)" => "rss1.0",
        "atom-0.3" => "atom0.3",
        "atom-1.0" or "atom-1.0 entry doc" => "atom1.0",
        "jsonfeed-1" => "jsonfeed1.0",
        "jsonfeed-1.1" => "jsonfeed1.1",
        "jsonfeed (version missing or not a URL)" => "jsonfeed",
        "rss-in-json (not JSON Feed)" => "rss2.0",
        "gzip-compressed" => "rss",
        // An Atom feed wrapped in an XHTML page: the feed inside is read.
        "other xml <html>" => "atom1.0",
        "json (not a feed)" or "empty" or "other xml <note>" or "other xml <head>" => null,
        _ => throw new InvalidOperationException($"Unknown format guess in MANIFEST.tsv: {guess}"),
    };

    private static readonly AngleSharp.Html.Parser.HtmlParser Html = new();

    private static void AssertSafe(string? html)
    {
        if (html is null)
        {
            return;
        }
        var document = Html.ParseDocument("<body>" + html);
        Assert.Empty(document.QuerySelectorAll("script, style, iframe:not([sandbox]), object, embed, form"));
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name} kept");
                Assert.False(attribute.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase), $"javascript: URL kept in {attribute.Name}");
            }
        }
    }

    public static TheoryData<string, string, string?, int, string?> HandChecked => new()
    {
        // file, format, feed title, entry count, first entry title — checked by reading the files.
        { "NetNewsWire/DaringFireball.atom", "atom1.0", "Daring Fireball", 48, "The Talk Show: ‘I Do Like Throwing a Baby’" },
        { "feedjira/TypePadNews.xml", "atom1.0", "Everything Typepad", 10, "Spotlight: Friday Favorites!" },
        { "laminas-feed/laut.de-rdf.xml", "rss1.0", "laut.de - news", 20, "Angelika Express: MySpace-Aus wegen Sido-Werbung" },
        { "laminas-feed/h-online.com-atom10.xml", "atom1.0", "The H - news feed", 60, "McAfee update brings systems down again" },
        { "rss-parser/giantbomb-podcast.rss", "rss2.0", "Giant Bombcast", 730, "Giant Bombcast 603: Call of Tuesday" },
        { "gofeed/version_json_11.json", "jsonfeed1.1", "title", 1, "title" },
        { "laminas-feed/rss20.xml", "rss2.0", null, 0, null },
    };

    [Theory, MemberData(nameof(HandChecked))]
    public void Hand_checked_feeds_have_their_titles_and_entries(string file, string format, string? title, int entries, string? firstEntryTitle)
    {
        var feed = FeedParser.Parse(TestData.Bytes("corpus/" + file));
        Assert.Equal(format, feed.Format.Label());
        Assert.Equal(title, feed.Title);
        Assert.Equal(entries, feed.Entries.Count);
        Assert.Equal(firstEntryTitle, feed.Entries.FirstOrDefault()?.Title);
    }

    [Fact]
    public void Gzip_compressed_corpus_file_is_decompressed_and_read()
    {
        var feed = FeedParser.Parse(TestData.Bytes("corpus/node-feedparser/compressed.xml"));
        Assert.StartsWith("rss", feed.Format.Label(), StringComparison.Ordinal);
        Assert.NotEmpty(feed.Entries);
    }

    [Fact]
    public void Truncated_json_feed_keeps_the_complete_items()
    {
        var feed = FeedParser.Parse(TestData.Bytes("corpus/NetNewsWire/allthis-partial.json"));
        Assert.False(feed.IsWellFormed);
        Assert.Equal("And now it’s all this", feed.Title);
        Assert.NotEmpty(feed.Entries);
        Assert.All(feed.Entries, e => Assert.NotNull(e.Link));
    }

    [Fact]
    public void Windows_1251_feed_is_decoded_from_its_declaration()
    {
        var bytes = TestData.Bytes("corpus/node-feedparser/compressed.xml");
        var feed = FeedParser.Parse(bytes);
        Assert.Equal("windows-1251", feed.Encoding);
        Assert.Equal("Новости Оренбурга и области / Раздел Новости", feed.Title);
    }
}
