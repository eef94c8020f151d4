using Feedstand.Data;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

/// <summary>
/// The background refresher of <c>serve</c>: every <see cref="FeedstandOptions.RefreshIntervalSeconds"/>
/// it runs a <see cref="RefreshCycle"/> over the due feeds. Off with <c>FEEDSTAND_REFRESH=false</c>.
/// </summary>
public sealed class RefreshWorker(
    RefreshCycle cycle,
    Translation.TranslationStage translation,
    Discovery.SimilarFeeds similarFeeds,
    Discovery.SubscriptionCounter subscriptions,
    IServiceScopeFactory scopes,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<RefreshWorker> logger) : BackgroundService
{
    /// <summary>The longest wait between two cycles while they keep failing.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Refresh)
        {
            return;
        }
        var interval = TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds);
        using var timer = new PeriodicTimer(interval, clock);
        var failures = 0;
        do
        {
            if (failures > 1)
            {
                // Cycles keep failing (the database is away): wait longer each time, up to MaxBackoff.
                var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, interval.Ticks << Math.Min(failures - 1, 20)));
                await Task.Delay(backoff - interval, clock, stoppingToken).ConfigureAwait(false);
            }
            try
            {
                await cycle.RunAsync(all: false, progress: null, stoppingToken).ConfigureAwait(false);
                await translation.RunAfterRefreshAsync(stoppingToken).ConfigureAwait(false);
                await similarFeeds.RunAfterRefreshAsync(stoppingToken).ConfigureAwait(false);
                await ForgetPastSubscriptionDaysAsync(stoppingToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseOutage.IsCause(ex))
            {
                failures++;
                Log.CycleDatabaseUnavailable(logger, DatabaseOutage.Describe(ex), failures);
            }
            catch (Exception ex)
            {
                // Our own fault: logged in full, and tried again at the next tick.
                failures++;
                Log.CycleFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Yesterday's visitor hashes and day key go even on a day nobody subscribes.</summary>
    private async Task ForgetPastSubscriptionDaysAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await subscriptions.ForgetPastDaysAsync(scope.ServiceProvider.GetRequiredService<FeedstandDb>(), ct).ConfigureAwait(false);
    }
}
