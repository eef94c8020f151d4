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
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            AddPerClient(options, Preview, limits.PreviewPerMinute);
            AddPerClient(options, Forms, limits.FormsPerMinute);
            AddPerClient(options, Login, limits.LoginPerMinute);
            AddPerClient(options, Api, limits.ApiPerMinute);
        });
        return services;
    }

    private static void AddPerClient(RateLimiterOptions options, string name, int perMinute) =>
        options.AddPolicy(name, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, perMinute),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
}
