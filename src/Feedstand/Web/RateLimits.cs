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
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            AddPerClient(options, Preview, limits.RatePreviewPerMinute);
            AddPerClient(options, Forms, limits.RateFormsPerMinute);
            AddPerClient(options, Login, limits.RateLoginPerMinute);
            AddPerClient(options, Api, limits.RateApiPerMinute);
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
