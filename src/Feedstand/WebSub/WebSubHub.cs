using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Feedstand.Api;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.WebSub;

/// <summary>A subscription request the hub accepted (202) and will verify with the subscriber.</summary>
public sealed record HubIntent(string Mode, string Callback, string Topic, string TopicPath, int LeaseSeconds, string? Secret);

/// <summary>The hub's answer to a subscription request: 202 and an intent to verify, or an error status and why.</summary>
public sealed record HubAnswer(int Status, string Message, HubIntent? Intent = null);

/// <summary>
/// The WebSub hub of Feedstand's own re-published feeds (per feed, per tag, translated). A request
/// is checked and answered at once (202, or 400 naming the problem); the intent is then verified by
/// calling the subscriber's callback through the SSRF guard with a challenge it must echo. A
/// refresh that stores new entries queues one delivery per subscription of that feed's topics
/// (<see cref="QueueDeliveriesAsync(long, CancellationToken)"/>; translated feeds once translated); the worker sends the topic's current document, signed
/// with the subscriber's secret, and retries with exponential backoff from the table, so a restart
/// loses nothing. Leases end; expired subscriptions are removed.
/// </summary>
public sealed partial class WebSubHub(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    AddressGuard guard,
    IOptions<FeedstandOptions> options,
    TimeProvider clock,
    ILogger<WebSubHub> logger)
{
    /// <summary>Attempts of one delivery before it is dropped (the subscriber then gets the next one).</summary>
    public const int MaxAttempts = 8;

    /// <summary>The wait after the first failed delivery; doubled after each further one, up to <see cref="MaxRetryWait"/>.</summary>
    public static readonly TimeSpan FirstRetryWait = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromHours(6);

    /// <summary>How long a verification or a delivery may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The shortest lease granted.</summary>
    public const int MinLeaseSeconds = 3600;

    /// <summary>WebSub §5.1: hub.secret MUST be less than 200 bytes.</summary>
    public const int MaxSecretBytes = 199;

    private const int DeliveryBatch = 32;

    private readonly FeedstandOptions _options = options.Value;
    private readonly Channel<HubIntent> _intents = Channel.CreateBounded<HubIntent>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public bool IsEnabled => _options.IsWebSubEnabled;

    /// <summary>Accepted intents waiting for their verification (read by <see cref="WebSubWorker"/>).</summary>
    public ChannelReader<HubIntent> Intents => _intents.Reader;

    /// <summary>Signalled when this process queued a delivery, so the worker sends it without waiting for its tick.</summary>
    public ChannelReader<bool> Wake => _wake.Reader;

    /// <summary>
    /// Checks a subscription request (WebSub §5.1) and, when it is good, queues its verification.
    /// </summary>
    /// <param name="requestOrigin">The scheme and host the request came to: topics under it (or under PUBLIC_URL) are ours.</param>
    public async Task<HubAnswer> AcceptAsync(IFormCollection form, string requestOrigin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var mode = form["hub.mode"].ToString();
        if (mode is not ("subscribe" or "unsubscribe"))
        {
            return Bad(mode.Length == 0 ? "hub.mode is missing: send subscribe or unsubscribe" : $"hub.mode must be subscribe or unsubscribe, not \"{Shorten(mode)}\"");
        }
        var callback = form["hub.callback"].ToString();
        if (callback.Length == 0)
        {
            return Bad("hub.callback is missing");
        }
        if (callback.Length > 2048 || !Uri.TryCreate(callback, UriKind.Absolute, out var callbackUri) || callbackUri.Scheme is not ("http" or "https")
            || callbackUri.UserInfo.Length > 0)
        {
            return Bad($"hub.callback must be an absolute http or https URL without user info, not \"{Shorten(callback)}\"");
        }
        var topic = form["hub.topic"].ToString();
        if (topic.Length == 0)
        {
            return Bad("hub.topic is missing");
        }
        if (!TryParseTopic(topic, out var topicUri, out var topicPath)
            || !IsOwnOrigin(topicUri, requestOrigin)
            || !await TopicExistsAsync(topicUri, ct).ConfigureAwait(false))
        {
            return Bad($"hub.topic \"{Shorten(topic)}\" is not a feed this hub publishes: only Feedstand's own re-published feeds "
                + $"({_options.PublicUrl.TrimEnd('/')}/feeds/{{slug}}/rss|atom|json, /tags/{{tag}}/…, /feeds/{{slug}}/translated/{{lang}}/…) are accepted");
        }
        var secret = form["hub.secret"].ToString();
        if (Encoding.UTF8.GetByteCount(secret) > MaxSecretBytes)
        {
            return Bad("hub.secret must be less than 200 bytes");
        }
        var lease = _options.WebSubLeaseSeconds;
        var leaseText = form["hub.lease_seconds"].ToString();
        if (leaseText.Length > 0)
        {
            if (!long.TryParse(leaseText, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) || asked <= 0)
            {
                return Bad($"hub.lease_seconds must be a positive whole number of seconds, not \"{Shorten(leaseText)}\"");
            }
            lease = (int)Math.Clamp(asked, MinLeaseSeconds, _options.WebSubMaxLeaseSeconds);
        }

        // Callbacks are user input: refused now, with the reason, when they resolve to a private address
        // (the verification and every delivery go through the guard again when they connect).
        if (await guard.CheckUrlAsync(callbackUri.AbsoluteUri, ct).ConfigureAwait(false) is { } refused)
        {
            return Bad($"hub.callback refused: {refused.Message}");
        }
        if (mode == "subscribe")
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            var host = callbackUri.IdnHost.ToLowerInvariant();
            var callbackUrl = callbackUri.AbsoluteUri;
            var topicUrl = topicUri.AbsoluteUri;
            // A renewal of what the host already holds is always allowed.
            var held = await db.HubSubscriptions
                .CountAsync(s => s.CallbackHost == host && !(s.Callback == callbackUrl && s.Topic == topicUrl), ct).ConfigureAwait(false);
            if (held >= _options.WebSubMaxPerCallbackHost)
            {
                return new HubAnswer(StatusCodes.Status429TooManyRequests,
                    $"{host} already holds {held} subscriptions at this hub, the most one callback host may hold");
            }
        }

        var intent = new HubIntent(mode, callbackUri.AbsoluteUri, topicUri.AbsoluteUri, topicPath, lease, secret.Length == 0 ? null : secret);
        if (!_intents.Writer.TryWrite(intent))
        {
            return new HubAnswer(StatusCodes.Status503ServiceUnavailable, "too many requests waiting for their verification; try again in a minute");
        }
        return new HubAnswer(StatusCodes.Status202Accepted, $"accepted: the {mode} request will be verified at the callback", intent);
    }

    /// <summary>
    /// Verification of intent (WebSub §5.3): GET the callback with the mode, topic, a random challenge
    /// and the lease; only a 2xx that echoes the challenge confirms. A confirmed subscribe stores (or
    /// renews) the subscription, a confirmed unsubscribe removes it; anything else changes nothing.
    /// </summary>
    /// <returns>True when the subscriber confirmed.</returns>
    public async Task<bool> VerifyAsync(HubIntent intent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var challenge = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var query = $"hub.mode={intent.Mode}&hub.topic={Uri.EscapeDataString(intent.Topic)}&hub.challenge={challenge}";
        if (intent.Mode == "subscribe")
        {
            query += "&hub.lease_seconds=" + intent.LeaseSeconds.ToString(CultureInfo.InvariantCulture);
        }
        var url = intent.Callback + (intent.Callback.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
        string? reason;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            using var response = await httpClients.CreateClient(FeedFetcher.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadSmallAsync(response, 1024, timeout.Token).ConfigureAwait(false);
            reason = !response.IsSuccessStatusCode ? $"the callback answered HTTP {(int)response.StatusCode}"
                : body.Trim() != challenge ? "the callback did not echo the challenge"
                : null;
        }
        catch (HttpRequestException ex)
        {
            reason = ex.GetBaseException() is AddressRefusedException refused ? refused.Message : $"cannot reach the callback: {ex.Message}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            reason = $"the callback did not answer within {RequestTimeout.TotalSeconds:0} s";
        }
        if (reason is not null)
        {
            Log.HubNotVerified(logger, intent.Mode, intent.Topic, intent.Callback, reason);
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var existing = await db.HubSubscriptions.SingleOrDefaultAsync(s => s.Callback == intent.Callback && s.Topic == intent.Topic, ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        if (intent.Mode == "unsubscribe")
        {
            if (existing is not null)
            {
                db.HubSubscriptions.Remove(existing);
            }
        }
        else
        {
            if (existing is null)
            {
                existing = new HubSubscription
                {
                    Callback = intent.Callback,
                    CallbackHost = new Uri(intent.Callback).IdnHost.ToLowerInvariant(),
                    Topic = intent.Topic,
                    TopicPath = intent.TopicPath,
                    CreatedAt = now,
                };
                db.HubSubscriptions.Add(existing);
            }
            existing.Secret = intent.Secret;
            existing.LeaseSeconds = intent.LeaseSeconds;
            existing.ExpiresAt = now.AddSeconds(intent.LeaseSeconds);
            existing.VerifiedAt = now;
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        Log.HubVerified(logger, intent.Mode, intent.Topic, intent.Callback);
        return true;
    }

    /// <summary>
    /// Called by the refresh path when a feed got new entries: one delivery is owed to each live
    /// subscription of the feed's own documents and its tags' documents. A subscription that still
    /// has one pending keeps just that one (it sends the document as it is when sent).
    /// </summary>
    public Task<int> QueueDeliveriesAsync(long feedId, CancellationToken ct) => QueueDeliveriesAsync(feedId, null, ct);

    /// <summary>
    /// Called by the translation stage when it finished entries of a feed in <paramref name="translatedLanguage"/>:
    /// deliveries to the subscribers of that translated feed (a new post joins it only once translated).
    /// </summary>
    public async Task<int> QueueDeliveriesAsync(long feedId, string? translatedLanguage, CancellationToken ct)
    {
        if (!IsEnabled)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var feed = await db.Feeds.AsNoTracking().Where(f => f.Id == feedId && f.Status == FeedStatus.Active)
            .Select(f => new { f.Slug, Tags = f.Tags.Select(t => t.Name).ToList() })
            .SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (feed is null)
        {
            return 0;
        }
        var feedPrefix = "/feeds/" + feed.Slug + "/";
        var translatedPrefix = feedPrefix + "translated/";
        var tagPaths = feed.Tags.SelectMany(t => Formats.Select(f => $"/tags/{t}/{f}")).ToList();
        var topics = translatedLanguage is null
            ? db.HubSubscriptions.Where(s => (s.TopicPath.StartsWith(feedPrefix) && !s.TopicPath.StartsWith(translatedPrefix)) || tagPaths.Contains(s.TopicPath))
            : db.HubSubscriptions.Where(s => s.TopicPath.StartsWith(translatedPrefix + translatedLanguage + "/"));
        var now = clock.GetUtcNow();
        var owed = await topics.AsNoTracking()
            .Where(s => s.ExpiresAt > now)
            .Where(s => !db.HubDeliveries.Any(d => d.SubscriptionId == s.Id))
            .Select(s => s.Id)
            .ToListAsync(ct).ConfigureAwait(false);
        foreach (var subscriptionId in owed)
        {
            db.HubDeliveries.Add(new HubDelivery { SubscriptionId = subscriptionId, QueuedAt = now, NextAttemptAt = now });
        }
        if (owed.Count > 0)
        {
            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another refresh queued one for the same subscription meanwhile: that one sends the current document.
                return 0;
            }
            _wake.Writer.TryWrite(true);
        }
        return owed.Count;
    }

    /// <summary>
    /// Sends the deliveries that are due, each claimed first (its next attempt moved ahead), so two
    /// nodes never send the same one. Success removes it; a failure waits 30 s × 2^(attempts−1)
    /// (at most 6 h); after <see cref="MaxAttempts"/> it is dropped; a 410 ends the subscription.
    /// </summary>
    /// <returns>How many were delivered.</returns>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var delivered = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var now = clock.GetUtcNow();
        var due = await db.HubDeliveries.AsNoTracking()
            .Where(d => d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt)
            .Take(DeliveryBatch)
            .ToListAsync(ct).ConfigureAwait(false);
        foreach (var delivery in due)
        {
            var claimUntil = now + RequestTimeout * 4;
            var claimed = await db.HubDeliveries
                .Where(d => d.Id == delivery.Id && d.NextAttemptAt == delivery.NextAttemptAt)
                .ExecuteUpdateAsync(d => d.SetProperty(x => x.NextAttemptAt, claimUntil), ct).ConfigureAwait(false);
            if (claimed == 0)
            {
                continue; // another node took it
            }
            var subscription = await db.HubSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == delivery.SubscriptionId, ct).ConfigureAwait(false);
            if (subscription is null || subscription.ExpiresAt <= now)
            {
                await db.HubDeliveries.Where(d => d.Id == delivery.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                continue;
            }
            var document = await RenderTopicAsync(db, subscription.Topic, ct).ConfigureAwait(false);
            if (document is null)
            {
                // The feed or tag is gone: nothing to send, now or later.
                await db.HubDeliveries.Where(d => d.Id == delivery.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                continue;
            }
            var (status, error) = await PostAsync(subscription, document, ct).ConfigureAwait(false);
            if (error is null)
            {
                delivered++;
                await db.HubDeliveries.Where(d => d.Id == delivery.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                Log.Delivered(logger, subscription.Topic, subscription.Callback);
                continue;
            }
            if (status == StatusCodes.Status410Gone)
            {
                // WebSub §7: 410 Gone from the callback ends the subscription.
                await db.HubSubscriptions.Where(s => s.Id == subscription.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                continue;
            }
            var attempts = delivery.Attempts + 1;
            if (attempts >= MaxAttempts)
            {
                await db.HubDeliveries.Where(d => d.Id == delivery.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                Log.DeliveryAbandoned(logger, subscription.Topic, subscription.Callback, attempts);
                continue;
            }
            var next = clock.GetUtcNow() + RetryWait(attempts);
            var message = error.Length > 500 ? error[..500] : error;
            await db.HubDeliveries.Where(d => d.Id == delivery.Id)
                .ExecuteUpdateAsync(d => d
                    .SetProperty(x => x.Attempts, attempts)
                    .SetProperty(x => x.NextAttemptAt, next)
                    .SetProperty(x => x.LastError, message), ct).ConfigureAwait(false);
            Log.DeliveryFailed(logger, subscription.Topic, subscription.Callback, attempts, message, next);
        }
        return delivered;
    }

    /// <summary>The wait before attempt <paramref name="failedAttempts"/> + 1: 30 s, 1 min, 2 min … up to 6 h.</summary>
    public static TimeSpan RetryWait(int failedAttempts)
    {
        var wait = FirstRetryWait * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 20));
        return wait > MaxRetryWait ? MaxRetryWait : wait;
    }

    /// <summary>Removes the subscriptions whose lease ended (their pending deliveries go with them).</summary>
    public async Task<int> ExpireLeasesAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var now = clock.GetUtcNow();
        var expired = await db.HubSubscriptions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        if (expired > 0)
        {
            Log.Expired(logger, expired);
        }
        return expired;
    }

    /// <summary>Content distribution (WebSub §7): POST the document, with the hub and self links, signed when a secret was given.</summary>
    private async Task<(int? Status, string? Error)> PostAsync(HubSubscription subscription, Conditional document, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Callback);
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.TryAddWithoutValidation("Link", [$"<{_options.WebSubHubUrl}>; rel=\"hub\"", $"<{subscription.Topic}>; rel=\"self\""]);
            var content = new ByteArrayContent(document.Body.ToArray());
            content.Headers.TryAddWithoutValidation("Content-Type", document.ContentType);
            request.Content = content;
            if (subscription.Secret is { } secret)
            {
                request.Headers.TryAddWithoutValidation(HubSignature.HeaderName, HubSignature.Sign(secret, document.Body.Span));
            }
            using var response = await httpClients.CreateClient(FeedFetcher.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (status, null) : (status, $"the callback answered HTTP {status}");
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.GetBaseException() is AddressRefusedException refused ? refused.Message : $"cannot reach the callback: {ex.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"the callback did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>A topic's current document, rendered as its URL serves it (origin included); null when it no longer exists.</summary>
    public async Task<Conditional?> RenderTopicAsync(FeedstandDb db, string topic, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!TryParseTopic(topic, out var uri, out _))
        {
            return null;
        }
        var origin = uri.GetLeftPart(UriPartial.Authority);
        var match = TopicPattern().Match(uri.AbsolutePath);
        var hub = _options.WebSubHubUrl;
        var format = match.Groups["format"].Value;
        if (match.Groups["tag"].Success)
        {
            return await RepublishEndpoints.RenderTagAsync(db, origin, Uri.UnescapeDataString(match.Groups["tag"].Value), format, null, hub, ct).ConfigureAwait(false);
        }
        var slug = Uri.UnescapeDataString(match.Groups["slug"].Value);
        return match.Groups["lang"].Success
            ? await TranslatedFeedEndpoints.RenderAsync(db, origin, slug, Uri.UnescapeDataString(match.Groups["lang"].Value), format, hub, ct).ConfigureAwait(false)
            : await RepublishEndpoints.RenderFeedAsync(db, origin, slug, format, null, hub, ct).ConfigureAwait(false);
    }

    private async Task<bool> TopicExistsAsync(Uri topic, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        return await RenderTopicAsync(db, topic.AbsoluteUri, ct).ConfigureAwait(false) is not null;
    }

    /// <summary>Whether <paramref name="topic"/> has the shape of one of our re-published feeds (no query: archive pages never change).</summary>
    public static bool TryParseTopic(string topic, out Uri uri, out string path)
    {
        path = "";
        if (!Uri.TryCreate(topic, UriKind.Absolute, out uri!) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }
        if (!TopicPattern().IsMatch(uri.AbsolutePath))
        {
            return false;
        }
        path = uri.AbsolutePath;
        return true;
    }

    private bool IsOwnOrigin(Uri topic, string requestOrigin)
    {
        var origin = topic.GetLeftPart(UriPartial.Authority);
        return origin.Equals(requestOrigin, StringComparison.OrdinalIgnoreCase)
            || Uri.TryCreate(_options.PublicUrl, UriKind.Absolute, out var publicUrl)
            && origin.Equals(publicUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
    }

    private string UserAgent => $"Feedstand/1.0 (+{_options.PublicUrl}; WebSub)";

    private static readonly string[] Formats = ["rss", "atom", "json"];

    [GeneratedRegex("^/(?:feeds/(?<slug>[^/]+)(?:/translated/(?<lang>[^/]+))?|tags/(?<tag>[^/]+))/(?<format>rss|atom|json)$")]
    private static partial Regex TopicPattern();

    private static HubAnswer Bad(string message) => new(StatusCodes.Status400BadRequest, message);

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;

    /// <summary>At most <paramref name="maxBytes"/> of a response body, as text.</summary>
    internal static async Task<string> ReadSmallAsync(HttpResponseMessage response, int maxBytes, CancellationToken ct)
    {
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[maxBytes];
            var length = 0;
            int read;
            while (length < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
