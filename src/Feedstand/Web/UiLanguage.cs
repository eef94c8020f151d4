using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Feedstand.Web;

/// <summary>
/// English or Simplified Chinese per request, chosen once by ASP.NET's request localization: the
/// switcher's cookie first, then Accept-Language (best quality first, any en-* or zh-* counts, q=0
/// never), else English. Pages and <see cref="UiText"/> read the choice from the current UI culture;
/// the page cache varies by it.
/// </summary>
public static class UiLanguage
{
    public const string CookieName = "feedstand-lang";
    public const string English = "en";
    public const string Chinese = "zh-Hans";

    private static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo(English);
    private static readonly CultureInfo ChineseCulture = CultureInfo.GetCultureInfo(Chinese);

    public static bool IsChinese(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.Ordinal);

    public static string Current => IsChinese(CultureInfo.CurrentUICulture) ? Chinese : English;

    /// <summary>The language request localization chose for this request (English before it ran).</summary>
    public static string Of(HttpContext context) =>
        context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture is { } culture && IsChinese(culture) ? Chinese : English;

    /// <summary>"en-GB" → en, "zh-CN"/"zh"/"zh-TW" → zh-Hans, anything else → null.</summary>
    public static string? Normalize(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return null;
        }
        if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
        {
            return Chinese;
        }
        return tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : null;
    }

    /// <summary>
    /// The two languages and the two providers, in order. Not ASP.NET's default providers: its query
    /// string one would read <c>?culture=</c> (<c>?lang=</c> filters feeds here, it never switches the
    /// interface), its cookie one expects <c>c=…|uic=…</c>, and its Accept-Language one tries only
    /// three values and matches zh-TW or bare zh to no supported culture.
    /// </summary>
    public static IServiceCollection AddUiLanguages(this IServiceCollection services) =>
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(EnglishCulture);
            options.SupportedCultures = [EnglishCulture, ChineseCulture];
            options.SupportedUICultures = [EnglishCulture, ChineseCulture];
            options.FallBackToParentCultures = false;
            options.FallBackToParentUICultures = false;
            options.ApplyCurrentCultureToResponseHeaders = true; // Content-Language
            options.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(context => Task.FromResult(FromCookie(context.Request))),
                new CustomRequestCultureProvider(context => Task.FromResult(FromAcceptLanguage(context.Request))),
            ];
        });

    /// <summary>Request localization, and <c>Vary</c> naming what it reads (shared caches keep one copy per language).</summary>
    public static IApplicationBuilder UseUiLanguages(this IApplicationBuilder app)
    {
        app.UseRequestLocalization();
        return app.Use((context, next) =>
        {
            context.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, "Accept-Language, Cookie");
            return next(context);
        });
    }

    private static ProviderCultureResult? FromCookie(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var cookie) && Normalize(cookie) is { } language
            ? new ProviderCultureResult(language)
            : null;

    private static ProviderCultureResult? FromAcceptLanguage(HttpRequest request)
    {
        foreach (var language in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(value => value.Quality ?? 1))
        {
            if (language.Quality is not 0 && Normalize(language.Value.Value) is { } supported)
            {
                return new ProviderCultureResult(supported);
            }
        }
        return null;
    }

    /// <summary>GET /lang/{code}?return=/path: remembers the choice in a cookie and goes back.</summary>
    public static IEndpointRouteBuilder MapUiLanguageSwitch(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/lang/{code}", (string code, string? @return, HttpContext context) =>
        {
            var language = Normalize(code) ?? English;
            context.Response.Cookies.Append(CookieName, language, new CookieOptions
            {
                Path = "/",
                MaxAge = TimeSpan.FromDays(365),
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                IsEssential = true,
            });
            var target = IsLocal(@return) ? @return! : "/";
            return Results.LocalRedirect(target);
        });
        return routes;
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
