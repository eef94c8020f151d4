namespace Feedstand.Pages.Feeds;

/// <summary>What a preview page shows, whether the feed is listed or fetched live.</summary>
public sealed class FeedPageView
{
    public required string Title { get; init; }
    public string? Description { get; init; }
    public string? IconUrl { get; init; }
    public string? SiteUrl { get; init; }
    public required string FeedUrl { get; init; }

    /// <summary>The listing's slug; null for a live preview.</summary>
    public string? Slug { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Language { get; init; }
    public DateTimeOffset? LastUpdated { get; init; }
    public TimeSpan? PostInterval { get; init; }
    public FeedHealthView? Health { get; init; }
    public required IReadOnlyList<EntryView> Entries { get; init; }
    public int Page { get; init; } = 1;
    public bool HasOlder { get; init; }
}

/// <param name="FullTextFrom">The page the full text shown in <paramref name="Html"/> was fetched from; null when the feed's own text is shown.</param>
public sealed record EntryView(string? Title, string? Link, DateTimeOffset? Date, string? Html, string? FullTextFrom = null);

public sealed record FeedHealthView(DateTimeOffset? LastFetchAt, DateTimeOffset? LastSuccessAt, int? LastStatus, int ConsecutiveErrors, string? LastError);
