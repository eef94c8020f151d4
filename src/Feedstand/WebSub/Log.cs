namespace Feedstand.WebSub;

/// <summary>Source-generated log messages of both WebSub sides. Never a body or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "WebSub: asked {HubUrl} to {Mode} feed {FeedId} ({Topic})")]
    public static partial void Requested(ILogger logger, string hubUrl, string mode, long feedId, string topic);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "WebSub: {HubUrl} refused to {Mode} feed {FeedId}: {Error}")]
    public static partial void RequestFailed(ILogger logger, string hubUrl, string mode, long feedId, string error);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "WebSub: {HubUrl} verified {Mode} of feed {FeedId}, lease {LeaseSeconds} s")]
    public static partial void Verified(ILogger logger, string hubUrl, string mode, long feedId, int leaseSeconds);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "WebSub: {HubUrl} denied the subscription of feed {FeedId}: {Reason}")]
    public static partial void Denied(ILogger logger, string hubUrl, long feedId, string reason);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "WebSub: ignored a push for feed {FeedId}: {Reason}")]
    public static partial void PushIgnored(ILogger logger, long feedId, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Debug, Message = "WebSub: push for feed {FeedId}: {NewEntries} new, {UpdatedEntries} updated")]
    public static partial void Pushed(ILogger logger, long feedId, int newEntries, int updatedEntries);

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "WebSub hub: {Mode} of {Topic} for {Callback} verified")]
    public static partial void HubVerified(ILogger logger, string mode, string topic, string callback);

    [LoggerMessage(EventId = 711, Level = LogLevel.Information, Message = "WebSub hub: {Mode} of {Topic} for {Callback} not verified: {Reason}")]
    public static partial void HubNotVerified(ILogger logger, string mode, string topic, string callback, string reason);

    [LoggerMessage(EventId = 712, Level = LogLevel.Debug, Message = "WebSub hub: delivered {Topic} to {Callback}")]
    public static partial void Delivered(ILogger logger, string topic, string callback);

    [LoggerMessage(EventId = 713, Level = LogLevel.Warning, Message = "WebSub hub: delivery of {Topic} to {Callback} failed ({Attempts} attempts): {Error}; next at {NextAttemptAt}")]
    public static partial void DeliveryFailed(ILogger logger, string topic, string callback, int attempts, string error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 714, Level = LogLevel.Warning, Message = "WebSub hub: gave up delivering {Topic} to {Callback} after {Attempts} attempts")]
    public static partial void DeliveryAbandoned(ILogger logger, string topic, string callback, int attempts);

    [LoggerMessage(EventId = 715, Level = LogLevel.Information, Message = "WebSub hub: {Count} subscriptions expired")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(EventId = 720, Level = LogLevel.Error, Message = "WebSub: {Step} failed")]
    public static partial void StepFailed(ILogger logger, Exception exception, string step);
}
