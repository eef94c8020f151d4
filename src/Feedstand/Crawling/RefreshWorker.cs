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
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<RefreshWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Refresh)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds), clock);
        do
        {
            try
            {
                await cycle.RunAsync(all: false, progress: null, stoppingToken).ConfigureAwait(false);
                await translation.RunAfterRefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database is down or similar: log, and try again at the next tick.
                Log.CycleFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
