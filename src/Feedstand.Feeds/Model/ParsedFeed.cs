namespace Feedstand.Feeds.Model;

/// <summary>
/// A feed after decoding, parsing, normalizing and sanitizing: the model of
/// <c>contracts/feed-json.md</c>. Plain-text fields are plain text, URLs are absolute
/// where a base was known, dates are UTC, HTML is safe to embed.
/// </summary>
public sealed class ParsedFeed
{
    public FeedFormat Format { get; set; } = FeedFormat.Unknown;

    /// <summary>False when the document needed recovery (broken XML, bad entities, wrong encoding).</summary>
    public bool IsWellFormed { get; set; } = true;

    /// <summary>What was wrong or repaired, one short sentence each.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The encoding actually used to decode, as a lower-case WHATWG label ("utf-8", "windows-1252").</summary>
    public string Encoding { get; set; } = "utf-8";

    public string? Title { get; set; }
    public string? Subtitle { get; set; }
    public string? Link { get; set; }
    public List<FeedLink> Links { get; } = [];
    public string? Self { get; set; }
    public string? Id { get; set; }
    public string? Language { get; set; }
    public DateTimeOffset? Updated { get; set; }
    public List<Person> Authors { get; } = [];
    public List<Category> Categories { get; } = [];
    public string? Generator { get; set; }
    public string? Rights { get; set; }
    public string? Icon { get; set; }
    public string? Image { get; set; }
    public List<string> Hubs { get; } = [];

    /// <summary>RSS <c>ttl</c> in minutes.</summary>
    public int? Ttl { get; set; }

    /// <summary>The entries in document order.</summary>
    public List<ParsedEntry> Entries { get; } = [];
}

public sealed class ParsedEntry
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Link { get; set; }
    public List<FeedLink> Links { get; } = [];
    public DateTimeOffset? Published { get; set; }
    public DateTimeOffset? Updated { get; set; }
    public List<Person> Authors { get; } = [];
    public List<Category> Categories { get; } = [];

    /// <summary>Sanitized HTML of the summary; plain-text sources are escaped into HTML.</summary>
    public string? SummaryHtml { get; set; }

    /// <summary>Sanitized HTML of the full content; null when the feed has none.</summary>
    public string? ContentHtml { get; set; }

    public List<Enclosure> Enclosures { get; } = [];
    public string? Comments { get; set; }
    public string? Image { get; set; }
}

public sealed record FeedLink(string Rel, string Href, string? Type = null, string? Title = null, long? Length = null);

public sealed record Person(string? Name, string? Email = null, string? Uri = null);

public sealed record Category(string Term, string? Scheme = null, string? Label = null);

public sealed record Enclosure(string Url, string? Type = null, long? Length = null);
