using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Feedstand.Web;

/// <summary>Per-client limits, in requests per minute; settable as FEEDSTAND_RATE_* (tests lower them).</summary>
public sealed class RateLimitOptions
{
    [ConfigurationKeyName("RATE_PREVIEW_PER_MINUTE")]
    public int PreviewPerMinute { get; set; } = 20;

    [ConfigurationKeyName("RATE_FORMS_PER_MINUTE")]
    public int FormsPerMinute { get; set; } = 10;

    [ConfigurationKeyName("RATE_LOGIN_PER_MINUTE")]
    public int LoginPerMinute { get; set; } = 20;

    [ConfigurationKeyName("RATE_API_PER_MINUTE")]
    public int ApiPerMinute { get; set; } = 600;
}

/// <summary>The named rate-limit policies: a fixed window per client IP address.</summary>
public static class RateLimits
{
    public const string Preview = "preview";
    public const string Forms = "forms";
    public const string Login = "login";
    public const string Api = "api";

    public static IServiceCollection AddFeedstandRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(options =>
        {
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
            AddPerClient(options, Preview, limits.PreviewPerMinute);
            AddPerClient(options, Forms, limits.FormsPerMinute);
            AddPerClient(options, Login, limits.LoginPerMinute);
            AddPerClient(options, Api, limits.ApiPerMinute);
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
