using System.Collections.Concurrent;
using System.Text;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Feedstand.WebSub;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using static Feedstand.Tests.Infrastructure.Documents;

namespace Feedstand.Tests.WebSub;

/// <summary>
/// The hub of the re-published feeds against a fake subscriber on loopback, walking the
/// Recommendation's hub checks: subscription request, verification of intent (echoed challenge or
/// nothing), signed content distribution on new entries, retries with backoff, lease expiry,
/// unsubscription, refused topics and callbacks, the per-host limit. SQLite and PostgreSQL.
/// </summary>
public sealed class HubTests : IAsyncLifetime
{
    private const string Origin = "https://feedstand.test";
    private static readonly DateTimeOffset Day = TestApp.Start.AddDays(-1);

    private FeedServer _server = null!;
    private readonly ConcurrentQueue<(string Body, string? Signature, string? ContentType, string Links)> _deliveries = new();
    private readonly ConcurrentQueue<IQueryCollection> _verifications = new();

    /// <summary>What the fake subscriber answers a delivery.</summary>
    private int _deliveryAnswer = StatusCodes.Status200OK;

    /// <summary>Whether the fake subscriber echoes the challenge (false: it answers something else).</summary>
    private bool _echo = true;

    public async ValueTask InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _server.Map("/cb", async context =>
        {
            if (HttpMethods.IsGet(context.Request.Method))
            {
                _verifications.Enqueue(context.Request.Query);
                await context.Response.WriteAsync(_echo ? context.Request.Query["hub.challenge"].ToString() : "no thanks");
                return;
            }
            using var reader = new StreamReader(context.Request.Body);
            _deliveries.Enqueue((await reader.ReadToEndAsync(), context.Request.Headers["X-Hub-Signature"], context.Request.ContentType,
                string.Join(", ", context.Request.Headers.Link.ToArray())));
            context.Response.StatusCode = _deliveryAnswer;
        });
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Providers => TestApp.Providers;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestApp> StartAsync(string provider, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["WEBSUB"] = "on", ["WEBSUB_LEASE_SECONDS"] = "86400" };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        return TestApp.StartAsync(provider, values);
    }

    private static FormCollection Form(string mode, string callback, string topic, string? secret = null, string? lease = null)
    {
        var fields = new Dictionary<string, StringValues> { ["hub.mode"] = mode, ["hub.callback"] = callback, ["hub.topic"] = topic };
        if (secret is not null)
        {
            fields["hub.secret"] = secret;
        }
        if (lease is not null)
        {
            fields["hub.lease_seconds"] = lease;
        }
        return new FormCollection(fields);
    }

    /// <summary>The feed "alpha" (tag "rust") from the loopback server, refreshed once.</summary>
    private async Task<long> AddAlphaAsync(TestApp app)
    {
        _server.MapDocument("/alpha.xml", Rss("Alpha", Daily(2, Day, "old")), etag: null);
        var feedId = await app.AddFeedAsync(_server.Url("/alpha.xml"), "alpha", feed => feed.Tags.Add(new Tag { Name = "rust" }));
        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);
        return feedId;
    }

    /// <summary>Asks the hub for a subscription and runs the verification it queued.</summary>
    private static async Task<(HubAnswer Answer, bool Verified)> SubscribeAsync(TestApp app, FormCollection form)
    {
        var hub = app.Get<WebSubHub>();
        var answer = await hub.AcceptAsync(form, Origin, Ct);
        if (answer.Intent is null)
        {
            return (answer, false);
        }
        Assert.True(hub.Intents.TryRead(out var intent));
        return (answer, await hub.VerifyAsync(intent, Ct));
    }

    private static Task<List<HubSubscription>> SubscriptionsAsync(TestApp app) =>
        app.WithDbAsync(db => db.HubSubscriptions.AsNoTracking().ToListAsync());

    private static Task<List<HubDelivery>> DeliveriesAsync(TestApp app) =>
        app.WithDbAsync(db => db.HubDeliveries.AsNoTracking().ToListAsync());

    /// <summary>A new post on alpha's site, refreshed through the refresh path, which queues the deliveries.</summary>
    private async Task NewPostAsync(TestApp app, long feedId, string title)
    {
        _server.MapDocument("/alpha.xml", Rss("Alpha", [new Item("new-" + title, title, TestApp.Start), .. Daily(2, Day, "old")]), etag: null);
        var outcome = await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);
        Assert.Equal(1, outcome.NewEntries);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Subscription_is_verified_and_new_entries_are_delivered_signed(string provider)
    {
        await using var app = await StartAsync(provider);
        var feedId = await AddAlphaAsync(app);
        var topic = Origin + "/feeds/alpha/atom";

        var (answer, verified) = await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), topic, "top secret", "7200"));

        Assert.Equal(StatusCodes.Status202Accepted, answer.Status);
        Assert.True(verified);
        var check = Assert.Single(_verifications);
        Assert.Equal(("subscribe", topic, "7200"), (check["hub.mode"].ToString(), check["hub.topic"].ToString(), check["hub.lease_seconds"].ToString()));
        Assert.True(check["hub.challenge"].ToString().Length >= 32);
        var subscription = Assert.Single(await SubscriptionsAsync(app));
        Assert.Equal(TestApp.Start.AddSeconds(7200), subscription.ExpiresAt);

        await NewPostAsync(app, feedId, "Hot off the press");
        Assert.Single(await DeliveriesAsync(app));
        Assert.Equal(1, await app.Get<WebSubHub>().DeliverDueAsync(Ct));

        var (body, signature, contentType, links) = Assert.Single(_deliveries);
        Assert.Contains("Hot off the press", body, StringComparison.Ordinal);
        Assert.StartsWith("application/atom+xml", contentType, StringComparison.Ordinal);
        Assert.Equal(HubSignature.Sign("top secret", Encoding.UTF8.GetBytes(body)), signature);
        Assert.Contains($"<{Origin}/websub/hub>; rel=\"hub\"", links, StringComparison.Ordinal);
        Assert.Contains($"<{topic}>; rel=\"self\"", links, StringComparison.Ordinal);
        Assert.Contains($"<link rel=\"self\" type=\"application/atom+xml\" href=\"{topic}\"", body, StringComparison.Ordinal);
        Assert.Contains($"<link rel=\"hub\" href=\"{Origin}/websub/hub\"", body, StringComparison.Ordinal);
        Assert.Empty(await DeliveriesAsync(app));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Tag_topics_get_the_new_entries_too_and_a_subscription_without_secret_is_unsigned(string provider)
    {
        await using var app = await StartAsync(provider);
        var feedId = await AddAlphaAsync(app);
        Assert.True((await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/tags/rust/json"))).Verified);

        await NewPostAsync(app, feedId, "Tagged news");
        await app.Get<WebSubHub>().DeliverDueAsync(Ct);

        var (body, signature, contentType, _) = Assert.Single(_deliveries);
        Assert.Contains("Tagged news", body, StringComparison.Ordinal);
        Assert.Contains("\"hubs\":[{\"type\":\"WebSub\"", body, StringComparison.Ordinal);
        Assert.StartsWith("application/feed+json", contentType, StringComparison.Ordinal);
        Assert.Null(signature);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_callback_that_does_not_echo_the_challenge_gets_no_subscription(string provider)
    {
        await using var app = await StartAsync(provider);
        await AddAlphaAsync(app);
        _echo = false;

        var (answer, verified) = await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/rss"));
        var (_, unreachable) = await SubscribeAsync(app, Form("subscribe", _server.Url("/missing"), Origin + "/feeds/alpha/rss"));

        Assert.Equal(StatusCodes.Status202Accepted, answer.Status); // accepted first, verified after
        Assert.False(verified);
        Assert.False(unreachable);
        Assert.Empty(await SubscriptionsAsync(app));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_translated_topic_gets_the_new_post_once_it_is_translated(string provider)
    {
        await using var engine = await Translation.FakeEngine.StartAsync();
        var settings = engine.Settings("libretranslate");
        settings["TRANSLATION_TIMEOUT_SECONDS"] = "10";
        await using var app = await StartAsync(provider, settings);
        var feedId = await AddAlphaAsync(app);
        await app.WithDbAsync(async db =>
        {
            db.TranslationTargets.Add(new TranslationTarget { FeedId = feedId, Language = "zh" });
            await db.SaveChangesAsync(Ct);
        });
        Assert.True((await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/translated/zh/atom"))).Verified);

        await NewPostAsync(app, feedId, "Fresh words");
        Assert.Empty(await DeliveriesAsync(app)); // not translated yet: nothing new in that document

        await app.Get<Feedstand.Translation.TranslationStage>().RunAfterRefreshAsync(Ct);
        Assert.Equal(1, await app.Get<WebSubHub>().DeliverDueAsync(Ct));

        var (body, _, _, links) = Assert.Single(_deliveries);
        Assert.Contains("FRESH WORDS", body, StringComparison.Ordinal); // the fake engine upper-cases
        Assert.Contains($"<{Origin}/feeds/alpha/translated/zh/atom>; rel=\"self\"", links, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_failing_callback_is_retried_with_exponential_backoff_from_the_table(string provider)
    {
        await using var app = await StartAsync(provider);
        var feedId = await AddAlphaAsync(app);
        await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/rss", "s"));
        await NewPostAsync(app, feedId, "Retry me");
        var hub = app.Get<WebSubHub>();
        _deliveryAnswer = StatusCodes.Status503ServiceUnavailable;

        Assert.Equal(0, await hub.DeliverDueAsync(Ct));
        var first = Assert.Single(await DeliveriesAsync(app));
        Assert.Equal((1, TestApp.Start.AddSeconds(30), "the callback answered HTTP 503"), (first.Attempts, first.NextAttemptAt, first.LastError));

        Assert.Equal(0, await hub.DeliverDueAsync(Ct)); // not due yet: nothing sent
        Assert.Single(_deliveries);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await hub.DeliverDueAsync(Ct);
        var second = Assert.Single(await DeliveriesAsync(app));
        Assert.Equal((2, app.Clock.GetUtcNow().AddMinutes(1)), (second.Attempts, second.NextAttemptAt));

        // Another refresh with news while one is pending: still one delivery, of the current document.
        await NewPostAsync(app, feedId, "And more");
        Assert.Single(await DeliveriesAsync(app));

        _deliveryAnswer = StatusCodes.Status204NoContent;
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await hub.DeliverDueAsync(Ct));
        Assert.Empty(await DeliveriesAsync(app));
        Assert.Contains("And more", _deliveries.Last().Body, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromHours(6)],
            new[] { 1, 2, 3, 20 }.Select(WebSubHub.RetryWait));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_callback_answering_410_ends_its_subscription(string provider)
    {
        await using var app = await StartAsync(provider);
        var feedId = await AddAlphaAsync(app);
        await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/rss"));
        await NewPostAsync(app, feedId, "Anyone?");
        _deliveryAnswer = StatusCodes.Status410Gone;

        await app.Get<WebSubHub>().DeliverDueAsync(Ct);

        Assert.Empty(await SubscriptionsAsync(app));
        Assert.Empty(await DeliveriesAsync(app));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Leases_are_clamped_and_expire(string provider)
    {
        await using var app = await StartAsync(provider, new() { ["WEBSUB_MAX_LEASE_SECONDS"] = "172800" });
        var feedId = await AddAlphaAsync(app);
        await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/rss", lease: "99999999"));
        await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/atom"));
        var hub = app.Get<WebSubHub>();
        var leases = (await SubscriptionsAsync(app)).OrderBy(s => s.Topic).Select(s => s.LeaseSeconds).ToList();
        Assert.Equal([86_400, 172_800], leases); // atom: the default lease; rss: asked for years, got the maximum

        app.Clock.Advance(TimeSpan.FromSeconds(86_400));
        Assert.Equal(1, await hub.ExpireLeasesAsync(Ct));
        await NewPostAsync(app, feedId, "After expiry");
        Assert.Equal(1, await hub.DeliverDueAsync(Ct));
        Assert.Contains($"<{Origin}/feeds/alpha/rss>; rel=\"self\"", Assert.Single(_deliveries).Links, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Unsubscribe_is_verified_and_ends_deliveries(string provider)
    {
        await using var app = await StartAsync(provider);
        var feedId = await AddAlphaAsync(app);
        var topic = Origin + "/feeds/alpha/rss";
        await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), topic));

        var (answer, verified) = await SubscribeAsync(app, Form("unsubscribe", _server.Url("/cb"), topic));

        Assert.Equal(StatusCodes.Status202Accepted, answer.Status);
        Assert.True(verified);
        Assert.Equal("unsubscribe", _verifications.Last()["hub.mode"].ToString());
        Assert.Empty(await SubscriptionsAsync(app));
        await NewPostAsync(app, feedId, "Nobody listens");
        Assert.Empty(await DeliveriesAsync(app));
    }

    public static TheoryData<string, string> ForeignTopics => new()
    {
        { "https://elsewhere.example/feeds/alpha/rss", "not a feed this hub publishes" },
        { Origin + "/feeds/nobody/rss", "not a feed this hub publishes" },
        { Origin + "/feeds/alpha", "not a feed this hub publishes" },
        { Origin + "/feeds/alpha/rss?before=1", "not a feed this hub publishes" },
        { Origin + "/tags/none/atom", "not a feed this hub publishes" },
        { Origin + "/feeds/alpha/translated/fr/rss", "not a feed this hub publishes" },
        { "", "hub.topic is missing" },
    };

    [Theory, MemberData(nameof(ForeignTopics))]
    public async Task Topics_that_are_not_our_own_feeds_are_refused(string topic, string reason)
    {
        await using var app = await StartAsync(TestApp.Sqlite);
        await AddAlphaAsync(app);

        var (answer, _) = await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), topic));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.Contains(reason, answer.Message, StringComparison.Ordinal);
        Assert.Empty(_verifications);
    }

    public static TheoryData<string, string, string, string> BadRequests => new()
    {
        { "follow", "http://127.0.0.1/cb", "", "hub.mode must be subscribe or unsubscribe" },
        { "subscribe", "", "", "hub.callback is missing" },
        { "subscribe", "ftp://x/cb", "", "hub.callback must be an absolute http or https URL" },
        { "subscribe", "http://127.0.0.1/cb", "-5", "hub.lease_seconds must be a positive whole number" },
        { "subscribe", "http://127.0.0.1/cb", "soon", "hub.lease_seconds must be a positive whole number" },
    };

    [Theory, MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_a_reason(string mode, string callback, string lease, string reason)
    {
        await using var app = await StartAsync(TestApp.Sqlite);
        await AddAlphaAsync(app);

        var (answer, _) = await SubscribeAsync(app, Form(mode, callback, Origin + "/feeds/alpha/rss", lease: lease.Length > 0 ? lease : null));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.Contains(reason, answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_of_200_bytes_or_more_is_refused()
    {
        await using var app = await StartAsync(TestApp.Sqlite);
        await AddAlphaAsync(app);

        var (answer, _) = await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/rss", new string('s', 200)));

        Assert.Equal((400, "hub.secret must be less than 200 bytes"), (answer.Status, answer.Message));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_private_callback_is_refused(string provider)
    {
        await using var app = await StartAsync(provider, new() { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });
        await app.AddFeedAsync("https://alpha.example/feed.xml", "alpha");

        var (answer, _) = await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/rss"));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.Contains("private address", answer.Message, StringComparison.Ordinal);
        Assert.Empty(_verifications);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task One_callback_host_holds_at_most_the_configured_number_of_subscriptions(string provider)
    {
        await using var app = await StartAsync(provider, new() { ["WEBSUB_MAX_PER_CALLBACK_HOST"] = "1" });
        await AddAlphaAsync(app);
        Assert.True((await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/rss"))).Verified);

        var (renewal, _) = await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/rss"));
        var (another, _) = await SubscribeAsync(app, Form("subscribe", _server.Url("/cb"), Origin + "/feeds/alpha/atom"));
        var (other, _) = await SubscribeAsync(app, Form("subscribe", _server.Url("/cb2"), Origin + "/feeds/alpha/atom"));

        Assert.Equal(StatusCodes.Status202Accepted, renewal.Status); // renewing what it holds is always allowed
        Assert.Equal(StatusCodes.Status429TooManyRequests, another.Status);
        Assert.Equal(StatusCodes.Status429TooManyRequests, other.Status);
        Assert.Contains("already holds 1 subscriptions", other.Message, StringComparison.Ordinal);
    }
}
