using Feedstand.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Feedstand.Tests.Infrastructure;

/// <summary>
/// The app's services (<see cref="FeedstandServices.AddFeedstand"/>) over a fresh, migrated database
/// of its own: a temporary SQLite file, or a new PostgreSQL database made from a migrated template.
/// Private addresses are allowed (the loopback feed server) and time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public const string MissingPostgres = "set FEEDSTAND_TEST_POSTGRES (see .ci/postgres.sh)";

    /// <summary>Theory rows: every store test runs on both databases.</summary>
    public static TheoryData<string> Providers => new() { Sqlite, Postgres };

    public static readonly DateTimeOffset Start = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;
    private static string? _sqliteTemplate;

    private readonly Func<ValueTask> _drop;

    private TestApp(string provider, string connectionString, ServiceProvider services, FakeTimeProvider clock, Func<ValueTask> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Services = services;
        Clock = clock;
        _drop = drop;
    }

    public string Provider { get; }
    public string ConnectionString { get; }
    public ServiceProvider Services { get; }
    public FakeTimeProvider Clock { get; }

    /// <param name="settings">Contract keys without the prefix ("MAX_BODY_BYTES"); override the test defaults.</param>
    public static async Task<TestApp> StartAsync(string provider, IDictionary<string, string?>? settings = null)
    {
        var (connectionString, drop) = provider switch
        {
            Sqlite => await CreateSqliteAsync(),
            Postgres => await CreatePostgresAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres"),
        };
        var clock = new FakeTimeProvider(Start);
        var services = BuildServices(connectionString, clock, settings);
        return new TestApp(provider, connectionString, services, clock, drop);
    }

    /// <summary>Services without a database of their own (fetcher tests): a SQLite file nobody opens.</summary>
    public static ServiceProvider ServicesWithoutDatabase(FakeTimeProvider clock, IDictionary<string, string?>? settings = null) =>
        BuildServices("Data Source=" + Path.Combine(Path.GetTempPath(), "feedstand-unused.db"), clock, settings);

    private static ServiceProvider BuildServices(string connectionString, FakeTimeProvider clock, IDictionary<string, string?>? settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["DB"] = connectionString,
            ["ALLOW_PRIVATE_ADDRESSES"] = "true",
            ["FETCH_TIMEOUT_SECONDS"] = "5",
            ["PUBLIC_URL"] = "https://feedstand.test",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new Random(42));
        services.AddFeedstand(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs <paramref name="work"/> with a DbContext of its own scope.</summary>
    public async Task<T> WithDbAsync<T>(Func<FeedstandDb, Task<T>> work)
    {
        await using var scope = Scope();
        return await work(scope.ServiceProvider.GetRequiredService<FeedstandDb>());
    }

    public async Task WithDbAsync(Func<FeedstandDb, Task> work)
    {
        await using var scope = Scope();
        await work(scope.ServiceProvider.GetRequiredService<FeedstandDb>());
    }

    /// <summary>Adds an active feed, due now, and returns its id.</summary>
    public Task<long> AddFeedAsync(string feedUrl, string? slug = null, Action<Feed>? configure = null) =>
        WithDbAsync(async db =>
        {
            var feed = new Feed
            {
                Slug = slug ?? Slugs.FromUrl(feedUrl) + "-" + Guid.NewGuid().ToString("N")[..6],
                FeedUrl = feedUrl,
                CreatedAt = Clock.GetUtcNow(),
                FetchState = new FetchState { NextFetchAt = Clock.GetUtcNow() },
            };
            configure?.Invoke(feed);
            db.Feeds.Add(feed);
            await db.SaveChangesAsync();
            return feed.Id;
        });

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await _drop();
    }

    private static async Task<(string, Func<ValueTask>)> CreateSqliteAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "feedstand-tests");
        Directory.CreateDirectory(folder);
        await TemplateLock.WaitAsync();
        try
        {
            if (_sqliteTemplate is null)
            {
                var template = Path.Combine(folder, $"template-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
                await MigrateAsync("Data Source=" + template + ";Pooling=False");
                _sqliteTemplate = template;
            }
        }
        finally
        {
            TemplateLock.Release();
        }
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.db");
        File.Copy(_sqliteTemplate, path);
        var connectionString = "Data Source=" + path;
        return (connectionString, () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The server of FEEDSTAND_TEST_POSTGRES; fails (never skips) when it is not set.</summary>
    public static string PostgresServer()
    {
        var server = Environment.GetEnvironmentVariable("FEEDSTAND_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Fail(MissingPostgres);
        }
        return server;
    }

    private static async Task<(string, Func<ValueTask>)> CreatePostgresAsync()
    {
        var server = PostgresServer();
        await TemplateLock.WaitAsync();
        try
        {
            if (_template is null)
            {
                var name = $"feedstand_template_{Environment.ProcessId}_{Guid.NewGuid():N}"[..50];
                await MigrateAsync(new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString);
                _template = name;
            }
        }
        finally
        {
            TemplateLock.Release();
        }
        var database = $"feedstand_test_{Guid.NewGuid():N}"[..40];
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database} TEMPLATE {_template}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        return (connectionString, async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }

    private static async Task MigrateAsync(string connectionString)
    {
        await using var services = BuildServices(connectionString, new FakeTimeProvider(Start), null);
        await FeedstandServices.MigrateAsync(services, CancellationToken.None);
    }
}
