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

    /// <summary>Languages this feed is kept translated into: the language switch.</summary>
    public IReadOnlyList<string> Translations { get; init; } = [];

    /// <summary>Set on a translated page: into what, and from what.</summary>
    public TranslationView? Translation { get; init; }

    /// <summary>This month's subscriptions of a listed feed (null on live previews).</summary>
    public Discovery.SubscriptionTally? Subscriptions { get; init; }

    /// <summary>The closest feeds of the directory, best first.</summary>
    public IReadOnlyList<SimilarFeedView> Similar { get; init; } = [];
}

/// <param name="SharedTags">The tags it has in common with the feed shown.</param>
public sealed record SimilarFeedView(string Slug, string Title, string? Description, IReadOnlyList<string> SharedTags);

/// <param name="SourceLanguage">ISO 639-1 code of the original, when known.</param>
public sealed record TranslationView(string Language, string? SourceLanguage, bool Bilingual);

/// <param name="FullTextFrom">The page the full text shown in <paramref name="Html"/> was fetched from; null when the feed's own text is shown.</param>
public sealed record EntryView(string? Title, string? Link, DateTimeOffset? Date, string? Html, string? FullTextFrom = null)
{
    /// <summary>On a translated page: the translation is not finished, the original is shown.</summary>
    public bool IsTranslationPending { get; init; }
}

/// <param name="LastErrorKind">The <see cref="Crawling.FetchErrorKind"/> of the last failure, by name: what the page words in the reader's language.</param>
public sealed record FeedHealthView(
    DateTimeOffset? LastFetchAt, DateTimeOffset? LastSuccessAt, int? LastStatus, int ConsecutiveErrors, string? LastError,
    string? LastErrorKind = null, DateTimeOffset? NextFetchAt = null);
