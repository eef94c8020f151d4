using System.CommandLine;

namespace Feedstand.Commands;

/// <summary><c>feedstand migrate</c>: applies the database migrations of the configured provider.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply database migrations (SQLite or PostgreSQL, from FEEDSTAND_DB).");
        command.SetAction((_, ct) => RunAsync(ct));
        return command;
    }

    private static async Task<int> RunAsync(CancellationToken ct)
    {
        using var host = CommandSetup.TryBuildHost("migrate");
        if (host is null)
        {
            return 2;
        }
        try
        {
            await FeedstandServices.MigrateAsync(host.Services, ct);
        }
        catch (Exception ex) when (CommandSetup.IsDatabaseError(ex))
        {
            await Console.Error.WriteLineAsync($"migrate: {ex.Message}");
            return 2;
        }
        await Console.Error.WriteLineAsync("migrate: database is up to date");
        return 0;
    }
}
