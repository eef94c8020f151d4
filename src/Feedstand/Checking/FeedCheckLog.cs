using System.Text.Json;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Feeds.Checking;
using Feedstand.Feeds.Model;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Checking;

/// <summary>
/// The refresher's part of the check: score each new document while it is still in memory (already
/// parsed, so it is not parsed again), and keep one row per fetch in <c>feed_checks</c> (90 days).
/// </summary>
public static class FeedCheckLog
{
    public static readonly TimeSpan Kept = TimeSpan.FromDays(90);

    /// <summary>The document's check, as stored JSON; null when the check itself fails (it never stops a refresh).</summary>
    public static StoredCheck? CheckFetched(FetchResult response, ParsedFeed parsed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var report = FeedChecker.Check(response.Body, parsed, new CheckInput
        {
            Url = response.FinalUrl,
            ContentType = response.ContentType,
            Http = HttpFactsOf(response),
            Now = now,
        });
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FeedJson.Encoder }))
        {
            CheckJson.Write(writer, report);
        }
        return new StoredCheck(report.Score, System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>What the fetcher records of a response, as the HTTP section reads it.</summary>
    public static HttpFacts HttpFactsOf(FetchResult response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new HttpFacts
        {
            RequestedUrl = response.RequestedUrl,
            FinalUrl = response.FinalUrl,
            Status = response.Status,
            Redirects = response.FinalUrl != response.RequestedUrl
                ? [new RedirectHop(response.IsPermanentlyMoved ? 301 : 302, response.RequestedUrl, response.FinalUrl)]
                : [],
            ContentType = response.ContentType,
            ContentEncoding = response.WireBytes > 0 && response.WireBytes < response.Body.Length ? "compressed" : null,
            ETag = response.ETag,
            LastModified = response.LastModified,
            CacheControl = response.MaxAge is { } maxAge ? $"max-age={(long)maxAge.TotalSeconds}" : null,
            BodyBytes = response.Body.Length,
            WireBytes = response.WireBytes,
            RetryAfterSeconds = response.Error?.RetryAfter?.TotalSeconds,
            Error = response.Error?.Message,
        };
    }

    /// <summary>Adds one row per result to the context (saved with the group); called inside the group's transaction.</summary>
    public static async Task AddAsync(FeedstandDb db, IReadOnlyList<FetchedFeed> results, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(results);
        var withReport = results.Where(r => r.Check is not null).Select(r => r.FeedId).ToList();
        if (withReport.Count > 0)
        {
            await db.FeedChecks.Where(c => withReport.Contains(c.FeedId) && c.ReportJson != null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ReportJson, (string?)null), ct).ConfigureAwait(false);
        }
        var cutoff = now - Kept;
        var ids = results.Select(r => r.FeedId).ToList();
        await db.FeedChecks.Where(c => ids.Contains(c.FeedId) && c.CheckedAt < cutoff).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        foreach (var result in results)
        {
            db.FeedChecks.Add(new FeedCheck
            {
                FeedId = result.FeedId,
                CheckedAt = now,
                Score = result.Check?.Score ?? (result.Error is null ? null : 0),
                Succeeded = result.Error is null,
                Status = result.Response.Status,
                ReportJson = result.Check?.Json,
            });
        }
    }
}

/// <summary>A document's score and its findings as JSON.</summary>
public sealed record StoredCheck(int Score, string Json);
