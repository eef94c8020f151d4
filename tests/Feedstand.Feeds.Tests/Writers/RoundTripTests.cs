using Feedstand.Feeds.Model;
using Feedstand.Feeds.Sanitizing;
using Feedstand.Feeds.Writers;

namespace Feedstand.Feeds.Tests.Writers;

/// <summary>
/// Every corpus feed parsed, written in each format and parsed again gives the same entries: ids
/// (the published ones), links, titles, dates (to the second) and content text.
/// </summary>
public class RoundTripTests
{
    public static TheoryData<string, string> CorpusFilesInEachFormat()
    {
        var rows = new TheoryData<string, string>();
        foreach (var row in RepublishedCorpus.Files("corpus/MANIFEST.tsv", "corpus"))
        {
            foreach (var format in new[] { "atom", "rss", "json" })
            {
                rows.Add((string)row.Data, format);
            }
        }
        return rows;
    }

    [Theory, MemberData(nameof(CorpusFilesInEachFormat))]
    public void Corpus_feed_written_and_parsed_again_has_the_same_entries(string path, string format)
    {
        var source = RepublishedCorpus.Parse(path);
        if (source is null)
        {
            Assert.Null(RepublishedCorpus.Parse(path)); // a document with no feed stays one
            return;
        }
        var written = RepublishedCorpus.Write(source, format);
        var again = FeedParser.Parse(written);
        Assert.True(again.IsWellFormed, string.Join("; ", again.Errors));
        Assert.Equal(source.Entries.Count, again.Entries.Count);
        var ids = StableIds.ForEntries(source);
        for (var i = 0; i < source.Entries.Count; i++)
        {
            var before = source.Entries[i];
            var after = again.Entries[i];
            var where = $"{format} entry {i}";
            Assert.True(ids[i] == after.Id, $"{where} id: {ids[i]} != {after.Id}");
            // Compared escaped: the writers escape IRIs to URIs, the parser gives IRIs back unescaped.
            Assert.True(ExpectedLink(before.Link, format) == ExpectedLink(after.Link, format), $"{where} link: {before.Link} -> {after.Link}");
            Assert.True(ExpectedTitle(before, format) == after.Title, $"{where} title: {before.Title} -> {after.Title}");
            Assert.True(Second(before.Published ?? (format == "rss" ? before.Updated : null)) == Second(after.Published), $"{where} published: {before.Published} -> {after.Published}");
            if (format != "rss" && before.Updated is { } updated)
            {
                Assert.True(Second(updated) == Second(after.Updated), $"{where} updated: {updated} -> {after.Updated}");
            }
            var text = PlainText.FromHtml(Content(before));
            if (text is not null)
            {
                Assert.True(text == PlainText.FromHtml(Content(after)), $"{where} content: {text} -> {PlainText.FromHtml(Content(after))}");
            }
        }
    }

    private static string? Content(ParsedEntry entry) =>
        string.IsNullOrWhiteSpace(entry.ContentHtml) ? entry.SummaryHtml : entry.ContentHtml;

    private static string? ExpectedLink(string? link, string format) =>
        format == "atom" ? UriText.Reference(link) : UriText.Full(link);

    private static string? ExpectedTitle(ParsedEntry entry, string format)
    {
        var title = string.IsNullOrWhiteSpace(entry.Title) ? null : entry.Title.Trim();
        return format switch
        {
            "atom" => XmlText.EntryTitle(entry),
            "rss" => title ?? (string.IsNullOrWhiteSpace(entry.SummaryHtml ?? entry.ContentHtml) ? XmlText.EntryTitle(entry) : null),
            _ => title,
        };
    }

    private static DateTimeOffset? Second(DateTimeOffset? date) => date is { } d ? XmlText.Seconds(d) : null;
}
