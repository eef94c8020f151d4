using System.Threading.RateLimiting;
using Feedstand.Settings;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Feedstand.Web;

/// <summary>The named rate-limit policies: a fixed window per client IP address.</summary>
public static class RateLimits
{
    public const string Preview = "preview";
    public const string Forms = "forms";
    public const string Login = "login";
    public const string Api = "api";
    public const string Media = "media";
    public const string WebSub = "websub";

    /// <summary>The limits come from <see cref="FeedstandOptions"/> (FEEDSTAND_RATE_*), read when the limiter is built.</summary>
    public static IServiceCollection AddFeedstandRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<FeedstandOptions>>((options, settings) =>
        {
            var limits = settings.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                context.HttpContext.Items[RetryAfterKey] = seconds;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            AddPerClient(options, Preview, limits.RatePreviewPerMinute);
            AddPerClient(options, Forms, limits.RateFormsPerMinute);
            AddPerClient(options, Login, limits.RateLoginPerMinute);
            AddPerClient(options, Api, limits.RateApiPerMinute);
            AddPerClient(options, Media, limits.RateMediaPerMinute);
            AddPerClient(options, WebSub, limits.RateWebSubPerMinute);
        });
        return services;
    }

    private const string RetryAfterKey = "feedstand.retry-after";

    /// <summary>The seconds the rate limiter told a rejected request to wait (60 when it did not say).</summary>
    public static int RetryAfterSeconds(HttpContext context) =>
        context.Items.TryGetValue(RetryAfterKey, out var value) && value is int seconds ? seconds : 60;

    /// <summary>
    /// Forms and login count submissions only: reading the form (GET, HEAD) is free, so a visitor who
    /// opens a form ten times is never locked out before sending it.
    /// </summary>
    private static bool CountsOnlySubmissions(string name) => name is Forms or Login;

    private static void AddPerClient(RateLimiterOptions options, string name, int perMinute) =>
        options.AddPolicy(name, context =>
        {
            if (CountsOnlySubmissions(name) && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                return RateLimitPartition.GetNoLimiter("read");
            }
            return RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, perMinute),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
        });
}
