using Feedstand.Data;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Feeds;

/// <summary>What a preview page shows, whether the feed is listed or fetched live.</summary>
public sealed record FeedPageView
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

/// <summary>A listed feed's facts as its pages show them (<c>/feeds/{slug}</c> and its translations).</summary>
public sealed record ListedFeedView(
    long Id, string Slug, string FeedUrl, string? SiteUrl, string Title, string? Description, string? IconUrl, string? Language,
    DateTimeOffset? LastEntryAt, IReadOnlyList<string> Tags, FeedHealthView? Health, TimeSpan? PostInterval)
{
    /// <summary>The active or retired feed with this slug, in one query; null when there is none.</summary>
    public static Task<ListedFeedView?> FindAsync(FeedstandDb db, string slug, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Feeds.AsNoTracking()
            .Where(f => f.Slug == slug && (f.Status == FeedStatus.Active || f.Status == FeedStatus.Retired))
            .Select(f => new ListedFeedView(
                f.Id, f.Slug, f.FeedUrl, f.SiteUrl, f.DisplayTitle, f.DisplayDescription, f.DisplayIconUrl, f.Language, f.LastEntryAt,
                f.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
                f.FetchState == null ? null : new FeedHealthView(
                    f.FetchState.LastFetchAt, f.FetchState.LastSuccessAt, f.FetchState.LastStatus,
                    f.FetchState.ConsecutiveErrors, f.FetchState.LastError, f.FetchState.LastErrorKind, f.FetchState.NextFetchAt),
                f.FetchState == null ? null : f.FetchState.AveragePostInterval))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>The page: these facts above one page of <paramref name="entries"/>.</summary>
    public FeedPageView ToPageView(IReadOnlyList<EntryView> entries, int page, bool hasOlder, IReadOnlyList<string> translations) => new()
    {
        Title = Title,
        Description = Description,
        IconUrl = IconUrl,
        SiteUrl = SiteUrl,
        FeedUrl = FeedUrl,
        Slug = Slug,
        Tags = Tags,
        Language = Language,
        LastUpdated = LastEntryAt,
        PostInterval = PostInterval,
        Health = Health,
        Entries = entries,
        Page = page,
        HasOlder = hasOlder,
        Translations = translations,
    };
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
