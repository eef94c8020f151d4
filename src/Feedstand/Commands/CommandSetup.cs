using System.Data.Common;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Commands;

/// <summary>What the store's commands share: a host with validated settings, setup errors as exit code 2.</summary>
internal static class CommandSetup
{
    /// <summary>The command host, or null after printing why the settings are invalid.</summary>
    public static IHost? TryBuildHost(string command)
    {
        IHost? host = null;
        try
        {
            host = FeedstandServices.BuildCommandHost();
            _ = host.Services.GetRequiredService<IOptions<FeedstandOptions>>().Value;
            return host;
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine($"{command}: invalid settings: {string.Join("; ", ex.Failures)}");
            host?.Dispose();
            return null;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"{command}: invalid database connection string: {ex.Message}");
            host?.Dispose();
            return null;
        }
    }

    /// <summary>Failures of the database itself (unreachable, locked, wrong schema): setup errors.</summary>
    public static bool IsDatabaseError(Exception ex) =>
        ex is DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException
        || ex.InnerException is DbException;
}
