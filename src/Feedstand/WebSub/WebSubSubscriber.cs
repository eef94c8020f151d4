using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Settings;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.WebSub;

/// <summary>Content a hub pushed, signature checked, waiting to be merged.</summary>
public sealed record PushedContent(long FeedId, string Topic, byte[] Body, string? ContentType);

/// <summary>What the callback answers a push.</summary>
public enum PushVerdict
{
    /// <summary>Signed right and queued to be merged: 202.</summary>
    Accepted,

    /// <summary>Unsigned or wrongly signed: ignored, nothing stored; still 202 (WebSub §8 lets the subscriber acknowledge, so a forger learns nothing).</summary>
    Ignored,

    /// <summary>No such subscription (ended, or never ours): 410, which tells the hub to stop.</summary>
    Gone,

    /// <summary>Too many pushes waiting: 503, the hub retries.</summary>
    Busy,
}

/// <summary>
/// The subscriber side of WebSub. The refresh path records the hub and topic each feed names
/// (<see cref="FetchState.WebSubHub"/>); <see cref="ReconcileAsync"/> subscribes the feeds that
/// name one, renews leases before they end (at 80 %), asks again with
/// backoff when a hub does not verify, and unsubscribes when a feed is retired or removed or its
/// hub or topic changed. The callback (/websub/callback/{token}) answers the hub's verification
/// only for a matching subscription, and takes pushes only with a valid signature; pushed content
/// goes through <see cref="FeedRefresher.PushAsync"/>, the same parse, sanitize and merge as a poll.
/// </summary>
public sealed class WebSubSubscriber(
    IServiceScopeFactory scopes,
    IServiceProvider services,
    IHttpClientFactory httpClients,
    FeedRefresher refresher,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<WebSubSubscriber> logger)
{
    /// <summary>The longest wait before asking a hub again that did not verify (or denied).</summary>
    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromDays(1);

    /// <summary>How long an unsubscription waits for the hub's verification before the row is dropped anyway.</summary>
    public static readonly TimeSpan UnsubscribeWait = TimeSpan.FromDays(1);

    private const int Batch = 50;

    private readonly FeedstandOptions _options = options.Value;
    private readonly Channel<PushedContent> _pushes = Channel.CreateBounded<PushedContent>(new BoundedChannelOptions(64) { SingleReader = true });

    public bool IsEnabled => _options.IsWebSubEnabled;

    /// <summary>Pushes accepted by the callback, merged by <see cref="WebSubWorker"/> one after the other.</summary>
    public ChannelReader<PushedContent> Pushes => _pushes.Reader;

    /// <summary>Our callback for a subscription: {PUBLIC_URL}/websub/callback/{token}.</summary>
    public string CallbackUrl(string token) => _options.PublicUrl.TrimEnd('/') + "/websub/callback/" + token;

    /// <summary>Subscribes, renews, retries and unsubscribes whatever is due; returns the requests sent.</summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        if (!IsEnabled)
        {
            return 0;
        }
        var sent = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var now = clock.GetUtcNow();

        // 1. Feeds that name a hub and have no subscription for it yet.
        var wanted = await db.FetchStates.AsNoTracking()
            .Where(s => s.WebSubHub != null && s.WebSubTopic != null && s.Feed!.Status == FeedStatus.Active)
            .Where(s => !db.WebSubSubscriptions.Any(w => w.FeedId == s.FeedId && w.HubUrl == s.WebSubHub && w.Topic == s.WebSubTopic && w.State != WebSubState.Unsubscribing))
            .OrderBy(s => s.FeedId)
            .Select(s => new { s.FeedId, Hub = s.WebSubHub!, Topic = s.WebSubTopic! })
            .Take(Batch).ToListAsync(ct).ConfigureAwait(false);
        foreach (var feed in wanted)
        {
            var subscription = new WebSubSubscription
            {
                FeedId = feed.FeedId,
                HubUrl = feed.Hub,
                Topic = feed.Topic,
                CallbackToken = RandomToken(),
                Secret = RandomToken(),
                State = WebSubState.Subscribing,
                RequestedAt = now,
                NextActionAt = now,
            };
            db.WebSubSubscriptions.Add(subscription);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await RequestAsync(db, subscription, "subscribe", ct).ConfigureAwait(false);
            sent++;
        }

        // 2. Subscriptions no feed wants any more: retired, removed, or another hub or topic now.
        var stale = await db.WebSubSubscriptions
            .Where(w => w.State != WebSubState.Unsubscribing)
            .Where(w => !db.FetchStates.Any(s => s.FeedId == w.FeedId && s.WebSubHub == w.HubUrl && s.WebSubTopic == w.Topic && s.Feed!.Status == FeedStatus.Active))
            .OrderBy(w => w.Id)
            .Take(Batch).ToListAsync(ct).ConfigureAwait(false);
        foreach (var subscription in stale)
        {
            if (subscription.State == WebSubState.Active)
            {
                await db.FetchStates.Where(s => s.FeedId == subscription.FeedId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.WebSubUntil, (DateTimeOffset?)null), ct).ConfigureAwait(false);
            }
            if (subscription.State == WebSubState.Denied)
            {
                db.WebSubSubscriptions.Remove(subscription); // nothing to end at the hub
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                continue;
            }
            subscription.State = WebSubState.Unsubscribing;
            subscription.NextActionAt = now + UnsubscribeWait;
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await RequestAsync(db, subscription, "unsubscribe", ct).ConfigureAwait(false);
            sent++;
        }

        // 3. Due: leases to renew, requests the hub never verified, denials a day old, unsubscriptions never confirmed.
        var due = await db.WebSubSubscriptions.Where(w => w.NextActionAt <= now).OrderBy(w => w.NextActionAt)
            .Take(Batch).ToListAsync(ct).ConfigureAwait(false);
        foreach (var subscription in due)
        {
            if (subscription.State == WebSubState.Unsubscribing)
            {
                db.WebSubSubscriptions.Remove(subscription);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                continue;
            }
            if (subscription.State == WebSubState.Active && subscription.ExpiresAt <= now)
            {
                // The lease ran out before a renewal was verified: back to polling until one is.
                subscription.State = WebSubState.Subscribing;
                await db.FetchStates.Where(s => s.FeedId == subscription.FeedId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.WebSubUntil, (DateTimeOffset?)null), ct).ConfigureAwait(false);
            }
            if (subscription.State == WebSubState.Denied)
            {
                subscription.State = WebSubState.Subscribing;
            }
            subscription.RequestedAt = now;
            await RequestAsync(db, subscription, "subscribe", ct).ConfigureAwait(false);
            sent++;
        }
        return sent;
    }

    /// <summary>
    /// Sends a subscription request to the hub (WebSub §5.1), through the SSRF guard (hub URLs come
    /// from feeds). Whatever the answer, the next action is scheduled: a retry with backoff until
    /// the hub verifies (verification moves it to the lease's renewal time).
    /// </summary>
    private async Task RequestAsync(FeedstandDb db, WebSubSubscription subscription, string mode, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>
        {
            ["hub.mode"] = mode,
            ["hub.topic"] = subscription.Topic,
            ["hub.callback"] = CallbackUrl(subscription.CallbackToken),
        };
        if (mode == "subscribe")
        {
            fields["hub.lease_seconds"] = _options.WebSubLeaseSeconds.ToString(CultureInfo.InvariantCulture);
            fields["hub.secret"] = subscription.Secret;
        }
        string? error = null;
        if (!Uri.TryCreate(subscription.HubUrl, UriKind.Absolute, out var hubUri) || AddressGuard.CheckScheme(hubUri) is not null)
        {
            error = $"not an http or https hub URL: {subscription.HubUrl}";
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(WebSubHub.RequestTimeout);
                using var request = new HttpRequestMessage(HttpMethod.Post, hubUri) { Content = new FormUrlEncodedContent(fields) };
                request.Headers.TryAddWithoutValidation("User-Agent", $"Feedstand/1.0 (+{_options.PublicUrl}; WebSub)");
                using var response = await httpClients.CreateClient(FeedFetcher.ClientName)
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var body = (await WebSubHub.ReadSmallAsync(response, 300, timeout.Token).ConfigureAwait(false)).Trim();
                    error = $"the hub answered HTTP {(int)response.StatusCode}" + (body.Length > 0 ? ": " + body : "");
                }
            }
            catch (HttpRequestException ex)
            {
                error = ex.GetBaseException() is AddressRefusedException refused ? refused.Message : $"cannot reach the hub: {ex.Message}";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"the hub did not answer within {WebSubHub.RequestTimeout.TotalSeconds:0} s";
            }
        }

        var now = clock.GetUtcNow();
        if (mode == "subscribe")
        {
            subscription.Attempts++;
            subscription.NextActionAt = now + RetryWait(subscription.Attempts);
        }
        subscription.LastError = error is { Length: > 500 } ? error[..500] : error;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        if (error is null)
        {
            Log.Requested(logger, subscription.HubUrl, mode, subscription.FeedId, subscription.Topic);
        }
        else
        {
            Log.RequestFailed(logger, subscription.HubUrl, mode, subscription.FeedId, error);
        }
    }

    /// <summary>The wait before asking again after <paramref name="attempts"/> requests without verification: 1 h, 2 h, 4 h … up to a day.</summary>
    public static TimeSpan RetryWait(int attempts)
    {
        var wait = TimeSpan.FromHours(Math.Pow(2, Math.Clamp(attempts - 1, 0, 10)));
        return wait > MaxRetryWait ? MaxRetryWait : wait;
    }

    /// <summary>
    /// The hub's verification of intent (WebSub §5.3) at our callback. Answers the challenge only
    /// when the token is a subscription of ours, in a state that expects this mode, for this very
    /// topic; null (404) otherwise. A verified subscribe starts (or renews) the lease; a verified
    /// unsubscribe ends the subscription; a denial is recorded.
    /// </summary>
    public async Task<string?> VerifyAsync(string token, string? mode, string? topic, string? challenge, string? leaseSeconds, string? reason, CancellationToken ct)
    {
        if (!IsEnabled || string.IsNullOrEmpty(topic) || token.Length > 64)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var subscription = await db.WebSubSubscriptions.SingleOrDefaultAsync(w => w.CallbackToken == token, ct).ConfigureAwait(false);
        if (subscription is null || !string.Equals(subscription.Topic, topic, StringComparison.Ordinal))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        switch (mode)
        {
            case "subscribe" when subscription.State is WebSubState.Subscribing or WebSubState.Active && !string.IsNullOrEmpty(challenge):
            {
                var lease = int.TryParse(leaseSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var granted) && granted > 0
                    ? granted
                    : _options.WebSubLeaseSeconds;
                subscription.State = WebSubState.Active;
                subscription.LeaseSeconds = lease;
                subscription.VerifiedAt = now;
                subscription.ExpiresAt = now.AddSeconds(lease);
                subscription.NextActionAt = RenewalTime(now, lease);
                subscription.Attempts = 0;
                subscription.LastError = null;
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                var until = subscription.ExpiresAt;
                await db.FetchStates.Where(s => s.FeedId == subscription.FeedId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.WebSubUntil, until), ct).ConfigureAwait(false);
                Log.Verified(logger, subscription.HubUrl, "subscribe", subscription.FeedId, lease);
                return challenge;
            }
            case "unsubscribe" when subscription.State == WebSubState.Unsubscribing && !string.IsNullOrEmpty(challenge):
                db.WebSubSubscriptions.Remove(subscription);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                Log.Verified(logger, subscription.HubUrl, "unsubscribe", subscription.FeedId, 0);
                return challenge;
            case "denied" when subscription.State is WebSubState.Subscribing or WebSubState.Active:
                var why = string.IsNullOrWhiteSpace(reason) ? "no reason given" : reason.Trim();
                subscription.State = WebSubState.Denied;
                subscription.LastError = "denied by the hub: " + (why.Length > 400 ? why[..400] : why);
                subscription.NextActionAt = now + MaxRetryWait;
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                await db.FetchStates.Where(s => s.FeedId == subscription.FeedId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.WebSubUntil, (DateTimeOffset?)null), ct).ConfigureAwait(false);
                Log.Denied(logger, subscription.HubUrl, subscription.FeedId, why);
                return "";
            default:
                return null;
        }
    }

    /// <summary>When to renew a lease granted at <paramref name="now"/>: at 80 % of it (a 10-day lease two days before it ends).</summary>
    public static DateTimeOffset RenewalTime(DateTimeOffset now, int leaseSeconds) => now + TimeSpan.FromSeconds(leaseSeconds) * 0.8;

    /// <summary>
    /// A push at our callback (WebSub §7, §8): accepted only for an active subscription and with an
    /// <c>X-Hub-Signature</c> that matches the body under its secret; then queued, so the hub gets
    /// its 2xx at once and the merge runs right after.
    /// </summary>
    public async Task<PushVerdict> AcceptPushAsync(string token, byte[] body, string? contentType, string? signature, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!IsEnabled || token.Length > 64)
        {
            return PushVerdict.Gone;
        }
        WebSubSubscription? subscription;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            subscription = await db.WebSubSubscriptions.AsNoTracking().SingleOrDefaultAsync(w => w.CallbackToken == token, ct).ConfigureAwait(false);
        }
        if (subscription is null || subscription.State is WebSubState.Unsubscribing or WebSubState.Denied)
        {
            return PushVerdict.Gone;
        }
        if (subscription.State != WebSubState.Active)
        {
            Log.PushIgnored(logger, subscription.FeedId, "the subscription is not verified yet");
            return PushVerdict.Ignored;
        }
        if (!HubSignature.IsValid(signature, subscription.Secret, body))
        {
            Log.PushIgnored(logger, subscription.FeedId, string.IsNullOrEmpty(signature) ? "no X-Hub-Signature" : "X-Hub-Signature does not match");
            return PushVerdict.Ignored;
        }
        return _pushes.Writer.TryWrite(new PushedContent(subscription.FeedId, subscription.Topic, body, contentType))
            ? PushVerdict.Accepted
            : PushVerdict.Busy;
    }

    /// <summary>Merges one push through the refresh path and evicts the feed's cached pages, so the post shows at once.</summary>
    public async Task<RefreshOutcome> ProcessAsync(PushedContent push, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(push);
        FeedToFetch? feed;
        string? slug;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            var row = await db.Feeds.AsNoTracking().Where(f => f.Id == push.FeedId && f.Status == FeedStatus.Active)
                .Select(f => new { f.Slug, Feed = new FeedToFetch(f.Id, f.FeedUrl, f.SiteUrl, f.IconUrl, f.FetchState!.ETag, f.FetchState.LastModified) })
                .SingleOrDefaultAsync(ct).ConfigureAwait(false);
            feed = row?.Feed;
            slug = row?.Slug;
            if (row is not null)
            {
                var now = clock.GetUtcNow();
                await db.WebSubSubscriptions.Where(w => w.FeedId == push.FeedId && w.State == WebSubState.Active)
                    .ExecuteUpdateAsync(w => w.SetProperty(x => x.LastPushAt, now), ct).ConfigureAwait(false);
            }
        }
        if (feed is null || slug is null)
        {
            return RefreshOutcome.Missing;
        }
        var outcome = await refresher.PushAsync(feed, FetchResult.FromBody(push.Topic, push.Body, push.ContentType), ct).ConfigureAwait(false);
        if (outcome.Status == RefreshStatus.Failed)
        {
            Log.PushIgnored(logger, push.FeedId, outcome.Error?.Message ?? "not a feed");
        }
        else
        {
            Log.Pushed(logger, push.FeedId, outcome.NewEntries, outcome.UpdatedEntries);
        }
        if (services.GetService<IOutputCacheStore>() is { } cache && outcome.Status == RefreshStatus.Updated)
        {
            // New posts also change the directory's lists; an edit only the feed's own pages.
            if (outcome.NewEntries > 0)
            {
                await Web.PageCache.EvictAsync(cache, ct).ConfigureAwait(false);
            }
            else
            {
                await cache.EvictByTagAsync(Web.PageCache.FeedTag(slug), ct).ConfigureAwait(false);
            }
        }
        return outcome;
    }

    private static string RandomToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
