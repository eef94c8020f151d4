using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Feedstand.Commands;
using Feedstand.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Feedstand.Tests.Infrastructure;

/// <summary>
/// The one way tests start the app, over a fresh, migrated database of its own (a copy of a
/// migrated SQLite template, or a new PostgreSQL database made from a migrated template) with
/// private addresses allowed (the loopback <see cref="FeedServer"/>):
/// <list type="bullet">
/// <item><see cref="StartAsync"/>: the services every host shares (<see cref="FeedstandServices.AddFeedstand(IServiceCollection, IConfiguration)"/>,
/// what the CLI commands run on), with time a <see cref="FakeTimeProvider"/>;</item>
/// <item><see cref="StartWebAsync"/>: the real web app (<see cref="ServeCommand.BuildApp"/>) on
/// 127.0.0.1:0 with REFRESH=false and SEED=false, on the system clock, and an HttpClient that keeps
/// cookies and does not follow redirects.</item>
/// </list>
/// Used by every test project (the browser tests link this file).
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

    private readonly FakeTimeProvider? _clock;
    private readonly WebApplication? _web;
    private readonly Uri? _address;
    private readonly HttpClient? _client;
    private readonly Func<ValueTask> _dispose;

    private TestApp(string provider, string connectionString, IServiceProvider services, FakeTimeProvider? clock, WebApplication? web, Func<ValueTask> dispose)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Services = services;
        _clock = clock;
        _web = web;
        _dispose = dispose;
        if (web is not null)
        {
            _address = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            _client = NewClient();
        }
    }

    public string Provider { get; }
    public string ConnectionString { get; }
    public IServiceProvider Services { get; }

    /// <summary>The services' clock (<see cref="StartAsync"/>); the web app runs on the system clock.</summary>
    public FakeTimeProvider Clock => _clock ?? throw new InvalidOperationException("The web app runs on the system clock: only StartAsync gives a fake one.");

    /// <summary>The running web app (<see cref="StartWebAsync"/> only).</summary>
    public WebApplication App => _web ?? throw NoWebSite();

    /// <summary>Where the web app listens (<see cref="StartWebAsync"/> only).</summary>
    public Uri Address => _address ?? throw NoWebSite();

    /// <summary>A client of the web app that keeps cookies and does not follow redirects (<see cref="StartWebAsync"/> only).</summary>
    public HttpClient Client => _client ?? throw NoWebSite();

    private static InvalidOperationException NoWebSite() => new("Started without the web site: use StartWebAsync.");

    /// <summary>The shared services over a database of their own, time a <see cref="FakeTimeProvider"/> at <see cref="Start"/>.</summary>
    /// <param name="settings">Contract keys without the prefix ("MAX_BODY_BYTES"); override the test defaults.</param>
    public static async Task<TestApp> StartAsync(string provider, IDictionary<string, string?>? settings = null)
    {
        var (connectionString, drop) = await CreateDatabaseAsync(provider);
        var clock = new FakeTimeProvider(Start);
        var services = BuildServices(connectionString, clock, settings);
        return new TestApp(provider, connectionString, services, clock, web: null, async () =>
        {
            await services.DisposeAsync();
            await drop();
        });
    }

    /// <summary>
    /// The real web app over a database of its own (or the one <c>settings["DB"]</c> names, which it
    /// leaves alone: a second node of the same directory), started and listening.
    /// </summary>
    /// <param name="settings">Contract keys without the prefix ("RATE_FORMS_PER_MINUTE"); override the test defaults.</param>
    public static async Task<TestApp> StartWebAsync(IDictionary<string, string?>? settings = null, string provider = Sqlite)
    {
        var ct = TestContext.Current.CancellationToken;
        var (connectionString, drop) = settings?.TryGetValue("DB", out var given) == true && given is not null
            ? (given, () => ValueTask.CompletedTask)
            : await CreateDatabaseAsync(provider);
        var values = new Dictionary<string, string?>
        {
            ["DB"] = connectionString,
            ["REFRESH"] = "false",
            ["SEED"] = "false",
            ["URLS"] = "http://127.0.0.1:0",
            ["ALLOW_PRIVATE_ADDRESSES"] = "true",
        };
        Override(values, settings);
        WebApplication app;
        try
        {
            app = ServeCommand.BuildApp([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(values);
                builder.Logging.ClearProviders();
            });
        }
        catch
        {
            await drop();
            throw;
        }
        async ValueTask StopAsync()
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            await drop();
        }
        try
        {
            await ServeCommand.PrepareAsync(app, ct);
            await app.StartAsync(ct);
        }
        catch
        {
            await StopAsync();
            throw;
        }
        return new TestApp(provider, connectionString, app.Services, clock: null, app, StopAsync);
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
        Override(values, settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new Random(42));
        services.AddFeedstand(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static void Override(Dictionary<string, string?> values, IDictionary<string, string?>? settings)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
    }

    /// <summary>Another client of the web app, with cookies of its own.</summary>
    public HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = Address,
        };

    /// <summary>GETs a page of the web app, checks its status and parses it.</summary>
    public async Task<IHtmlDocument> GetPageAsync(string path, HttpClient? client = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await (client ?? Client).GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        return await ParseAsync(response);
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new HtmlParser().ParseDocument(html);
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
        _client?.Dispose();
        await _dispose();
    }

    private static async Task<(string ConnectionString, Func<ValueTask> Drop)> CreateDatabaseAsync(string provider) => provider switch
    {
        Sqlite => await CreateSqliteAsync(),
        Postgres => await CreatePostgresAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres"),
    };

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
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // A file still held by the OS is left in the temp folder.
                }
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
