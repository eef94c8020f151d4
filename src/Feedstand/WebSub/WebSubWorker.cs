using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.WebSub;

/// <summary>
/// The background side of WebSub in <c>serve</c>: merges pushed content as it comes, verifies the
/// hub's accepted requests, and every <see cref="FeedstandOptions.WebSubIntervalSeconds"/> (or at
/// once when this process queued a delivery) expires leases, sends due deliveries and reconciles
/// our own subscriptions. Each step catches its own failures; none stops the host.
/// </summary>
public sealed class WebSubWorker(
    WebSubSubscriber subscriber,
    WebSubHub hub,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<WebSubWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsWebSubEnabled)
        {
            return Task.CompletedTask;
        }
        return Task.WhenAll(MergePushesAsync(stoppingToken), VerifyIntentsAsync(stoppingToken), TickAsync(stoppingToken));
    }

    private async Task MergePushesAsync(CancellationToken ct)
    {
        await foreach (var push in subscriber.Pushes.ReadAllAsync(ct).ConfigureAwait(false))
        {
            await RunAsync("merging a push", () => subscriber.ProcessAsync(push, ct), ct).ConfigureAwait(false);
        }
    }

    private async Task VerifyIntentsAsync(CancellationToken ct)
    {
        await foreach (var intent in hub.Intents.ReadAllAsync(ct).ConfigureAwait(false))
        {
            await RunAsync("verifying a hub request", () => hub.VerifyAsync(intent, ct), ct).ConfigureAwait(false);
        }
    }

    private async Task TickAsync(CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(options.Value.WebSubIntervalSeconds);
        while (!ct.IsCancellationRequested)
        {
            await RunAsync("expiring hub leases", () => hub.ExpireLeasesAsync(ct), ct).ConfigureAwait(false);
            await RunAsync("delivering to hub subscribers", () => hub.DeliverDueAsync(ct), ct).ConfigureAwait(false);
            await RunAsync("reconciling subscriptions", () => subscriber.ReconcileAsync(ct), ct).ConfigureAwait(false);

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var woken = hub.Wake.WaitToReadAsync(wait.Token).AsTask();
            var ticked = Task.Delay(interval, clock, wait.Token);
            await Task.WhenAny(woken, ticked).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
            while (hub.Wake.TryRead(out _))
            {
            }
        }
    }

    private async Task RunAsync<T>(string step, Func<Task<T>> work, CancellationToken ct)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.StepFailed(logger, ex, step);
        }
    }
}
