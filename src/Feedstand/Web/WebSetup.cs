using Feedstand.Api;
using Feedstand.Checking;
using Feedstand.Data;
using Feedstand.Discovery;
using Feedstand.MachineReaders;
using Feedstand.Media;
using Feedstand.Operations;
using Feedstand.Seeding;
using Feedstand.Settings;
using Feedstand.WebSub;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Feedstand.Web;

/// <summary>
/// The web site's part of the composition root (<c>serve</c>): its services, its middleware in
/// order, and its routes, each feature mapping its own. What the CLI shares is in
/// <see cref="FeedstandServices.AddFeedstand(IServiceCollection, FeedstandOptions)"/>.
/// </summary>
public static class WebSetup
{
    public const string AdminPolicy = "admin";

    /// <summary>
    /// The data-protection application name: every node signs and reads cookies and antiforgery
    /// tokens with the key ring in the shared database under this name, wherever it is installed.
    /// </summary>
    public const string DataProtectionApplicationName = "feedstand";

    /// <summary>One line per message on the console; no line per request (ASP.NET logs each at Information), nor per SQL command.</summary>
    public static ILoggingBuilder AddFeedstandWebLogging(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return logging;
    }

    /// <summary>Kestrel and every service of the web site, on top of <see cref="FeedstandServices.AddFeedstand(IServiceCollection, FeedstandOptions)"/>.</summary>
    public static WebApplicationBuilder AddFeedstandWeb(this WebApplicationBuilder builder, FeedstandOptions settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
        });
        // Graceful shutdown: requests drain and the refresher writes its group and gives back its leases.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var services = builder.Services;
        services.AddFeedstand(settings);
        services.AddSharedKeyRing();
        services.AddForwardedHeaders(settings);
        services.AddFeedstandRateLimits();
        services.AddUiLanguages();
        services.AddPageCache();
        services.AddMemoryCache();
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailable>();
        services.AddHttpContextAccessor();
        services.AddPages();
        services.AddAdminLogin();
        services.AddApi();
        services.AddMachineReaders();
        services.AddSeeding();
        services.AddScoped<Pages.Preview.LivePreview>();
        return builder;
    }

    /// <summary>The middleware, in the order a request meets it.</summary>
    public static WebApplication UseFeedstandPipeline(this WebApplication app, FeedstandOptions settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ForwardedHeaders)
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
        app.UseUiLanguages();
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
        app.UseReaderReports();
        app.UseOutputCache();
        return app;
    }

    /// <summary>Every route: operations, the language switch, then each feature's, then the Razor pages.</summary>
    public static IEndpointRouteBuilder MapFeedstandEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapHealth();
        routes.MapFeedstandMetrics();
        routes.MapUiLanguageSwitch();
        routes.MapApi();
        routes.MapMachineReaders();
        routes.MapDiscovery();
        routes.MapWebSubEndpoints();
        routes.MapCheckEndpoints();
        routes.MapMediaEndpoints();
        routes.MapRazorPages();
        return routes;
    }

    /// <summary>
    /// The data-protection key ring every web node shares: kept in the database under one
    /// application name, so a cookie or form token from one node is accepted by the others.
    /// </summary>
    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<FeedstandDb>();
        return services;
    }

    /// <summary>FORWARDED_HEADERS and TRUSTED_PROXIES: whose X-Forwarded-For and X-Forwarded-Proto count.</summary>
    private static void AddForwardedHeaders(this IServiceCollection services, FeedstandOptions settings)
    {
        if (!settings.ForwardedHeaders)
        {
            return;
        }
        var (proxies, networks) = FeedstandOptions.ParseTrustedProxies(settings.TrustedProxies);
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
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
        });
    }

    /// <summary>Razor Pages (the admin folder behind the admin policy) and their form tokens.</summary>
    private static void AddPages(this IServiceCollection services)
    {
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/Admin", AdminPolicy);
            pages.Conventions.AllowAnonymousToPage("/Admin/Login");
        }).AddMvcOptions(mvc =>
        {
            mvc.Filters.Add(new UnhandledMethod());
            // jQuery-style keys ("a[b]") are never ours, and their parser throws on an unbalanced
            // bracket in any posted key: a 500 for a malformed form instead of a 400.
            var jquery = mvc.ValueProviderFactories
                .Where(f => f is JQueryFormValueProviderFactory or JQueryQueryStringValueProviderFactory)
                .ToList();
            foreach (var factory in jquery)
            {
                mvc.ValueProviderFactories.Remove(factory);
            }
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "feedstand-csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.FormFieldName = "__csrf";
        });
    }

    /// <summary>The admin's cookie login and the policy its pages require.</summary>
    private static void AddAdminLogin(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
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
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser());
    }

    /// <summary>Programs' routes: errors as problem details or plain text, never an HTML page.</summary>
    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/websub");
}
