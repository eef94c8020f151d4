using Microsoft.AspNetCore.Diagnostics;
using Feedstand.Data;

namespace Feedstand.Web;

/// <summary>
/// A request that failed because the database went away (PostgreSQL stopped or restarting, the
/// network to it down, SQLite's file unopenable) answers 503 with <c>Retry-After</c> at once,
/// rather than a 500: the fault is passing and the client should come back.
/// </summary>
public sealed partial class DatabaseUnavailable(ILogger<DatabaseUnavailable> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 10;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseOutage.IsCause(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }
        Log.DatabaseUnavailable(logger, httpContext.Request.Path, DatabaseOutage.Describe(exception));
        httpContext.Response.Clear();
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        httpContext.Response.Headers.CacheControl = "no-store";
        if (httpContext.Request.Path.StartsWithSegments("/api"))
        {
            await TypedResults.Problem(
                title: "Service Unavailable",
                detail: $"The database is unavailable for a moment; try again in {RetryAfterSeconds} seconds.",
                statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
            return true;
        }
        // Plain, self-contained HTML: the layout itself would need the database.
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        var message = System.Net.WebUtility.HtmlEncode(UiText.T("error.databaseDown", RetryAfterSeconds));
        await httpContext.Response.WriteAsync(
            $"<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><title>Feedstand</title></head><body><main><h1>Feedstand</h1><p>{message}</p></main></body></html>", cancellationToken);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while serving {Path}: {Reason}")]
        public static partial void DatabaseUnavailable(ILogger logger, string path, string reason);
    }
}
