using System.Net.Sockets;
using Feedstand.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Feedstand.Tests.Data;

/// <summary>
/// What counts as the database going away (pages answer 503, the refresher backs off) and what is
/// somebody else's trouble. A name lookup of a feed's host that failed once passed for the
/// database: seen under load in <c>bench/web.sh --during-refresh</c>.
/// </summary>
public sealed class DatabaseOutageCauseTests
{
    public static TheoryData<string, Exception> Outages => new()
    {
        { "PostgreSQL refusing connections", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)) },
        { "PostgreSQL's connection lost mid-query, wrapped by EF", new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new NpgsqlException("Exception while reading from stream", new EndOfStreamException())) },
        { "PostgreSQL's command timing out", new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt")) },
        { "SQLite's file unopenable", new SqliteException("SQLite Error 14: 'unable to open database file'.", 14) },
        { "SQLite's disk failing", new SqliteException("SQLite Error 10: 'disk I/O error'.", 10) },
    };

    public static TheoryData<string, Exception> NotOutages => new()
    {
        { "a feed host's name lookup failing", new SocketException((int)SocketError.TryAgain) },
        { "a fetch's connection timing out", new TaskCanceledException("The operation was canceled.", new SocketException((int)SocketError.TryAgain)) },
        { "a fetch refused", new HttpRequestException("Connection refused (feeds.example:443)", new SocketException((int)SocketError.ConnectionRefused)) },
        { "a fetch timing out", new TimeoutException("The operation has timed out.") },
        { "a constraint broken", new SqliteException("SQLite Error 19: 'UNIQUE constraint failed'.", 19) },
        { "a bug", new InvalidOperationException("Sequence contains no elements") },
    };

    [Theory, MemberData(nameof(Outages))]
    public void The_database_going_away_is_an_outage(string what, Exception exception) =>
        Assert.True(DatabaseOutage.IsCause(exception), what);

    [Theory, MemberData(nameof(NotOutages))]
    public void Other_failures_are_not(string what, Exception exception) =>
        Assert.False(DatabaseOutage.IsCause(exception), what);
}
