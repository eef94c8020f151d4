using System.Collections.Frozen;
using System.ServiceModel.Syndication;
using System.Xml;
using CodeHollow.FeedReader;

namespace Feedstand.Bench;

/// <summary>
/// The parsers Feedstand is measured against. Each reads one whole document from its bytes
/// and returns a number that depends on everything it read, so no work can be optimized away;
/// a document it cannot read makes it throw.
/// </summary>
internal static class Peers
{
    public static FrozenDictionary<string, Func<byte[], long>> All { get; } = new Dictionary<string, Func<byte[], long>>
    {
        ["xmlreader"] = ReadEveryNode,
        ["syndication"] = LoadSyndicationFeed,
        ["codehollow"] = ReadCodeHollowFeed,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // DTDs are skipped, never processed, like Feedstand does; the default (Prohibit) would fail
    // every feed with a DOCTYPE (RSS 0.91) and make the peers look worse than they are.
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = false,
        IgnoreWhitespace = false,
        CloseInput = true,
    };

    /// <summary>
    /// The bare pass: an <see cref="XmlReader"/> reads every node and touches the value of every
    /// text node and attribute, building nothing. No parser on XmlReader can be faster.
    /// JSON, gzip and documents that are not well-formed throw.
    /// </summary>
    private static long ReadEveryNode(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), Settings);
        long length = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    length += reader.LocalName.Length;
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            length += reader.Value.Length;
                        }
                        while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    length += reader.Value.Length;
                    break;
                default:
                    break;
            }
        }
        return length;
    }

    /// <summary>System.ServiceModel.Syndication: the feed and every item's title, summary and content.</summary>
    private static long LoadSyndicationFeed(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), Settings);
        var feed = SyndicationFeed.Load(reader);
        long length = feed.Title?.Text.Length ?? 0;
        foreach (var item in feed.Items)
        {
            length += item.Title?.Text.Length ?? 0;
            length += item.Summary?.Text.Length ?? 0;
            length += item.Content switch
            {
                TextSyndicationContent text => text.Text.Length,
                UrlSyndicationContent url => url.Url.OriginalString.Length,
                XmlSyndicationContent xml => xml.Type.Length,
                null => 0,
                _ => 1,
            };
            length += item.Links.Count + item.PublishDate.Ticks % 7;
        }
        return length;
    }

    /// <summary>CodeHollow.FeedReader (XDocument inside): the feed and every item.</summary>
    private static long ReadCodeHollowFeed(byte[] bytes)
    {
        var feed = FeedReader.ReadFromByteArray(bytes);
        long length = feed.Title?.Length ?? 0;
        foreach (var item in feed.Items)
        {
            length += item.Title?.Length ?? 0;
            length += item.Link?.Length ?? 0;
            length += item.Description?.Length ?? 0;
            length += item.Content?.Length ?? 0;
            length += item.Author?.Length ?? 0;
            length += item.Id?.Length ?? 0;
            length += item.PublishingDate?.Ticks % 7 ?? 0;
        }
        return length;
    }
}
