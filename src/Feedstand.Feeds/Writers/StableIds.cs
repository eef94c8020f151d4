using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Writers;

/// <summary>
/// The ids the writers publish, the same in every format: the source's id when it is already an
/// absolute URI, else made one that stays the same on every write — an IRI escaped to a URI, a
/// relative id resolved against the feed's URL, else a <c>tag:</c> URI of the feed's host and the id
/// (entries with neither id nor link: of a hash of their title, date and text).
/// </summary>
internal static class StableIds
{
    /// <summary>The date part of the tag: URIs Feedstand mints; fixed, so an id never changes.</summary>
    private const string TagDate = "2026";

    public static string ForFeed(ParsedFeed feed)
    {
        var raw = feed.Id ?? feed.Self ?? feed.Link;
        return Make(raw, FeedUrl(feed), raw is null ? "feed" : null);
    }

    /// <summary>
    /// The ids of the feed's entries in order, each unique in the document: a later entry that
    /// repeats an id (sources do; a tag's feed mixes feeds) gets one minted from the id and a hash
    /// of its own text.
    /// </summary>
    public static List<string> ForEntries(ParsedFeed feed)
    {
        var ids = new List<string>(feed.Entries.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var feedUrl = FeedUrl(feed);
        foreach (var entry in feed.Entries)
        {
            var raw = Blank(entry.Id) ? entry.Link : entry.Id;
            var id = Make(raw, feedUrl, Blank(raw) ? "entry-" + Hash(entry) : null);
            for (var n = 2; !taken.Add(id); n++)
            {
                id = Make(null, feedUrl, (Blank(raw) ? "entry" : raw!.Trim()) + "#" + Hash(entry) + (n > 2 ? "-" + n.ToString(CultureInfo.InvariantCulture) : ""));
            }
            ids.Add(id);
        }
        return ids;
    }

    private static string Make(string? raw, string? feedUrl, string? minted)
    {
        if (minted is null && !Blank(raw))
        {
            var id = raw!.Trim();
            if (UriText.IsFull(id))
            {
                return id;
            }
            var escaped = UriText.Escape(id);
            if (UriText.IsFull(escaped))
            {
                return escaped;
            }
            if (!HasScheme(id) && feedUrl is not null && Uri.TryCreate(feedUrl, UriKind.Absolute, out var baseUri)
                && Uri.TryCreate(baseUri, id, out var resolved) && UriText.Full(UriText.Canonical(resolved)) is { } absolute)
            {
                return absolute;
            }
        }
        var authority = "feedstand.invalid";
        var path = "";
        if (feedUrl is not null && Uri.TryCreate(feedUrl, UriKind.Absolute, out var feedUri) && feedUri.IdnHost.Length > 0)
        {
            authority = feedUri.IdnHost.ToLowerInvariant().TrimEnd('.');
            path = Uri.UnescapeDataString(feedUri.AbsolutePath) + ":";
        }
        return "tag:" + authority + "," + TagDate + ":" + UriText.TagSpecific(path + (minted ?? raw!.Trim()));
    }

    private static string? FeedUrl(ParsedFeed feed)
    {
        foreach (var url in (ReadOnlySpan<string?>)[feed.Self, feed.Link])
        {
            if (url is not null && UriText.IsHttp(url))
            {
                return url;
            }
        }
        return null;
    }

    private static bool HasScheme(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1)
        {
            return false;
        }
        var stop = id.AsSpan().IndexOfAny('/', '?', '#');
        return stop < 0 || colon < stop;
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);

    private static string Hash(ParsedEntry entry)
    {
        var seed = string.Join('\n', entry.Title, entry.Published?.ToString("O", CultureInfo.InvariantCulture),
            entry.Updated?.ToString("O", CultureInfo.InvariantCulture), entry.ContentHtml ?? entry.SummaryHtml);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..20];
    }
}
