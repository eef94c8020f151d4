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
        services.AddSingleton<PreviewBudget>();
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
            options.AddPolicy(Preview, context =>
            {
                var client = ClientAddress(context);
                var budget = context.RequestServices.GetRequiredService<PreviewBudget>();
                return RateLimitPartition.Get(client, budget.For);
            });
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
            return RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context), _ => PerMinute(perMinute));
        });

    /// <summary>The key every limit counts by: the client's address (after the trusted-proxy rules).</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}

/// <summary>
/// One budget per client for everything that fetches a URL on a visitor's behalf
/// (FEEDSTAND_RATE_PREVIEW_PER_MINUTE): the <c>/preview</c> page and the feed check through the
/// <see cref="RateLimits.Preview"/> policy, MCP's <c>preview_url</c> through <see cref="TryAcquire"/>.
/// A client cannot get twice the fetches by using both doors.
/// </summary>
public sealed class PreviewBudget(IOptions<FeedstandOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => RateLimits.PerMinute(options.Value.RatePreviewPerMinute)));

    /// <summary>True when the client may fetch now (one permit taken).</summary>
    public bool TryAcquire(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
        return lease.IsAcquired;
    }

    /// <summary>The client's share as a limiter of its own, for the rate-limiting middleware's partition.</summary>
    internal RateLimiter For(string client) => new ClientShare(_limiter, client);

    public void Dispose() => _limiter.Dispose();

    /// <summary>
    /// A view of one client's window in the shared limiter. The middleware disposes it when idle;
    /// that leaves the shared window (and its count) alone.
    /// </summary>
    private sealed class ClientShare(PartitionedRateLimiter<string> shared, string client) : RateLimiter
    {
        private long _lastUsed = System.Diagnostics.Stopwatch.GetTimestamp();

        public override TimeSpan? IdleDuration => System.Diagnostics.Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => shared.GetStatistics(client);

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            Volatile.Write(ref _lastUsed, System.Diagnostics.Stopwatch.GetTimestamp());
            return shared.AttemptAcquire(client, permitCount);
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _lastUsed, System.Diagnostics.Stopwatch.GetTimestamp());
            return shared.AcquireAsync(client, permitCount, cancellationToken);
        }
    }
}
