using System.Globalization;
using Feedstand.Feeds.Markdown;

namespace Feedstand.Feeds.Tests.Markdown;

/// <summary>
/// Every entry of the corpus (tests/data/corpus, its sanitized content as stored) to Markdown and
/// back through Markdig: at least 99% of the visible words survive in order (longest common
/// subsequence, over the whole corpus), and every link href and image src is kept.
/// </summary>
public class CorpusMarkdownTests(ITestOutputHelper output)
{
    public const double MinimumWordsKept = 0.99;

    [Fact]
    public void Corpus_content_survives_the_round_trip_through_markdown()
    {
        var files = Corpus.CorpusTests.ManifestRows().Select(row => (string)row.Data.Item1).ToList();
        Assert.Equal(387, files.Count);
        long words = 0, kept = 0;
        var entries = 0;
        var lostTargets = new List<string>();
        var worst = new List<(string Where, double Share)>();
        foreach (var file in files)
        {
            Model.ParsedFeed feed;
            try
            {
                feed = FeedParser.Parse(TestData.Bytes("corpus/" + file), new FeedParseOptions { BaseUrl = "https://example.org/feed" });
            }
            catch (FeedParseException)
            {
                continue; // the documents with no feed in them (CorpusTests checks which)
            }
            for (var i = 0; i < feed.Entries.Count; i++)
            {
                var html = feed.Entries[i].ContentHtml ?? feed.Entries[i].SummaryHtml;
                if (string.IsNullOrWhiteSpace(html))
                {
                    continue;
                }
                entries++;
                var back = MarkdownRoundTrip.ToHtml(HtmlToMarkdown.Convert(html, headingOffset: 2));
                var original = MarkdownRoundTrip.Words(html);
                var common = MarkdownRoundTrip.CommonWords(original, MarkdownRoundTrip.Words(back));
                words += original.Count;
                kept += common;
                if (common < original.Count)
                {
                    worst.Add(($"{file} entry {i}", (double)common / original.Count));
                }
                var targets = MarkdownRoundTrip.Targets(back).ToHashSet(StringComparer.Ordinal);
                foreach (var target in MarkdownRoundTrip.Targets(html))
                {
                    if (!targets.Contains(target))
                    {
                        lostTargets.Add($"{file} entry {i}: {target}");
                    }
                }
            }
        }

        var share = words == 0 ? 0 : (double)kept / words;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"markdown round trip: {entries} entries, {words} words, {kept} kept in order ({share:P3}); {lostTargets.Count} links or images lost"));
        foreach (var (where, part) in worst.OrderBy(w => w.Share).Take(10))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {where}: {part:P1}"));
        }
        Assert.True(entries > 500, $"only {entries} entries with content in the corpus");
        Assert.True(share >= MinimumWordsKept, $"{share:P3} of the words survived");
        Assert.Empty(lostTargets);
    }
}
