using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Tests.Writers;

/// <summary>
/// Every corpus feed and every feed of the starter directory's offline snapshot, re-published in
/// Atom 1.0 and RSS 2.0, gets no message from the validator-like checker except those the source
/// causes: the allowed video embeds (<c>SecurityRisk</c> on iframe/video/audio), a source id kept
/// as it is although not in canonical form, and plain text that itself holds an HTML end tag.
/// </summary>
public class ValidatorCleanTests
{
    public static TheoryData<string> CorpusFiles() => RepublishedCorpus.Files("corpus/MANIFEST.tsv", "corpus");

    public static TheoryData<string> SeedFiles() => RepublishedCorpus.Files("seed/MANIFEST.tsv", "seed");

    [Theory, MemberData(nameof(CorpusFiles))]
    public void Corpus_feed_republished_has_only_findings_its_source_causes(string path) => AssertClean(path);

    [Theory, MemberData(nameof(SeedFiles))]
    public void Seed_snapshot_feed_republished_has_only_findings_its_source_causes(string path) => AssertClean(path);

    private static void AssertClean(string path)
    {
        var source = RepublishedCorpus.Parse(path);
        if (source is null)
        {
            Assert.StartsWith("corpus/", path, StringComparison.Ordinal); // only the corpus holds documents with no feed
            return;
        }
        foreach (var format in new[] { "atom", "rss" })
        {
            var written = RepublishedCorpus.Write(RepublishedCorpus.Parse(path)!, format);
            var findings = FeedChecker.Check(written, RepublishedCorpus.Now);
            var ours = findings.Where(f => !IsCausedBySource(f, source)).ToList();
            Assert.True(ours.Count == 0, format + ": " + string.Join("; ", ours));
        }
    }

    private static bool IsCausedBySource(Finding finding, ParsedFeed source) => finding.Id switch
    {
        "SecurityRisk" or "SecurityRiskAttr" => finding.Where.Contains("<iframe", StringComparison.Ordinal)
            || finding.Where.Contains("<video", StringComparison.Ordinal) || finding.Where.Contains("<audio", StringComparison.Ordinal),
        "NonCanonicalURI" => SourceIds(source).Contains(finding.Where[(finding.Where.IndexOf(" = ", StringComparison.Ordinal) + 3)..]),
        "ContainsHTML" => finding.Where.Contains("(end tag </", StringComparison.Ordinal),
        _ => false,
    };

    private static HashSet<string> SourceIds(ParsedFeed source)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in new[] { source.Id, source.Self, source.Link })
        {
            if (id is not null)
            {
                ids.Add(id);
            }
        }
        foreach (var entry in source.Entries)
        {
            if (entry.Id is not null)
            {
                ids.Add(entry.Id);
            }
            if (entry.Link is not null)
            {
                ids.Add(entry.Link);
            }
        }
        return ids;
    }
}
