namespace Feedstand.Feeds.Checking;

/// <summary>One hop of a redirect chain.</summary>
public sealed record RedirectHop(int Status, string From, string To);

/// <summary>How the feed was served, from the fetcher's records (the HTTP section).</summary>
public sealed record HttpFacts
{
    public required string RequestedUrl { get; init; }
    public required string FinalUrl { get; init; }
    public int? Status { get; init; }
    public IReadOnlyList<RedirectHop> Redirects { get; init; } = [];
    public string? ContentType { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public string? CacheControl { get; init; }

    /// <summary>The status of a second, conditional request with the validators of the first; null when none was made.</summary>
    public int? ConditionalStatus { get; init; }

    public double? TimeToFirstByteMs { get; init; }
    public long? BodyBytes { get; init; }
    public long? WireBytes { get; init; }
    public int? ItemCount { get; init; }
    public double? RetryAfterSeconds { get; init; }
    public string? Error { get; init; }
    public bool IsHttps => FinalUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What the report tells readers' side: full text, images, what the sanitizer removed (the readers section).</summary>
public sealed record ReaderFacts
{
    public int Items { get; init; }
    public int FullTextItems { get; init; }
    public int Images { get; init; }
    public int RelativeImages { get; init; }
    public int LazyImages { get; init; }
    public int TrackingPixels { get; init; }
    public int DuplicateItems { get; init; }
    public int RemovedBySanitizer { get; init; }
}

/// <summary>The feed's history in the directory (the rhythm section), from stored data only.</summary>
public sealed record RhythmFacts
{
    public DateTimeOffset? LastPost { get; init; }
    public double? PostsPerWeek { get; init; }
    public TimeSpan? PollInterval { get; init; }
    public double? SuccessRate30Days { get; init; }
    public double? SuccessRate90Days { get; init; }
    public IReadOnlyList<ScorePoint> Scores { get; init; } = [];
}

public sealed record ScorePoint(DateTimeOffset At, int Score);

/// <summary>What the site's home page says about the feed (the discovery section).</summary>
public sealed record DiscoveryFacts
{
    public string? SiteUrl { get; init; }

    /// <summary>Feed URLs the home page advertises with link rel="alternate"; null when the page could not be read.</summary>
    public IReadOnlyList<string>? AdvertisedFeeds { get; init; }

    public bool HasSiteIcon { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
}
