using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Feedstand.Data;

/// <summary>
/// Tells a database that went away (PostgreSQL stopped or restarting, the network to it down,
/// SQLite's file unopenable) from a real error in a query: the first is passing, so pages answer
/// 503 and the refresher backs off, with one line in the log and no stack trace.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>True when the exception, or one it wraps, says the database cannot be reached.</summary>
    public static bool IsCause(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal):
                    return true;
                case PostgresException:
                    return false; // the server answered: a real error in the query
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case SqliteException sqlite when sqlite.SqliteErrorCode is 14 /* CANTOPEN */ or 10 /* IOERR */:
                    return true;
                case HttpRequestException:
                    return false; // a fetch from the web failed, not the database
                case DbException db when db.IsTransient:
                    return true;
            }
        }
        return false;
    }

    /// <summary>The innermost message, for logs and the health report.</summary>
    public static string Describe(Exception exception) => exception.GetBaseException().Message;
}
