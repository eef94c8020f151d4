using System.CommandLine;
using Feedstand.Data;
using Feedstand.Seeding;
using Feedstand.Settings;
using Feedstand.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Feedstand.Commands;

/// <summary>
/// <c>serve</c>: the web site, the API and (unless REFRESH=false) the background refresher. The
/// composition root: settings, then <see cref="WebSetup"/>'s services, middleware and routes.
/// </summary>
public static class ServeCommand
{
    /// <summary>
    /// Threads the pool gives work at once, before its starvation rule adds one or two a second.
    /// SQLite's ADO.NET provider is synchronous: each query and each write of the refresher holds
    /// a pool thread until it returns. With the pool's default (one thread per core) a busy
    /// refresher left pages waiting for a thread: p99 326 ms for a cached preview page while
    /// 1,000 new feeds were stored, 47 ms with 64 (<c>bench/web.sh --during-refresh</c>).
    /// </summary>
    internal const int MinPoolThreads = 64;

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://localhost:8080, or FEEDSTAND_URLS)." };
        var command = new Command("serve", "Runs the web site and the background refresher.") { urls };
        command.SetAction(async (parseResult, ct) =>
        {
            var value = parseResult.GetValue(urls);
            ThreadPool.GetMinThreads(out var workers, out var completions);
            ThreadPool.SetMinThreads(Math.Max(workers, MinPoolThreads), completions);
            WebApplication app;
            try
            {
                app = BuildApp(value is null ? [] : ["--URLS", value]);
            }
            catch (OptionsValidationException ex)
            {
                await Console.Error.WriteLineAsync($"serve: invalid settings: {string.Join(" ", ex.Failures)}");
                return 2;
            }
            await using (app)
            {
                try
                {
                    await PrepareAsync(app, ct);
                }
                catch (Exception ex) when (CommandSetup.IsDatabaseError(ex))
                {
                    await Console.Error.WriteLineAsync($"serve: cannot open the database: {ex.Message}");
                    return 2;
                }
                await app.RunAsync();
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Builds the web application. <paramref name="configure"/> runs right after the configuration
    /// sources are added, so tests can set DB, REFRESH, SEED and URLS before anything reads them.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is bad; the failures name each one.</exception>
    public static WebApplication BuildApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ServeCommand).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddFeedstandConfiguration().AddCommandLine(args);
        builder.Logging.AddFeedstandWebLogging();
        configure?.Invoke(builder);

        var settings = FeedstandOptions.Load(builder.Configuration);
        builder.AddFeedstandWeb(settings);

        var app = builder.Build();
        app.UseFeedstandPipeline(settings);
        app.MapFeedstandEndpoints();
        return app;
    }

    /// <summary>Creates or migrates the database and, when it is empty and SEED is on, loads the starter directory.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        await FeedstandServices.MigrateAsync(app.Services, ct);
        // Loads the shared key ring now, creating its first key if the database has none, so the
        // nodes agree on a key before the first cookie is issued.
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Feedstand.Startup").Protect([1]);
        await using var scope = app.Services.CreateAsyncScope();
        // The media proxy's signing key, shared by every node through the database.
        await app.Services.GetRequiredService<Media.MediaSigner>().LoadKeyAsync(
            scope.ServiceProvider.GetRequiredService<FeedstandDb>(), app.Services.GetRequiredService<TimeProvider>(), ct);
        var options = scope.ServiceProvider.GetRequiredService<IOptions<FeedstandOptions>>().Value;
        if (options.Seed)
        {
            await scope.ServiceProvider.GetRequiredService<Seeder>().SeedIfEmptyAsync(ct);
        }
    }
}
