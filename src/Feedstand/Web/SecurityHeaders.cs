using Feedstand.Feeds.Sanitizing;
using Feedstand.Media;

namespace Feedstand.Web;

/// <summary>A strict Content-Security-Policy and the other security headers on every response.</summary>
public static class SecurityHeaders
{
    /// <summary>The policy with the default media proxy mode (http-only).</summary>
    public static readonly string ContentSecurityPolicy = For(MediaProxyMode.HttpOnly);

    /// <summary>
    /// img-src follows the media proxy (FEEDSTAND_MEDIA_PROXY): with <c>all</c> every image is ours or
    /// inline data; with <c>http-only</c> https images load directly and http ones come through /media;
    /// with <c>none</c> http images load directly too (mixed content on an https site).
    /// frame-src comes from the sanitizer's policy: every player it keeps, and only those.
    /// </summary>
    public static string For(MediaProxyMode mode)
    {
        var images = mode switch
        {
            MediaProxyMode.All => "'self' data:",
            MediaProxyMode.None => "'self' https: http: data:",
            _ => "'self' https: data:",
        };
        return "default-src 'self'; script-src 'self'; style-src 'self'; " +
            $"img-src {images}; frame-src {SanitizerPolicy.FrameSources}; " +
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = For(app.ApplicationServices.GetRequiredService<MediaLinks>().Mode);
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next(context);
        });
    }
}
