using Feedstand.Feeds.Model;
using Feedstand.Feeds.Writers;

namespace Feedstand.Feeds.Tests.Writers;

/// <summary>The corpus feeds as Feedstand re-publishes them: parsed, given our own self URL, written.</summary>
internal static class RepublishedCorpus
{
    /// <summary>The clock the checker judges dates by: after every date in the corpus and seed snapshot.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>When the store last saw the feed change, for feeds with no date of their own.</summary>
    public static readonly DateTimeOffset LastSeen = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Files(string manifest, string folder)
    {
        var rows = new TheoryData<string>();
        foreach (var line in File.ReadLines(TestData.PathOf(manifest)).Skip(1))
        {
            var file = line.Split('\t')[0];
            if (file.Length > 0 && File.Exists(Path.Combine(TestData.Root, folder, file)))
            {
                rows.Add(folder + "/" + file);
            }
        }
        return rows;
    }

    /// <summary>The feed in the file, or null for the corpus's documents that hold no feed.</summary>
    public static ParsedFeed? Parse(string path)
    {
        try
        {
            return FeedParser.Parse(TestData.Bytes(path), new FeedParseOptions { BaseUrl = "https://example.org/feed" });
        }
        catch (FeedParseException)
        {
            return null;
        }
    }

    public static void Republish(ParsedFeed feed, string format) => feed.Self = "https://feedstand.example/feeds/corpus/" + format;

    public static byte[] Write(ParsedFeed feed, string format)
    {
        Republish(feed, format);
        var options = new FeedWriteOptions { Updated = LastSeen };
        using var output = new MemoryStream();
        switch (format)
        {
            case "atom":
                AtomWriter.Write(feed, output, options);
                break;
            case "rss":
                RssWriter.Write(feed, output, options);
                break;
            default:
                JsonFeedWriter.Write(feed, output, options);
                break;
        }
        return output.ToArray();
    }
}
