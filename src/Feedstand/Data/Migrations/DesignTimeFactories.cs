using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Feedstand.Data.Migrations;

/// <summary>Lets <c>dotnet ef migrations add --context SqliteFeedstandDb</c> build the context without the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFeedstandDb>
{
    public SqliteFeedstandDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteFeedstandDb>();
        FeedstandServices.ConfigureSqlite(options, "Data Source=design-time.db");
        return new SqliteFeedstandDb(options.Options);
    }
}

/// <summary>Lets <c>dotnet ef migrations add --context PostgresFeedstandDb</c> build the context without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFeedstandDb>
{
    public PostgresFeedstandDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresFeedstandDb>();
        FeedstandServices.ConfigurePostgres(options, "Host=localhost;Database=feedstand_design");
        return new PostgresFeedstandDb(options.Options);
    }
}
