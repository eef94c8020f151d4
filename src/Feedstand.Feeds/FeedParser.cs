using Feedstand.Feeds.Model;

namespace Feedstand.Feeds;

/// <summary>How a document is to be read.</summary>
public sealed record FeedParseOptions
{
    /// <summary>The URL the document was fetched from; relative links resolve against it.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The HTTP Content-Type, whose charset is one of the encoding hints.</summary>
    public string? ContentType { get; init; }

    /// <summary>Sanitize entry HTML (the default). Off only to time parsing alone.</summary>
    public bool Sanitize { get; init; } = true;

    public static FeedParseOptions Default { get; } = new();
}

/// <summary>The one entry point: bytes in, a normalized and sanitized feed out.</summary>
public static class FeedParser
{
    /// <exception cref="FeedParseException">The document holds no feed at all.</exception>
    public static ParsedFeed Parse(ReadOnlyMemory<byte> document, FeedParseOptions? options = null)
    {
        _ = document;
        _ = options;
        throw new NotImplementedException("The parser is being written.");
    }
}
