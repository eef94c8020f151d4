using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Feedstand.Commands;

/// <summary>What the store's commands share: a host with validated settings, setup errors as exit code 2.</summary>
internal static class CommandSetup
{
    /// <summary>The command host, or null after printing why the settings are invalid.</summary>
    public static IHost? TryBuildHost(string command, ILoggerProvider? collector = null)
    {
        try
        {
            return FeedstandServices.BuildCommandHost(collector: collector);
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine($"{command}: invalid settings: {string.Join(" ", ex.Failures)}");
            return null;
        }
    }

    /// <summary>Applies pending migrations; false after printing why the database is unusable.</summary>
    public static async Task<bool> TryMigrateAsync(IHost host, string command, CancellationToken ct)
    {
        try
        {
            await FeedstandServices.MigrateAsync(host.Services, ct);
            return true;
        }
        catch (Exception ex) when (IsDatabaseError(ex))
        {
            await Console.Error.WriteLineAsync($"{command}: cannot open the database: {ex.Message}");
            return false;
        }
    }

    /// <summary>Failures of the database itself (unreachable, locked, wrong schema): setup errors.</summary>
    public static bool IsDatabaseError(Exception ex) =>
        ex is DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException
        || ex.InnerException is DbException;
}
