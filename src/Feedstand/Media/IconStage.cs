using System.Text;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Feeds.Discovery;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Media;

/// <summary>
/// The icon stage: beside the refresher (its own loop, so a slow icon server never delays a refresh),
/// it fetches the site icon of feeds already stored, at most once a week per feed, and keeps the bytes
/// in <c>feed_icons</c> for <c>/icons/{slug}</c>. The feed's icon/logo/image first, else the site page's
/// <c>link rel=icon</c>/apple-touch-icon, else <c>/favicon.ico</c>; every fetch through the SSRF guard.
/// </summary>
public sealed partial class IconStage(
    IServiceScopeFactory scopes,
    FeedFetcher fetcher,
    WriteLock writeLock,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<IconStage> logger) : BackgroundService
{
    public static readonly TimeSpan RefetchAfter = TimeSpan.FromDays(7);

    /// <summary>Feeds looked at per run, and icons fetched at once (the per-host limit applies too).</summary>
    public const int FeedsPerRun = 50;
    public const int Concurrency = 4;

    /// <summary>Larger icons are refused: an icon is shown at 64 px.</summary>
    public const int MaxIconBytes = 1 << 20;

    private sealed record Due(long Id, string? WantedUrl, string? SiteUrl, string FeedUrl);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Refresh || !options.Value.Icons)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds), clock);
        do
        {
            try
            {
                // A full batch means more are due: go on without waiting for the tick (a bounded number of times).
                for (var batch = 0; batch < 20 && await RunOnceAsync(stoppingToken).ConfigureAwait(false) == FeedsPerRun; batch++)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRunFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Fetches the icons of up to <see cref="FeedsPerRun"/> due feeds; returns how many were due.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var fresh = now - RefetchAfter;
        List<Due> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            due = await db.Feeds.AsNoTracking()
                .Where(f => f.Status == FeedStatus.Active && f.FetchState != null && f.FetchState.LastSuccessAt != null)
                .Where(f => !db.FeedIcons.Any(i => i.FeedId == f.Id && i.FetchedAt > fresh && i.WantedUrl == f.DisplayIconUrl))
                .OrderBy(f => f.Id)
                .Select(f => new Due(f.Id, f.DisplayIconUrl, f.SiteUrl, f.FeedUrl))
                .Take(FeedsPerRun)
                .ToListAsync(ct).ConfigureAwait(false);
        }
        if (due.Count == 0)
        {
            return 0;
        }
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (feed, token) =>
        {
            var icon = await FetchIconAsync(feed, token).ConfigureAwait(false);
            icon.FetchedAt = clock.GetUtcNow();
            await SaveAsync(icon, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        LogRun(logger, due.Count);
        return due.Count;
    }

    private async Task<FeedIcon> FetchIconAsync(Due feed, CancellationToken ct)
    {
        var icon = new FeedIcon { FeedId = feed.Id, WantedUrl = feed.WantedUrl };
        var tried = new HashSet<string>(StringComparer.Ordinal);
        if (feed.WantedUrl is { } wanted && await TryAsync(icon, wanted, tried, ct).ConfigureAwait(false))
        {
            return icon;
        }
        var site = feed.SiteUrl ?? feed.FeedUrl;
        if (!Uri.TryCreate(site, UriKind.Absolute, out var siteUri) || siteUri.Scheme is not ("http" or "https"))
        {
            icon.Error ??= "no site address to look for an icon";
            return icon;
        }
        using (var page = await fetcher.FetchPageAsync(siteUri.AbsoluteUri, ct).ConfigureAwait(false))
        {
            if (page.IsSuccess && FeedDiscovery.LooksLikeHtml(page.Body.Span))
            {
                foreach (var link in FeedDiscovery.FindIcons(Encoding.UTF8.GetString(page.Body.Span), new Uri(page.FinalUrl)).Take(3))
                {
                    if (await TryAsync(icon, link, tried, ct).ConfigureAwait(false))
                    {
                        return icon;
                    }
                }
            }
        }
        await TryAsync(icon, new Uri(siteUri, "/favicon.ico").AbsoluteUri, tried, ct).ConfigureAwait(false);
        return icon;
    }

    /// <summary>Fetches one candidate; on success the icon holds its bytes, else the last error.</summary>
    private async Task<bool> TryAsync(FeedIcon icon, string url, HashSet<string> tried, CancellationToken ct)
    {
        if (!tried.Add(url))
        {
            return false;
        }
        icon.SourceUrl = url;
        using var fetched = await fetcher.FetchImageAsync(url, ct).ConfigureAwait(false);
        if (MediaProxy.Check(fetched, out var type) is { } refused)
        {
            icon.Error = refused.Problem is { Length: > 500 } problem ? problem[..500] : refused.Problem;
            return false;
        }
        if (fetched.Body.Length > MaxIconBytes)
        {
            icon.Error = $"icon larger than {FeedFetcher.FormatBytes(MaxIconBytes)}";
            return false;
        }
        icon.Body = fetched.Body.ToArray();
        icon.ContentType = type;
        icon.ETag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(icon.Body).AsSpan(0, 16)) + "\"";
        icon.Error = null;
        return true;
    }

    private async Task SaveAsync(FeedIcon icon, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            await db.FeedIcons.Where(i => i.FeedId == icon.FeedId).ExecuteDeleteAsync(ct).ConfigureAwait(false);
            db.FeedIcons.Add(icon);
            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (DbUpdateException ex)
            {
                // The feed was deleted meanwhile, or another node saved the same icon: nothing to keep.
                LogSaveFailed(logger, icon.FeedId, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Icon stage: {Feeds} feeds' icons fetched")]
    private static partial void LogRun(ILogger logger, int feeds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Icon of feed {FeedId} not saved: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, long feedId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Icon stage run failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
