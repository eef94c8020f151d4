using Feedstand.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Feedstand.Tests.Commands;

public sealed class BackupCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("feedstand-backup-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private const string Subscriptions = """
        <opml version="2.0"><body>
          <outline text="One" type="rss" xmlUrl="https://one.example/feed.xml" />
          <outline text="Two" type="rss" xmlUrl="https://two.example/feed.xml" />
        </body></opml>
        """;

    [Fact]
    public async Task Backup_writes_a_whole_copy_that_opens_with_the_same_feeds()
    {
        await using var app = await TestApp.StartAsync(TestApp.Sqlite);
        var opml = Path.Combine(_folder, "subs.opml");
        await File.WriteAllTextAsync(opml, Subscriptions, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Cli.RunAsync(["import-opml", opml], Cli.Settings(app))).ExitCode);
        var copy = Path.Combine(_folder, "copy.db");

        var result = await Cli.RunAsync(["backup", copy], Cli.Settings(app));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("To restore", result.Stdout, StringComparison.Ordinal);
        await using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check"));
        Assert.Equal(2L, Scalar(connection, "SELECT count(*) FROM feeds"));
    }

    [Fact]
    public async Task Backup_never_overwrites_an_existing_file()
    {
        await using var app = await TestApp.StartAsync(TestApp.Sqlite);
        var existing = Path.Combine(_folder, "existing.db");
        await File.WriteAllTextAsync(existing, "keep me", TestContext.Current.CancellationToken);

        var result = await Cli.RunAsync(["backup", existing], Cli.Settings(app));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already exists", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Backup_of_postgres_points_to_pg_dump()
    {
        await using var app = await TestApp.StartAsync(TestApp.Postgres);

        var result = await Cli.RunAsync(["backup", Path.Combine(_folder, "pg.db")], Cli.Settings(app));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pg_dump", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "pg.db")));
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
