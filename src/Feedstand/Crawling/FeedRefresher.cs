using Feedstand.Data;
using Feedstand.Operations;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Crawling;

/// <summary>
/// The refresh of one feed, end to end, and the one place that knows every step (like miniflux's
/// <c>RefreshFeed</c>). Every entry point calls <see cref="RefreshAsync(FeedToFetch, FetchResult?, CancellationToken)"/>:
/// the background worker and the refresh command through <see cref="RefreshCycle"/>, <c>add</c>, the
/// admin "Refresh now" button and the offline snapshot loader.
/// </summary>
/// <remarks>
/// A singleton holding no <c>DbContext</c>: stage one (<see cref="FeedReader"/>) touches no
/// database, stage two (<see cref="FeedWriter"/>) opens its own scope per transaction, so any
/// number of refreshes run at once.
/// </remarks>
public sealed class FeedRefresher(
    FeedReader reader,
    FeedWriter writer,
    WebSub.WebSubHub hub,
    IServiceScopeFactory scopes,
    FeedstandMetrics metrics,
    TimeProvider clock,
    ILogger<FeedRefresher> logger)
{
    /// <summary>
    /// Fetch → parse → store, then the stages that enrich what was stored. A failure changes only
    /// the feed's fetch state; a crash (our fault: a bug, the database away) is logged and recorded
    /// as <see cref="FetchErrorKind.Crashed"/>, never thrown. Cancellation propagates.
    /// </summary>
    /// <param name="response">A response already at hand (<c>add</c>'s discovery, the offline snapshot); null fetches one.</param>
    public async Task<RefreshOutcome> RefreshAsync(FeedToFetch feed, FetchResult? response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feed);
        try
        {
            // 1. Fetch and parse: the network and the parser, no database.
            var fetched = response is null
                ? await reader.ReadAsync(feed, ct).ConfigureAwait(false)
                : await reader.ReadAsync(feed, response, ct).ConfigureAwait(false);

            // 2. Store: entries merged, metadata, fetch state, next poll. One transaction, shared
            //    with whatever other feeds are waiting to be written.
            var outcome = await writer.SaveAsync(fetched, ct).ConfigureAwait(false);
            metrics.Count(outcome);

            // 3. Enrich what was stored, each stage in its turn: they are called here, after the
            //    store, and read the stored entries. Their failures leave the stored feed as it is.
            await EnrichAsync(feed, outcome, ct).ConfigureAwait(false);
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return await RecordCrashAsync(feed, ex, ct).ConfigureAwait(false);
        }
        finally
        {
            response?.Dispose();
        }
    }

    public Task<RefreshOutcome> RefreshAsync(FeedToFetch feed, CancellationToken ct) => RefreshAsync(feed, null, ct);

    /// <summary>
    /// Content a WebSub hub pushed for the feed: the same parse, sanitize and merge as a poll, then
    /// the same enrichment; the poll schedule and validators stay as they are.
    /// </summary>
    public async Task<RefreshOutcome> PushAsync(FeedToFetch feed, FetchResult pushed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(pushed);
        var read = FeedReader.ReadPushed(feed, pushed, clock.GetUtcNow());
        var outcome = await writer.SaveAsync(read, ct).ConfigureAwait(false);
        await EnrichAsync(feed, outcome, ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// The stages after the store, each in its turn, on new entries: full text for summary-only
    /// feeds, then content owed to the WebSub hub's subscribers of this feed's topics. (Translation
    /// runs after each cycle, over every feed with a target language: RefreshWorker.)
    /// </summary>
    private async Task EnrichAsync(FeedToFetch feed, RefreshOutcome outcome, CancellationToken ct)
    {
        if (outcome.NewEntries == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<FullText.FullTextFetcher>()
                .FetchForNewEntriesAsync([feed.Id], ct).ConfigureAwait(false);
            await hub.QueueDeliveriesAsync(feed.Id, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The feed's own refresh went well: its fetch state says so, and the stages run again
            // with the next new entries. A passing outage is one line; a bug keeps its stack trace.
            if (IsNetworkFailure(ex) || DatabaseOutage.IsCause(ex))
            {
                Log.EnrichStopped(logger, feed.Id, DatabaseOutage.Describe(ex));
            }
            else
            {
                Log.EnrichCrashed(logger, ex, feed.Id);
            }
        }
    }

    /// <summary>Refreshes a stored feed by id (the admin button, <c>refresh --feed</c>); <see cref="RefreshOutcome.Missing"/> when there is none.</summary>
    public async Task<RefreshOutcome> RefreshAsync(long feedId, CancellationToken ct)
    {
        FeedToFetch? feed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            feed = await db.Feeds.AsNoTracking().Where(f => f.Id == feedId)
                .Select(FeedToFetch.Projection)
                .SingleOrDefaultAsync(ct).ConfigureAwait(false);
        }
        return feed is null ? RefreshOutcome.Missing : await RefreshAsync(feed, null, ct).ConfigureAwait(false);
    }

    /// <summary>Our fault, not the feed's: logged, and recorded on the feed (backoff) when the store still answers.</summary>
    private async Task<RefreshOutcome> RecordCrashAsync(FeedToFetch feed, Exception exception, CancellationToken ct)
    {
        FetchError error;
        if (IsNetworkFailure(exception))
        {
            // The network failed in a place the fetcher does not map (a DNS lookup timing out in a
            // redirect, a socket reset mid-body): the feed's trouble, one line, no stack trace.
            error = new FetchError(FetchErrorKind.Connection, exception.GetBaseException().Message);
            Log.NetworkFailure(logger, feed.Id, feed.FeedUrl, error.Message);
        }
        else if (DatabaseOutage.IsCause(exception))
        {
            error = FetchError.Crashed(exception);
            Log.DatabaseUnavailable(logger, feed.Id, DatabaseOutage.Describe(exception));
        }
        else
        {
            error = FetchError.Crashed(exception);
            Log.Crashed(logger, exception, feed.Id);
        }
        try
        {
            await writer.SaveAsync(FetchedFeed.Failed(feed, error), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.CrashNotRecorded(logger, ex, feed.Id);
        }
        var outcome = new RefreshOutcome(RefreshStatus.Failed, Error: error);
        metrics.Count(outcome);
        return outcome;
    }

    private static bool IsNetworkFailure(Exception exception) =>
        exception is HttpRequestException or System.Net.Sockets.SocketException or IOException or TimeoutException
            or OperationCanceledException
        && !DatabaseOutage.IsCause(exception);
}
