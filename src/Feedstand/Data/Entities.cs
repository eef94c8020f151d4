using System.Linq.Expressions;

namespace Feedstand.Data;

public enum FeedStatus
{
    Pending = 0,
    Active = 1,
    Rejected = 2,
    Retired = 3,
}

/// <summary>A listed (or submitted) feed. Admin overrides win over what refreshes find.</summary>
public sealed class Feed
{
    public long Id { get; set; }
    public required string Slug { get; set; }
    public required string FeedUrl { get; set; }
    public string? SiteUrl { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? IconUrl { get; set; }
    public string? Language { get; set; }
    public FeedStatus Status { get; set; } = FeedStatus.Active;

    /// <summary>Set by an admin; a refresh never overwrites these.</summary>
    public string? TitleOverride { get; set; }
    public string? DescriptionOverride { get; set; }
    public string? IconUrlOverride { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Published date of the newest entry, for "recently updated" ordering.</summary>
    public DateTimeOffset? LastEntryAt { get; set; }

    public List<Tag> Tags { get; set; } = [];
    public List<Entry> Entries { get; set; } = [];
    public FetchState? FetchState { get; set; }

    /// <summary>Visitors' subscriptions per day and reader-reported subscribers (Discovery).</summary>
    public List<SubscriptionCount> SubscriptionCounts { get; set; } = [];
    public List<ReaderSubscribers> ReaderSubscribers { get; set; } = [];

    // What pages show: the admin's override, else what the feed says (the title falls back to the URL).
    // Written once, as expressions: in memory through the compiled delegates below, and inside
    // queries (where, order by, select) through DisplayFieldsInQueries, which puts the expression
    // in place of the property so SQLite and PostgreSQL run it as COALESCE(...).
    public static readonly Expression<Func<Feed, string>> DisplayTitleExpression = f => f.TitleOverride ?? f.Title ?? f.FeedUrl;
    public static readonly Expression<Func<Feed, string?>> DisplayDescriptionExpression = f => f.DescriptionOverride ?? f.Description;
    public static readonly Expression<Func<Feed, string?>> DisplayIconUrlExpression = f => f.IconUrlOverride ?? f.IconUrl;

    private static readonly Func<Feed, string> DisplayTitleOf = DisplayTitleExpression.Compile();
    private static readonly Func<Feed, string?> DisplayDescriptionOf = DisplayDescriptionExpression.Compile();
    private static readonly Func<Feed, string?> DisplayIconUrlOf = DisplayIconUrlExpression.Compile();

    public string DisplayTitle => DisplayTitleOf(this);
    public string? DisplayDescription => DisplayDescriptionOf(this);
    public string? DisplayIconUrl => DisplayIconUrlOf(this);
}

public sealed class Tag
{
    public long Id { get; set; }

    /// <summary>Lower-case, URL-safe: "rust", "machine-learning".</summary>
    public required string Name { get; set; }

    public List<Feed> Feeds { get; set; } = [];
}

/// <summary>One post of a feed; HTML is sanitized before it is stored.</summary>
public sealed class Entry
{
    public long Id { get; set; }
    public long FeedId { get; set; }
    public Feed? Feed { get; set; }

    /// <summary>The dedupe key: the guid, else the link, else a hash of title and date.</summary>
    public required string Key { get; set; }
    public string? Link { get; set; }
    public string? Title { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public List<string> Authors { get; set; } = [];
    public List<string> Categories { get; set; } = [];
    public List<EntryEnclosure> Enclosures { get; set; } = [];
    public string? SummaryHtml { get; set; }
    public string? ContentHtml { get; set; }
    public string? ImageUrl { get; set; }
    public string? CommentsUrl { get; set; }

    /// <summary>Plain text of the title-less body (summary or content), capped, for full-text search.</summary>
    public string? SearchText { get; set; }

    /// <summary>Hash of title, link, dates and HTML: an edited post is updated in place.</summary>
    public required string ContentHash { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>PublishedAt, else FirstSeenAt: what "newest first" sorts by.</summary>
    public DateTimeOffset SortDate { get; set; }
}

public sealed class EntryEnclosure
{
    public required string Url { get; set; }
    public string? Type { get; set; }
    public long? Length { get; set; }
}

/// <summary>How and when a feed was last fetched, and when it is next due.</summary>
public sealed class FetchState
{
    public long FeedId { get; set; }
    public Feed? Feed { get; set; }
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public DateTimeOffset? LastFetchAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public DateTimeOffset NextFetchAt { get; set; }
    public int? LastStatus { get; set; }
    public int ConsecutiveErrors { get; set; }

    /// <summary>A readable message: "timed out after 30 s", "response larger than 10 MB"...</summary>
    public string? LastError { get; set; }
    public string? LastErrorKind { get; set; }
    public long? LastBytes { get; set; }

    /// <summary>Mean time between the feed's posts, from its entries' dates.</summary>
    public TimeSpan? AveragePostInterval { get; set; }

    /// <summary>The feed's own <c>ttl</c>, kept for polls answered with 304.</summary>
    public TimeSpan? Ttl { get; set; }

    /// <summary>The WebSub hub the last fetch named (Link header first, then the document); null when none.</summary>
    public string? WebSubHub { get; set; }

    /// <summary>The topic to subscribe to at <see cref="WebSubHub"/>: the feed's self URL, else its URL.</summary>
    public string? WebSubTopic { get; set; }

    /// <summary>Until when a verified WebSub subscription pushes this feed: polled only daily meanwhile.</summary>
    public DateTimeOffset? WebSubUntil { get; set; }

    /// <summary>A claim by one refresher node; expires so a crashed node's claims return.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
}

public sealed class AdminAccount
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string PasswordHash { get; set; }
    public int FailedLogins { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum SubmissionKind
{
    NewFeed = 0,
    Modify = 1,
}

public enum SubmissionStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}

/// <summary>A submitted site or a suggested edit to a listing, waiting for an admin.</summary>
public sealed class Submission
{
    public long Id { get; set; }
    public SubmissionKind Kind { get; set; }

    /// <summary>The listing a Modify suggestion is about.</summary>
    public long? FeedId { get; set; }
    public Feed? Feed { get; set; }
    public required string Url { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? IconUrl { get; set; }
    public string? Language { get; set; }
    public List<string> Tags { get; set; } = [];
    public string? Note { get; set; }
    public SubmissionStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
}
