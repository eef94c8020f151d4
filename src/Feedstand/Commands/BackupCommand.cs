using System.CommandLine;
using Feedstand.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand backup FILE</c>: a consistent copy of the SQLite database, safe to take while
/// <c>serve</c> runs. <c>VACUUM INTO</c> reads inside one transaction, so the copy is the
/// database as of one instant (WAL included), never a half-written page.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Where to write the copy (must not exist yet)." };
        var command = new Command("backup", "Write a consistent copy of the SQLite database while the site runs.") { file };
        command.SetAction((parseResult, ct) => RunAsync(parseResult.GetRequiredValue(file), ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo target, CancellationToken ct)
    {
        using var host = CommandSetup.TryBuildHost("backup");
        if (host is null)
        {
            return 2;
        }
        if (target.Exists)
        {
            await Console.Error.WriteLineAsync($"backup: {target.FullName} already exists; choose a new file name.");
            return 1;
        }
        if (target.Directory is { Exists: false } folder)
        {
            await Console.Error.WriteLineAsync($"backup: the folder {folder.FullName} does not exist.");
            return 1;
        }
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        if (db.IsPostgres)
        {
            await Console.Error.WriteLineAsync(
                "backup: FEEDSTAND_DB is PostgreSQL; use its own tool: pg_dump --format=custom --file=FILE DATABASE "
                + "(restore with pg_restore --clean --dbname=DATABASE FILE).");
            return 2;
        }
        if (!await CommandSetup.TryMigrateAsync(host, "backup", ct))
        {
            return 2;
        }

        var started = TimeProvider.System.GetTimestamp();
        try
        {
            // The file name is a bound parameter, so no quoting of the path is needed.
            await db.Database.ExecuteSqlAsync($"VACUUM INTO {target.FullName}", ct);
        }
        catch (SqliteException ex)
        {
            await Console.Error.WriteLineAsync($"backup: could not write {target.FullName}: {ex.Message}");
            return 1;
        }

        var source = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        target.Refresh();
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        Console.WriteLine($"backup: wrote {target.FullName} ({target.Length:N0} bytes) in {elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"To restore: stop feedstand, then copy {target.FullName} over {Path.GetFullPath(source)} "
            + "and delete any -wal and -shm files beside it; start feedstand again.");
        return 0;
    }
}
