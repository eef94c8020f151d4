using System.Globalization;

namespace Feedstand.Web;

/// <summary>
/// Chooses English or Simplified Chinese per request: the switcher's cookie first, then
/// Accept-Language, else English.
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

    public static string Choose(HttpRequest request)
    {
        if (request.Cookies.TryGetValue(CookieName, out var cookie) && Normalize(cookie) is { } fromCookie)
        {
            return fromCookie;
        }
        var accepted = request.GetTypedHeaders().AcceptLanguage;
        if (accepted.Count > 0)
        {
            foreach (var language in accepted.OrderByDescending(value => value.Quality ?? 1))
            {
                if (language.Quality is 0)
                {
                    continue;
                }
                if (Normalize(language.Value.Value) is { } fromHeader)
                {
                    return fromHeader;
                }
            }
        }
        return English;
    }

    /// <summary>"en-GB" → en, "zh-CN"/"zh" → zh-Hans, anything else → null.</summary>
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

    public static IApplicationBuilder UseUiLanguage(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var culture = Choose(context.Request) == Chinese ? ChineseCulture : EnglishCulture;
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            context.Response.Headers.ContentLanguage = culture.Name;
            context.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, "Accept-Language, Cookie");
            return next(context);
        });

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
