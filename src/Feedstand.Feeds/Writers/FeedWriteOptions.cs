using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Writers;

/// <summary>What a writer needs beyond the feed: when it last changed and its place among archive pages.</summary>
public sealed class FeedWriteOptions
{
    public static FeedWriteOptions Default { get; } = new();

    /// <summary>
    /// The last time the feed changed as the caller saw it (a store: its newest entry or when it was
    /// listed). The feed's <c>updated</c> / <c>lastBuildDate</c> is the newest of this, the feed's own
    /// date and its entries' dates; when none is known the writing time is used, never 1970.
    /// </summary>
    public DateTimeOffset? Updated { get; init; }

    /// <summary>
    /// RFC 5005 links written at feed level: rel <c>current</c>, <c>first</c>, <c>last</c>,
    /// <c>next</c>, <c>previous</c>, <c>prev-archive</c>, <c>next-archive</c>. JSON Feed takes the
    /// <c>next</c> (else <c>prev-archive</c>) one as <c>next_url</c>.
    /// </summary>
    public IReadOnlyList<FeedLink> PagingLinks { get; init; } = [];

    /// <summary>An RFC 5005 archive document: written with <c>fh:archive</c> (Atom and RSS).</summary>
    public bool IsArchive { get; init; }
}
