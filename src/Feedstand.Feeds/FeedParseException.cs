namespace Feedstand.Feeds;

/// <summary>
/// Thrown only when a document holds no feed at all (an HTML page, an empty body, a JSON
/// document that is not a feed, an entity bomb). Everything short of that is recovered
/// and reported in <see cref="Model.ParsedFeed.Errors"/>.
/// </summary>
public sealed class FeedParseException : Exception
{
    public FeedParseException(string message) : base(message) { }
    public FeedParseException(string message, Exception inner) : base(message, inner) { }
    public FeedParseException() { }
}
