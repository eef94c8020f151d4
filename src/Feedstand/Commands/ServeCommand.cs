using System.CommandLine;
using Feedstand.Api;
using Feedstand.Data;
using Feedstand.MachineReaders;
using Feedstand.Operations;
using Feedstand.Seeding;
using Feedstand.Settings;
using Feedstand.Web;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Feedstand.Commands;

/// <summary><c>serve</c>: the web site, the API and (unless REFRESH=false) the background refresher.</summary>
public static class ServeCommand
{
    public const string AdminPolicy = "admin";

    /// <summary>
    /// The data-protection application name: every node signs and reads cookies and antiforgery
    /// tokens with the key ring in the shared database under this name, wherever it is installed.
    /// </summary>
    public const string DataProtectionApplicationName = "feedstand";

    /// <summary>
    /// The data-protection key ring every web node shares: kept in the database under one
    /// application name, so a cookie or form token from one node is accepted by the others.
    /// </summary>
    public static void AddSharedKeyRing(IServiceCollection services) =>
        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<FeedstandDb>();

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://localhost:8080, or FEEDSTAND_URLS)." };
        var command = new Command("serve", "Runs the web site and the background refresher.") { urls };
        command.SetAction(async (parseResult, ct) =>
        {
            var value = parseResult.GetValue(urls);
            var app = BuildApp(value is null ? [] : ["--URLS", value]);
            try
            {
                _ = app.Services.GetRequiredService<IOptions<FeedstandOptions>>().Value;
            }
            catch (OptionsValidationException ex)
            {
                await Console.Error.WriteLineAsync($"serve: invalid settings: {string.Join("; ", ex.Failures)}");
                return 2;
            }
            await PrepareAsync(app, ct);
            await app.RunAsync();
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Builds the web application. <paramref name="configure"/> runs right after the configuration
    /// sources are added, so tests can set DB, REFRESH, SEED and URLS before anything reads them.
    /// </summary>
    public static WebApplication BuildApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ServeCommand).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddFeedstandConfiguration();
        builder.Configuration.AddCommandLine(args);
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        // No line per request (ASP.NET logs each at Information): logs stay for what an operator acts on.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configure?.Invoke(builder);

        var configuration = builder.Configuration;
        builder.WebHost.UseUrls(configuration["URLS"] is { Length: > 0 } urls ? urls : "http://localhost:8080");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
        });
        // Graceful shutdown: requests drain and the refresher writes its group and gives back its leases.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));

        FeedstandServices.AddFeedstand(builder.Services, configuration);

        AddSharedKeyRing(builder.Services);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<FeedstandOptions>>((forwarded, settings) =>
        {
            if (settings.Value.ForwardedHeaders)
            {
                var (proxies, networks) = FeedstandOptions.ParseTrustedProxies(settings.Value.TrustedProxies);
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                // Walk back through every trusted proxy in the chain, stopping at the first untrusted address.
                forwarded.ForwardLimit = null;
                foreach (var proxy in proxies)
                {
                    forwarded.KnownProxies.Add(proxy);
                }
                foreach (var network in networks)
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
            }
        });
        builder.Services.AddFeedstandRateLimits();
        builder.Services.AddPageCache();
        builder.Services.AddMemoryCache();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailable>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/Admin", AdminPolicy);
            pages.Conventions.AllowAnonymousToPage("/Admin/Login");
        }).AddMvcOptions(mvc =>
        {
            mvc.Filters.Add(new UnhandledMethod());
            // jQuery-style keys ("a[b]") are never ours, and their parser throws on an unbalanced
            // bracket in any posted key: a 500 for a malformed form instead of a 400.
            var jquery = mvc.ValueProviderFactories
                .Where(f => f is Microsoft.AspNetCore.Mvc.ModelBinding.JQueryFormValueProviderFactory or Microsoft.AspNetCore.Mvc.ModelBinding.JQueryQueryStringValueProviderFactory)
                .ToList();
            foreach (var factory in jquery)
            {
                mvc.ValueProviderFactories.Remove(factory);
            }
        });
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "feedstand-csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.FormFieldName = "__csrf";
        });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "feedstand-admin";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.LoginPath = "/admin/login";
                cookie.LogoutPath = "/admin/logout";
                cookie.AccessDeniedPath = "/admin/login";
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser());
        builder.Services.AddCors(cors => cors.AddPolicy(FeedsApi.CorsPolicy, policy =>
            policy.AllowAnyOrigin().WithMethods("GET", "HEAD").WithExposedHeaders("ETag", "Last-Modified")));
        builder.Services.AddScoped<Seeder>();
        builder.Services.AddSingleton<PendingSnapshots>();
        builder.Services.AddHostedService<SnapshotLoader>();
        builder.Services.AddHostedService<WebSub.WebSubWorker>();
        builder.Services.AddScoped<Pages.Preview.LivePreview>();
        builder.Services.AddFeedstandMcp();
        builder.Services.AddSingleton<Discovery.ReaderReportRecorder>();

        var app = builder.Build();
        Configure(app);
        return app;
    }

    private static void Configure(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<FeedstandOptions>>().Value.ForwardedHeaders)
        {
            // First, so that rate limits, cookies and links see the client's address and scheme.
            app.UseForwardedHeaders();
        }
        app.UseWhen(context => IsApi(context.Request), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApi(context.Request), html =>
        {
            html.UseExceptionHandler("/status/500");
            html.UseStatusCodePagesWithReExecute("/status/{0}");
        });
        app.UseSecurityHeaders();
        app.UseUiLanguage();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                if (file.Context.Request.Query.ContainsKey("v"))
                {
                    file.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                }
            },
        });
        app.UseMarkdownNegotiation();
        app.UseRouting();
        app.UseFeedstandMetrics();
        app.UseCors();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        // Before the output cache: a reader's fetch of a cached re-published feed still reports its subscribers.
        app.Use(app.Services.GetRequiredService<Discovery.ReaderReportRecorder>().InvokeAsync);
        app.UseOutputCache();

        app.MapHealth();
        app.MapFeedstandMetrics();
        app.MapUiLanguageSwitch();
        app.MapFeedsApi();
        app.MapRepublishEndpoints();
        app.MapTranslatedFeedEndpoints();
        app.MapOpmlEndpoints();
        app.MapMarkdownTwins();
        app.MapFeedstandMcp();
        Discovery.SubscribeEndpoints.MapSubscribeEndpoints(app);
        Discovery.WeekFeedEndpoints.MapWeekFeedEndpoints(app);
        WebSub.WebSubEndpoints.MapWebSubEndpoints(app);
        Checking.CheckEndpoints.MapCheckEndpoints(app);
        Media.MediaEndpoints.MapMediaEndpoints(app);
        app.MapRazorPages();
    }

    /// <summary>Programs' routes: errors as problem details or plain text, never an HTML page.</summary>
    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/websub");

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
