namespace Feedstand.Crawling;

/// <summary>Source-generated log messages of fetching and refreshing, with the same property names everywhere.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Fetched {FeedUrl}: HTTP {Status} in {ElapsedMs:0} ms")]
    public static partial void Fetched(ILogger logger, Uri feedUrl, int status, double elapsedMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Refreshed feed {FeedId} ({FeedUrl}): {NewEntries} new, {UpdatedEntries} updated, next at {NextFetchAt}")]
    public static partial void Refreshed(ILogger logger, long feedId, string feedUrl, int newEntries, int updatedEntries, DateTimeOffset nextFetchAt);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Feed {FeedId} ({FeedUrl}) not modified, next at {NextFetchAt}")]
    public static partial void NotModified(ILogger logger, long feedId, string feedUrl, DateTimeOffset nextFetchAt);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Feed {FeedId} ({FeedUrl}) failed: {ErrorKind}: {Error}; {ConsecutiveErrors} errors in a row, next try at {NextFetchAt}")]
    public static partial void Failed(ILogger logger, long feedId, string feedUrl, string errorKind, string error, int consecutiveErrors, DateTimeOffset nextFetchAt);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Feed {FeedId} moved permanently from {OldUrl} to {FeedUrl}")]
    public static partial void Moved(ILogger logger, long feedId, string oldUrl, string feedUrl);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Feed {FeedId} ({FeedUrl}) is gone (HTTP 410): retired")]
    public static partial void Retired(ILogger logger, long feedId, string feedUrl);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information,
        Message = "Refresh cycle: {Due} due, {Fetched} fetched, {NotModified} not modified, {Failed} failed, {NewEntries} new entries in {Seconds:0.0} s")]
    public static partial void Cycle(ILogger logger, int due, int fetched, int notModified, int failed, int newEntries, double seconds);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "Refresh of feed {FeedId} crashed")]
    public static partial void Crashed(ILogger logger, Exception exception, long feedId);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "The crash of feed {FeedId}'s refresh could not be recorded")]
    public static partial void CrashNotRecorded(ILogger logger, Exception exception, long feedId);

    [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "Refresh cycle failed")]
    public static partial void CycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning, Message = "Could not renew this node's leases: {Reason}")]
    public static partial void LeaseRenewalFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Could not give back this node's leases (they end by themselves): {Reason}")]
    public static partial void LeaseReleaseFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "Refresh cycle stopped: the database is unavailable ({Reason}); {Failures} cycles in a row, backing off")]
    public static partial void CycleDatabaseUnavailable(ILogger logger, string reason, int failures);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "Feed {FeedId} ({FeedUrl}) failed: network: {Error}")]
    public static partial void NetworkFailure(ILogger logger, long feedId, string feedUrl, string error);

    [LoggerMessage(EventId = 118, Level = LogLevel.Warning, Message = "Refresh of feed {FeedId} stopped: the database is unavailable ({Reason})")]
    public static partial void DatabaseUnavailable(ILogger logger, long feedId, string reason);

    [LoggerMessage(EventId = 119, Level = LogLevel.Warning, Message = "Feed {FeedId} was stored, but a later stage stopped: {Reason}")]
    public static partial void EnrichStopped(ILogger logger, long feedId, string reason);

    [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Feed {FeedId} was stored, but a later stage crashed")]
    public static partial void EnrichCrashed(ILogger logger, Exception exception, long feedId);
}
