namespace Feedstand.FullText;

/// <summary>Source-generated log messages of the full-text stage.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Debug, Message = "Full text for feed {FeedId}: {Extracted} of {Fetched} pages extracted")]
    public static partial void FullTextFetched(ILogger logger, long feedId, int extracted, int fetched);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Full text for feed {FeedId} failed on {PageUrl}: {ErrorKind}: {Error}")]
    public static partial void FullTextFailed(ILogger logger, long feedId, string pageUrl, string errorKind, string error);
}
