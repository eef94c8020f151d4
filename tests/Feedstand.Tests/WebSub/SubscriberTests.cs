using System.Text;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Feedstand.WebSub;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.WebSub;

/// <summary>
/// The subscriber side against a fake hub on loopback, walking the Recommendation's subscriber
/// checks: discovery from headers and from the document, the subscription request, verification
/// of intent, signed / unsigned / wrongly signed distribution, lease renewal and unsubscription.
/// Every test runs on SQLite and PostgreSQL.
/// </summary>
public sealed class SubscriberTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = TestApp.Start.AddDays(-1);

    private FeedServer _server = null!;
    private FakeHub _hub = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _hub = new FakeHub(_server);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Providers => TestApp.Providers;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestApp> StartAsync(string provider, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["WEBSUB"] = "on" };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        return TestApp.StartAsync(provider, values);
    }

    private static (string, string, DateTimeOffset)[] Posts(int count) =>
        Enumerable.Range(1, count).Select(i => ($"urn:post:{i}", $"Post {i}", Day.AddHours(-count + i))).ToArray();

    private static Task<FetchState> StateAsync(TestApp app, long feedId) =>
        app.WithDbAsync(db => db.FetchStates.AsNoTracking().SingleAsync(s => s.FeedId == feedId));

    private static Task<List<WebSubSubscription>> SubscriptionsAsync(TestApp app) =>
        app.WithDbAsync(db => db.WebSubSubscriptions.AsNoTracking().OrderBy(s => s.Id).ToListAsync());

    /// <summary>A feed on the server naming the fake hub, refreshed once, subscribed, and verified by the hub.</summary>
    private async Task<(long FeedId, WebSubSubscription Subscription)> SubscribedFeedAsync(TestApp app, int leaseSeconds = 864_000, string path = "/feed.xml")
    {
        var self = _server.Url("/topic" + path);
        _server.MapDocument(path, FakeHub.Atom(_hub.Url, self, Posts(3)), "application/atom+xml");
        var feedId = await app.AddFeedAsync(_server.Url(path));
        Assert.Equal(RefreshStatus.Updated, (await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct)).Status);
        await app.Get<WebSubSubscriber>().ReconcileAsync(Ct);
        var request = _hub.Last("subscribe");
        var answer = await app.Get<WebSubSubscriber>().VerifyAsync(FakeHub.TokenOf(request), "subscribe", self, "c-123", leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), null, Ct);
        Assert.Equal("c-123", answer);
        return (feedId, (await SubscriptionsAsync(app)).Single(s => s.State == WebSubState.Active && s.Topic == self));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Hub_and_self_are_discovered_in_the_document(string provider)
    {
        await using var app = await StartAsync(provider);
        var self = _server.Url("/topic.xml");
        _server.MapDocument("/feed.xml", FakeHub.Atom(_hub.Url, self, Posts(2)), "application/atom+xml");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);

        var state = await StateAsync(app, feedId);
        Assert.Equal(_hub.Url, state.WebSubHub);
        Assert.Equal(self, state.WebSubTopic);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Link_headers_win_over_the_document(string provider)
    {
        await using var app = await StartAsync(provider);
        var body = Encoding.UTF8.GetBytes(FakeHub.Atom("https://document-hub.example/", "https://document.example/self", Posts(2)));
        _server.Map("/feed.xml", async context =>
        {
            context.Response.Headers.Link = $"<{_hub.Url}>; rel=\"hub\", </canonical.xml>; rel=\"self\"";
            context.Response.ContentType = "application/atom+xml";
            await context.Response.Body.WriteAsync(body);
        });
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);

        var state = await StateAsync(app, feedId);
        Assert.Equal(_hub.Url, state.WebSubHub);
        Assert.Equal(_server.Url("/canonical.xml"), state.WebSubTopic);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_feed_without_a_hub_is_not_subscribed(string provider)
    {
        await using var app = await StartAsync(provider);
        _server.MapDocument("/feed.xml", FakeHub.Atom(null, null, Posts(2)), "application/atom+xml");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);

        Assert.Equal(0, await app.Get<WebSubSubscriber>().ReconcileAsync(Ct));

        Assert.Null((await StateAsync(app, feedId)).WebSubHub);
        Assert.Empty(_hub.Requests);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Subscription_request_names_topic_callback_secret_and_lease(string provider)
    {
        await using var app = await StartAsync(provider);
        var self = _server.Url("/topic.xml");
        _server.MapDocument("/feed.xml", FakeHub.Atom(_hub.Url, self, Posts(2)), "application/atom+xml");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);

        Assert.Equal(1, await app.Get<WebSubSubscriber>().ReconcileAsync(Ct));
        Assert.Equal(0, await app.Get<WebSubSubscriber>().ReconcileAsync(Ct)); // asked once, not again at every tick

        var request = Assert.Single(_hub.Requests);
        Assert.Equal("subscribe", request["hub.mode"]);
        Assert.Equal(self, request["hub.topic"]);
        Assert.StartsWith("https://feedstand.test/websub/callback/", request["hub.callback"], StringComparison.Ordinal);
        Assert.Equal("864000", request["hub.lease_seconds"]);
        var subscription = Assert.Single(await SubscriptionsAsync(app));
        Assert.Equal(FakeHub.TokenOf(request), subscription.CallbackToken);
        Assert.True(subscription.CallbackToken.Length >= 43, "a 256-bit token");
        Assert.Equal(subscription.Secret, request["hub.secret"]);
        Assert.True(subscription.Secret.Length >= 43, "a 256-bit secret");
        Assert.Equal(WebSubState.Subscribing, subscription.State);
        Assert.Null(subscription.LastError);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Verification_answers_the_challenge_only_for_the_subscribed_topic_and_mode(string provider)
    {
        await using var app = await StartAsync(provider);
        var self = _server.Url("/topic.xml");
        _server.MapDocument("/feed.xml", FakeHub.Atom(_hub.Url, self, Posts(2)), "application/atom+xml");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);
        await app.Get<WebSubSubscriber>().ReconcileAsync(Ct);
        var token = FakeHub.TokenOf(_hub.Last("subscribe"));
        var subscriber = app.Get<WebSubSubscriber>();

        Assert.Null(await subscriber.VerifyAsync(token, "subscribe", _server.Url("/other.xml"), "x", "3600", null, Ct));
        Assert.Null(await subscriber.VerifyAsync(token, "unsubscribe", self, "x", null, null, Ct));
        Assert.Null(await subscriber.VerifyAsync("not-a-token", "subscribe", self, "x", "3600", null, Ct));
        Assert.Equal(WebSubState.Subscribing, Assert.Single(await SubscriptionsAsync(app)).State);

        Assert.Equal("good-challenge", await subscriber.VerifyAsync(token, "subscribe", self, "good-challenge", "7200", null, Ct));

        var subscription = Assert.Single(await SubscriptionsAsync(app));
        Assert.Equal(WebSubState.Active, subscription.State);
        Assert.Equal(7200, subscription.LeaseSeconds);
        Assert.Equal(TestApp.Start.AddSeconds(7200), subscription.ExpiresAt);
        Assert.Equal(TestApp.Start.AddSeconds(7200), (await StateAsync(app, feedId)).WebSubUntil);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_pushed_feed_is_still_polled_daily(string provider)
    {
        await using var app = await StartAsync(provider);
        var (feedId, _) = await SubscribedFeedAsync(app);
        // The posts are an hour apart: without WebSub the next poll would come within the hour or so.
        Assert.True((await StateAsync(app, feedId)).NextFetchAt < TestApp.Start.AddHours(2));

        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);

        var next = (await StateAsync(app, feedId)).NextFetchAt;
        Assert.InRange(next, TestApp.Start.AddHours(21.6), TestApp.Start.AddHours(24));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_a_correctly_signed_push_is_merged(string provider)
    {
        await using var app = await StartAsync(provider);
        var (feedId, subscription) = await SubscribedFeedAsync(app);
        var subscriber = app.Get<WebSubSubscriber>();
        var body = Encoding.UTF8.GetBytes(FakeHub.Atom(null, null, [("urn:post:new", "Fresh news", TestApp.Start)]));
        var token = subscription.CallbackToken;

        Assert.Equal(PushVerdict.Ignored, await subscriber.AcceptPushAsync(token, body, "application/atom+xml", null, Ct));
        Assert.Equal(PushVerdict.Ignored, await subscriber.AcceptPushAsync(token, body, "application/atom+xml", HubSignature.Sign("wrong secret", body), Ct));
        Assert.Equal(PushVerdict.Ignored, await subscriber.AcceptPushAsync(token, body, "application/atom+xml", "sha256=zz", Ct));
        Assert.Equal(PushVerdict.Ignored, await subscriber.AcceptPushAsync(token, body, "application/atom+xml", "md5=" + Convert.ToHexString(new byte[16]), Ct));
        Assert.Equal(PushVerdict.Gone, await subscriber.AcceptPushAsync("unknown", body, "application/atom+xml", HubSignature.Sign(subscription.Secret, body), Ct));
        Assert.False(subscriber.Pushes.TryRead(out _), "nothing queued from a bad push");

        Assert.Equal(PushVerdict.Accepted, await subscriber.AcceptPushAsync(token, body, "application/atom+xml", HubSignature.Sign(subscription.Secret, body), Ct));
        Assert.True(subscriber.Pushes.TryRead(out var push));
        var outcome = await subscriber.ProcessAsync(push, Ct);

        Assert.Equal(1, outcome.NewEntries);
        var titles = await app.WithDbAsync(db => db.Entries.Where(e => e.FeedId == feedId).Select(e => e.Title).ToListAsync());
        Assert.Equal(4, titles.Count);
        Assert.Contains("Fresh news", titles);
        var content = await app.WithDbAsync(db => db.Entries.Where(e => e.Title == "Fresh news").Select(e => e.ContentHtml).SingleAsync());
        Assert.DoesNotContain("<script", content, StringComparison.OrdinalIgnoreCase); // sanitized like a poll
    }

    [Fact]
    public void Signatures_of_every_method_the_hub_may_use_are_accepted()
    {
        var body = "<feed/>"u8.ToArray();
        const string secret = "s3cret";
#pragma warning disable CA5350 // hubs that offer only sha1 exist
        using var sha1 = new System.Security.Cryptography.HMACSHA1(Encoding.UTF8.GetBytes(secret));
#pragma warning restore CA5350
        using var sha384 = new System.Security.Cryptography.HMACSHA384(Encoding.UTF8.GetBytes(secret));
        using var sha512 = new System.Security.Cryptography.HMACSHA512(Encoding.UTF8.GetBytes(secret));
        Assert.True(HubSignature.IsValid(HubSignature.Sign(secret, body), secret, body));
        Assert.True(HubSignature.IsValid("sha1=" + Convert.ToHexString(sha1.ComputeHash(body)), secret, body));
        Assert.True(HubSignature.IsValid("SHA384=" + Convert.ToHexString(sha384.ComputeHash(body)), secret, body));
        Assert.True(HubSignature.IsValid("sha512=" + Convert.ToHexString(sha512.ComputeHash(body)), secret, body));
        Assert.False(HubSignature.IsValid(HubSignature.Sign(secret, body), secret, "<feed />"u8.ToArray()));
        Assert.False(HubSignature.IsValid("sha256", secret, body));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_partial_fat_ping_adds_and_updates_without_losing_anything(string provider)
    {
        await using var app = await StartAsync(provider);
        var (feedId, subscription) = await SubscribedFeedAsync(app);
        var before = await StateAsync(app, feedId);
        var subscriber = app.Get<WebSubSubscriber>();
        // Only the newest post and an edit of post 3: posts 1 and 2 are not in the ping and must stay.
        var ping = Encoding.UTF8.GetBytes(FakeHub.Atom(null, null, [("urn:post:4", "Post 4", TestApp.Start), ("urn:post:3", "Post 3, edited", Day)]));

        var first = await subscriber.ProcessAsync(new PushedContent(feedId, subscription.Topic, ping, "application/atom+xml"), Ct);
        var again = await subscriber.ProcessAsync(new PushedContent(feedId, subscription.Topic, ping, "application/atom+xml"), Ct);

        Assert.Equal((1, 1), (first.NewEntries, first.UpdatedEntries));
        Assert.Equal((0, 0), (again.NewEntries, again.UpdatedEntries));
        var titles = await app.WithDbAsync(db => db.Entries.Where(e => e.FeedId == feedId).OrderBy(e => e.SortDate).Select(e => e.Title).ToListAsync());
        Assert.Equal(["Post 1", "Post 2", "Post 3, edited", "Post 4"], titles);
        var after = await StateAsync(app, feedId);
        Assert.Equal(before.NextFetchAt, after.NextFetchAt);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.LastModified, after.LastModified);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_push_that_is_no_feed_changes_nothing(string provider)
    {
        await using var app = await StartAsync(provider);
        var (feedId, subscription) = await SubscribedFeedAsync(app);
        var before = await StateAsync(app, feedId);

        var outcome = await app.Get<WebSubSubscriber>().ProcessAsync(
            new PushedContent(feedId, subscription.Topic, "<html><body>oops</body></html>"u8.ToArray(), "text/html"), Ct);

        Assert.Equal(RefreshStatus.Failed, outcome.Status);
        var after = await StateAsync(app, feedId);
        Assert.Equal((before.ConsecutiveErrors, before.LastError, before.NextFetchAt), (after.ConsecutiveErrors, after.LastError, after.NextFetchAt));
        Assert.Equal(3, await app.WithDbAsync(db => db.Entries.CountAsync(e => e.FeedId == feedId)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_lease_is_renewed_before_it_ends(string provider)
    {
        await using var app = await StartAsync(provider);
        var (_, subscription) = await SubscribedFeedAsync(app, leaseSeconds: 864_000); // 10 days: renewed at 8
        var subscriber = app.Get<WebSubSubscriber>();
        var asked = _hub.Requests.Count;

        app.Clock.Advance(TimeSpan.FromDays(7.9));
        Assert.Equal(0, await subscriber.ReconcileAsync(Ct));
        app.Clock.Advance(TimeSpan.FromDays(0.2));
        Assert.Equal(1, await subscriber.ReconcileAsync(Ct));

        Assert.Equal(asked + 1, _hub.Requests.Count);
        var renewal = _hub.Last("subscribe");
        Assert.Equal(subscription.CallbackToken, FakeHub.TokenOf(renewal));
        Assert.Equal(subscription.Topic, renewal["hub.topic"]);
        // The hub verifies the renewal: a new lease from now.
        Assert.Equal("renew", await subscriber.VerifyAsync(subscription.CallbackToken, "subscribe", subscription.Topic, "renew", "864000", null, Ct));
        var renewed = Assert.Single(await SubscriptionsAsync(app));
        Assert.Equal(app.Clock.GetUtcNow().AddDays(10), renewed.ExpiresAt);
        Assert.Equal(app.Clock.GetUtcNow().AddDays(8), renewed.NextActionAt);
    }

    [Theory]
    [InlineData("auto", null, false)] // PUBLIC_URL not set: the project's home page is no callback address
    [InlineData("auto", "https://feeds.example.org", true)]
    [InlineData("auto", "http://localhost:8080", false)]
    [InlineData("auto", "http://127.0.0.1:8080", false)]
    [InlineData("auto", "http://[::1]/", false)]
    [InlineData("on", "http://127.0.0.1:8080", true)]
    [InlineData("off", "https://feeds.example.org", false)]
    public void WebSub_auto_is_on_only_for_a_public_url_others_can_reach(string mode, string? publicUrl, bool enabled)
    {
        var options = new Feedstand.Settings.FeedstandOptions { WebSub = mode };
        if (publicUrl is not null)
        {
            options.PublicUrl = publicUrl;
        }
        Assert.Equal(enabled, options.IsWebSubEnabled);
    }

    [Fact]
    public void Leases_are_renewed_at_eighty_percent()
    {
        var now = TestApp.Start;
        Assert.Equal(now.AddSeconds(2880), WebSubSubscriber.RenewalTime(now, 3600));
        Assert.Equal(now.AddDays(24), WebSubSubscriber.RenewalTime(now, 30 * 86_400));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_changed_hub_unsubscribes_the_old_one_and_subscribes_the_new_one(string provider)
    {
        await using var app = await StartAsync(provider);
        var (feedId, old) = await SubscribedFeedAsync(app);
        var newHub = new FakeHub(_server, "/hub2");
        _server.MapDocument("/feed.xml", FakeHub.Atom(newHub.Url, old.Topic, Posts(3)), "application/atom+xml", etag: "\"v2\"");
        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);

        Assert.Equal(2, await app.Get<WebSubSubscriber>().ReconcileAsync(Ct));

        var unsubscribe = _hub.Last("unsubscribe");
        Assert.Equal(old.CallbackToken, FakeHub.TokenOf(unsubscribe));
        Assert.Equal(old.Topic, unsubscribe["hub.topic"]);
        Assert.Equal("subscribe", Assert.Single(newHub.Requests)["hub.mode"]);
        Assert.Null((await StateAsync(app, feedId)).WebSubUntil); // polled normally until the new hub verifies
        // The old hub verifies the unsubscription: the old subscription is gone, and its pushes with it.
        Assert.Equal("bye", await app.Get<WebSubSubscriber>().VerifyAsync(old.CallbackToken, "unsubscribe", old.Topic, "bye", null, null, Ct));
        var left = Assert.Single(await SubscriptionsAsync(app));
        Assert.Equal(newHub.Url, left.HubUrl);
        var body = "<feed/>"u8.ToArray();
        Assert.Equal(PushVerdict.Gone, await app.Get<WebSubSubscriber>().AcceptPushAsync(old.CallbackToken, body, null, HubSignature.Sign(old.Secret, body), Ct));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Retired_and_removed_feeds_are_unsubscribed(string provider)
    {
        await using var app = await StartAsync(provider);
        var (feedId, subscription) = await SubscribedFeedAsync(app);

        await app.WithDbAsync(db => db.Feeds.Where(f => f.Id == feedId).ExecuteUpdateAsync(f => f.SetProperty(x => x.Status, FeedStatus.Retired)));
        Assert.Equal(1, await app.Get<WebSubSubscriber>().ReconcileAsync(Ct));
        Assert.Equal(subscription.CallbackToken, FakeHub.TokenOf(_hub.Last("unsubscribe")));
        Assert.Equal(WebSubState.Unsubscribing, Assert.Single(await SubscriptionsAsync(app)).State);

        // A hub that never confirms: the row is dropped a day later all the same.
        app.Clock.Advance(WebSubSubscriber.UnsubscribeWait + TimeSpan.FromMinutes(1));
        await app.Get<WebSubSubscriber>().ReconcileAsync(Ct);
        Assert.Empty(await SubscriptionsAsync(app));

        // A feed removed outright is unsubscribed too.
        var (otherId, other) = await SubscribedFeedAsync(app, path: "/other.xml");
        await app.WithDbAsync(db => db.Feeds.Where(f => f.Id == otherId).ExecuteDeleteAsync());
        await app.Get<WebSubSubscriber>().ReconcileAsync(Ct);
        Assert.Equal(other.CallbackToken, FakeHub.TokenOf(_hub.Last("unsubscribe")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_hub_that_does_not_verify_is_asked_again_with_backoff(string provider)
    {
        await using var app = await StartAsync(provider);
        _hub.Answer = StatusCodes.Status500InternalServerError;
        _server.MapDocument("/feed.xml", FakeHub.Atom(_hub.Url, null, Posts(2)), "application/atom+xml");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);
        var subscriber = app.Get<WebSubSubscriber>();

        await subscriber.ReconcileAsync(Ct);
        var first = Assert.Single(await SubscriptionsAsync(app));
        Assert.Equal("the hub answered HTTP 500", first.LastError);
        Assert.Equal(TestApp.Start.AddHours(1), first.NextActionAt);
        Assert.Equal(_server.Url("/feed.xml"), first.Topic); // no self link: the feed's URL is the topic

        app.Clock.Advance(TimeSpan.FromHours(1));
        await subscriber.ReconcileAsync(Ct);
        Assert.Equal(2, _hub.Requests.Count);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(2), Assert.Single(await SubscriptionsAsync(app)).NextActionAt);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Hub_requests_go_through_the_address_guard(string provider)
    {
        await using var app = await StartAsync(provider, new() { ["ALLOW_PRIVATE_ADDRESSES"] = "false" });
        var feedId = await app.AddFeedAsync("https://blog.example/feed.xml");
        await app.WithDbAsync(db => db.FetchStates.Where(s => s.FeedId == feedId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.WebSubHub, _hub.Url)
            .SetProperty(x => x.WebSubTopic, "https://blog.example/feed.xml")));

        await app.Get<WebSubSubscriber>().ReconcileAsync(Ct);

        Assert.Empty(_hub.Requests);
        Assert.Contains("private address", Assert.Single(await SubscriptionsAsync(app)).LastError, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task WebSub_off_subscribes_nothing_and_answers_no_callback(string provider)
    {
        await using var app = await StartAsync(provider, new() { ["WEBSUB"] = "off" });
        _server.MapDocument("/feed.xml", FakeHub.Atom(_hub.Url, null, Posts(2)), "application/atom+xml");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await app.Get<FeedRefresher>().RefreshAsync(feedId, Ct);

        Assert.Equal(0, await app.Get<WebSubSubscriber>().ReconcileAsync(Ct));
        Assert.Empty(_hub.Requests);
    }
}
