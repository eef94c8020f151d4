namespace Feedstand.Translation;

/// <summary>Source-generated log messages of the translation stage.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Debug,
        Message = "Translated feed {FeedId} into {Language}: {Translated} entries, {SameLanguage} already in it, {BlocksSent} blocks ({Characters} characters) sent, {BlocksFromCache} from the cache")]
    public static partial void FeedDone(ILogger logger, long feedId, string language, int translated, int sameLanguage, int blocksSent, long characters, int blocksFromCache);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Translation engine {Engine} failed: {ErrorKind}: {Error}; backing off until {BlockedUntil}")]
    public static partial void EngineFailed(ILogger logger, string engine, string errorKind, string error, DateTimeOffset blockedUntil);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Translation paused: {Reason}")]
    public static partial void Stopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "A block of feed {FeedId} came back from the engine in another structure twice; it stays untranslated in {Language}")]
    public static partial void BlockRejected(ILogger logger, long feedId, string language);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "The translation of entry {EntryId} into {Language} differs in structure from its source after sanitizing; not stored")]
    public static partial void StructureDiffers(ILogger logger, long entryId, string language);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "Translation of feed {FeedId} into {Language} crashed")]
    public static partial void FeedFailed(ILogger logger, Exception exception, long feedId, string language);

    [LoggerMessage(EventId = 406, Level = LogLevel.Error, Message = "Translation pass failed")]
    public static partial void PassFailed(ILogger logger, Exception exception);
}
