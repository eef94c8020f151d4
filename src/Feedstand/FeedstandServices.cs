using System.Data.Common;
using Feedstand.Checking;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Discovery;
using Feedstand.Feeds.Sanitizing;
using Feedstand.FullText;
using Feedstand.Media;
using Feedstand.Operations;
using Feedstand.Settings;
using Feedstand.Translation;
using Feedstand.WebSub;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Feedstand;

/// <summary>
/// The one registration used by <c>serve</c> and by every CLI command: settings, the store
/// (SQLite or PostgreSQL from <c>FEEDSTAND_DB</c>), the fetcher and the refresher.
/// </summary>
public static class FeedstandServices
{
    /// <summary>Adds the configuration sources in contract order: appsettings.json, then FEEDSTAND_* variables, which win.</summary>
    public static IConfigurationBuilder AddFeedstandConfiguration(this IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.AddEnvironmentVariables(prefix: "FEEDSTAND_");
    }

    /// <summary>Reads and checks the settings (<see cref="FeedstandOptions.Load"/>), then registers what every host needs.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is bad; the failures name each one.</exception>
    public static IServiceCollection AddFeedstand(this IServiceCollection services, IConfiguration configuration) =>
        services.AddFeedstand(FeedstandOptions.Load(configuration));

    /// <summary>
    /// What every host needs, the CLI's and <c>serve</c>'s: the settings, the store, the refresh path
    /// (fetch, parse, write) and the stages that hang off it, each feature registering its own.
    /// </summary>
    public static IServiceCollection AddFeedstand(this IServiceCollection services, FeedstandOptions settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);

        services.AddSingleton(Options.Create(settings));
        ContentSanitizer.UseFastPath = settings.SanitizerFastPath;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Random.Shared);
        services.TryAddSingleton<FeedstandMetrics>();

        AddStore(services, settings.Db);
        services.AddCrawling();
        services.AddChecking();
        services.AddFullText();
        services.AddMedia();
        services.AddDiscovery();
        services.AddWebSub();
        services.AddTranslation();
        return services;
    }

    /// <summary>
    /// The host of a CLI command: appsettings.json, FEEDSTAND_* variables, <see cref="AddFeedstand(IServiceCollection, IConfiguration)"/>,
    /// and logging to standard error only (standard output carries the command's output).
    /// </summary>
    /// <param name="collector">Instead of standard error, log to this (commands with a progress display collect the warnings and print them after it).</param>
    public static IHost BuildCommandHost(LogLevel minimumLevel = LogLevel.Warning, ILoggerProvider? collector = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddFeedstandConfiguration();
        builder.Logging.ClearProviders();
        if (collector is null)
        {
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        else
        {
            builder.Logging.AddProvider(collector);
        }
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Services.AddFeedstand(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Applies the pending migrations of the configured provider.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        // Most runs find the schema current: asking the history table costs one query, while
        // MigrateAsync also builds the model snapshot and compares it (a quarter of a second of CPU
        // per process start, paid by every refresh and every web node).
        bool current;
        try
        {
            current = !(await db.Database.GetPendingMigrationsAsync(ct).ConfigureAwait(false)).Any();
        }
        catch (DbException ex) when (ex.SqlState == "3D000")
        {
            current = false; // PostgreSQL's "database does not exist": MigrateAsync creates it
        }
        if (!current)
        {
            await db.Database.MigrateAsync(ct).ConfigureAwait(false);
        }
    }

    private static void AddStore(IServiceCollection services, string connectionString)
    {
        if (FeedstandOptions.IsPostgresConnectionString(connectionString))
        {
            services.AddDbContextPool<PostgresFeedstandDb>(options => ConfigurePostgres(options, connectionString));
            services.AddScoped<FeedstandDb>(sp => sp.GetRequiredService<PostgresFeedstandDb>());
        }
        else
        {
            var sqlite = PrepareSqlite(connectionString);
            services.AddDbContextPool<SqliteFeedstandDb>(options => ConfigureSqlite(options, sqlite));
            services.AddScoped<FeedstandDb>(sp => sp.GetRequiredService<SqliteFeedstandDb>());
        }
    }

    public static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .AddInterceptors(DisplayFieldsInQueries.Instance);
    }

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("__ef_migrations_history"))
            .AddInterceptors(SqlitePragmas.Instance, DisplayFieldsInQueries.Instance);
    }

    /// <summary>Creates the folder of the SQLite file and sets a busy timeout on the connection string.</summary>
    public static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }
        return builder.ToString();
    }

    /// <summary>WAL, a busy timeout and relaxed syncing on every SQLite connection the store opens.</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
