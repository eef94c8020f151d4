using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Feedstand.Data;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Discovery;

/// <summary>A subscriber count a feed reader states in its User-Agent.</summary>
public sealed record ReaderReport(string Reader, int Subscribers);

/// <summary>
/// Reads the subscriber counts that hosted readers put in the User-Agent of their fetcher:
/// <c>Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers; like FeedFetcher-Google)</c>,
/// <c>Mozilla/5.0 (compatible; inoreader.com; 5 subscribers)</c>,
/// <c>NewsBlur Feed Fetcher - 3 subscribers - https://www.newsblur.com/site/…</c>,
/// <c>Feedbin feed-id:1 - 7 subscribers</c>, The Old Reader, Feedspot, BazQux, Netvibes and others.
/// Only the readers named in <see cref="Known"/> are believed: anyone can send a User-Agent, and an
/// unknown name with a big number is more likely a joke than a reader.
/// </summary>
public static partial class ReaderAgents
{
    /// <summary>A fragment of the User-Agent (lower case) and the reader's name as shown.</summary>
    private static readonly (string Fragment, string Name)[] Known =
    [
        ("feedly", "Feedly"),
        ("inoreader", "Inoreader"),
        ("newsblur", "NewsBlur"),
        ("feedbin", "Feedbin"),
        ("theoldreader", "The Old Reader"),
        ("old reader", "The Old Reader"),
        ("feedspot", "Feedspot"),
        ("bazqux", "BazQux"),
        ("netvibes", "Netvibes"),
        ("feedhq", "FeedHQ"),
        ("feedwrangler", "Feed Wrangler"),
        ("bloglovin", "Bloglovin"),
        ("g2reader", "G2Reader"),
        ("digg", "Digg Reader"),
        ("feedreader", "FeedReader"),
        ("commafeed", "CommaFeed"),
        ("folo", "Follow"),
    ];

    /// <summary>More than any reader has for one feed: a higher figure is not believed.</summary>
    public const int MaxSubscribers = 10_000_000;

    [GeneratedRegex(@"(\d{1,9}(?:,\d{3})*)\s+(?:subscribers?|readers?|followers?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Count();

    /// <summary>The reader and its figure, or null when the agent states none or is not a known reader.</summary>
    public static ReaderReport? Parse(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent) || userAgent.Length > 1000)
        {
            return null;
        }
        var match = Count().Match(userAgent);
        if (!match.Success
            || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var subscribers)
            || subscribers > MaxSubscribers)
        {
            return null;
        }
        foreach (var (fragment, name) in Known)
        {
            if (userAgent.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return new ReaderReport(name, subscribers);
            }
        }
        return null;
    }
}

/// <summary>
/// Records what readers report when they fetch our re-published feeds (<c>/feeds/{slug}/rss|atom|json</c>,
/// the translated ones below <c>/feeds/{slug}/translated/{lang}/</c>, and <c>/tags/{tag}/rss|atom|json</c>):
/// the latest figure per reader and path in <c>reader_subscribers</c>. Runs before the output cache,
/// so a cached answer is counted too; a figure that has not changed is written at most every few hours.
/// </summary>
public sealed partial class ReaderReportRecorder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ReaderReportRecorder> logger)
{
    /// <summary>How often an unchanged figure is written again, to keep it "seen this month".</summary>
    public static readonly TimeSpan Rewrite = TimeSpan.FromHours(6);

    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<(string Path, string Reader), (int Subscribers, DateTimeOffset At)> _written = new();

    [GeneratedRegex(@"^/feeds/(?<slug>[^/]{1,200})/(?:translated/[^/]{1,35}/)?(?:rss|atom|json)$|^/tags/(?<tag>[^/]{1,100})/(?:rss|atom|json)$", RegexOptions.CultureInvariant)]
    private static partial Regex FeedPath();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context);
        var status = context.Response.StatusCode;
        if (!HttpMethods.IsGet(context.Request.Method) || status is not (StatusCodes.Status200OK or StatusCodes.Status304NotModified))
        {
            return;
        }
        // Cheap tests first: this runs on every request.
        var path = context.Request.Path.Value;
        if (path is null || !(path.EndsWith("/rss", StringComparison.Ordinal) || path.EndsWith("/atom", StringComparison.Ordinal) || path.EndsWith("/json", StringComparison.Ordinal)))
        {
            return;
        }
        var match = FeedPath().Match(path);
        if (!match.Success || ReaderAgents.Parse(context.Request.Headers.UserAgent) is not { } report)
        {
            return;
        }
        try
        {
            await RecordAsync(path, match.Groups["slug"] is { Success: true } slug ? slug.Value : null, report, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The feed was served already; the figure comes again with the reader's next fetch.
            LogRecordFailed(logger, path, ex.GetBaseException().Message);
        }
    }

    /// <summary>Stores <paramref name="report"/> for <paramref name="path"/> (a feed's when <paramref name="slug"/> is set, else a tag's).</summary>
    public async Task RecordAsync(string path, string? slug, ReaderReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = clock.GetUtcNow();
        var key = (path, report.Reader);
        if (_written.TryGetValue(key, out var last) && last.Subscribers == report.Subscribers && now - last.At < Rewrite)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        long? feedId = null;
        if (slug is not null)
        {
            feedId = await db.Feeds.Where(f => f.Slug == slug).Select(f => (long?)f.Id).SingleOrDefaultAsync(ct);
            if (feedId is null)
            {
                return;
            }
        }
        var at = db.Instant(now);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO reader_subscribers (path, reader, feed_id, subscribers, seen_at) VALUES ({path}, {report.Reader}, {feedId}, {report.Subscribers}, {at})
            ON CONFLICT (path, reader) DO UPDATE SET subscribers = excluded.subscribers, seen_at = excluded.seen_at, feed_id = excluded.feed_id
            """, ct);
        if (_written.Count >= MaxRemembered)
        {
            _written.Clear();
        }
        _written[key] = (report.Subscribers, now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record a reader's subscriber count for {Path}: {Error}")]
    private static partial void LogRecordFailed(ILogger logger, string path, string error);
}
