using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Feedstand.Tests.Web;
using Feedstand.WebSub;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Feedstand.Tests.WebSub;

/// <summary>
/// WebSub through the real app over HTTP: the re-published feeds advertise the hub, the routes
/// answer bad input with a reason, and the background worker turns a signed push into a post on
/// the preview page and a hub request into a verified subscription and a delivery.
/// </summary>
public sealed class WebSubRouteTests : IAsyncLifetime
{
    private const string PublicUrl = "https://feedstand.test";

    private TestApp _web = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["WEBSUB"] = "on", ["PUBLIC_URL"] = PublicUrl });
        await _web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "alpha", entries: 60, tags: ["rust"]);
            await TestFeeds.AddAsync(db, "pushed", entries: 2);
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    /// <summary>Waits for a condition the background worker brings about, up to ten seconds.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(25, Ct);
        }
    }

    [Theory]
    [InlineData("/feeds/alpha/rss", "<atom:link href=\"https://feedstand.test/websub/hub\" rel=\"hub\"")]
    [InlineData("/feeds/alpha/atom", "<link rel=\"hub\" href=\"https://feedstand.test/websub/hub\"")]
    [InlineData("/feeds/alpha/json", "\"hubs\":[{\"type\":\"WebSub\",\"url\":\"https://feedstand.test/websub/hub\"}]")]
    [InlineData("/tags/rust/atom", "<link rel=\"hub\" href=\"https://feedstand.test/websub/hub\"")]
    public async Task Republished_feeds_advertise_the_hub_in_the_document_and_the_headers(string path, string inBody)
    {
        using var response = await _web.Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(inBody, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var links = string.Join(", ", response.Headers.GetValues("Link"));
        Assert.Contains("<https://feedstand.test/websub/hub>; rel=\"hub\"", links, StringComparison.Ordinal);
        Assert.Contains($"<{new Uri(_web.Address, path).AbsoluteUri}>; rel=\"self\"", links, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Archive_pages_advertise_no_hub()
    {
        using var first = await _web.Client.GetAsync("/feeds/alpha/atom", Ct);
        var body = await first.Content.ReadAsStringAsync(Ct);
        var next = System.Text.RegularExpressions.Regex.Match(body, "rel=\"next\" type=\"application/atom\\+xml\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(next);

        using var archive = await _web.Client.GetAsync(WebUtility.HtmlDecode(next), Ct);

        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.DoesNotContain("rel=\"hub\"", await archive.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(archive.Headers.Contains("Link"));
    }

    [Fact]
    public async Task With_WebSub_off_there_is_no_hub_and_no_callback()
    {
        await using var off = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["WEBSUB"] = "off", ["PUBLIC_URL"] = PublicUrl });
        await off.WithDbAsync(db => TestFeeds.AddAsync(db, "alpha"));

        using var feed = await off.Client.GetAsync("/feeds/alpha/atom", Ct);
        using var hub = await off.Client.PostAsync("/websub/hub", new FormUrlEncodedContent(new Dictionary<string, string> { ["hub.mode"] = "subscribe" }), Ct);
        using var callback = await off.Client.GetAsync("/websub/callback/abc?hub.mode=subscribe&hub.topic=x&hub.challenge=y", Ct);

        Assert.DoesNotContain("rel=\"hub\"", await feed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(feed.Headers.Contains("Link"));
        Assert.Equal(HttpStatusCode.NotFound, hub.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, callback.StatusCode);
    }

    [Fact]
    public async Task Bad_hub_requests_get_400_with_the_reason_in_plain_text()
    {
        using var notForm = await _web.Client.PostAsync("/websub/hub", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        using var badMode = await _web.Client.PostAsync("/websub/hub", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["hub.mode"] = "publish", ["hub.callback"] = "https://reader.example/cb", ["hub.topic"] = PublicUrl + "/feeds/alpha/rss",
        }), Ct);
        using var foreign = await _web.Client.PostAsync("/websub/hub", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["hub.mode"] = "subscribe", ["hub.callback"] = "https://reader.example/cb", ["hub.topic"] = "https://blog.example/feed.xml",
        }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, notForm.StatusCode);
        Assert.Contains("application/x-www-form-urlencoded", await notForm.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badMode.StatusCode);
        Assert.Contains("hub.mode must be subscribe or unsubscribe", await badMode.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("is not a feed this hub publishes", await foreign.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("text/plain", foreign.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_callbacks_answer_404_to_verification_and_410_to_content()
    {
        using var verify = await _web.Client.GetAsync("/websub/callback/unknown?hub.mode=subscribe&hub.topic=x&hub.challenge=y&hub.lease_seconds=60", Ct);
        using var push = await _web.Client.PostAsync("/websub/callback/unknown", new StringContent("<feed/>", Encoding.UTF8, "application/atom+xml"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, verify.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, push.StatusCode);
    }

    /// <summary>The feed "pushed" with a verified subscription at a hub that is never contacted.</summary>
    private async Task<WebSubSubscription> SubscribedAsync()
    {
        var subscription = new WebSubSubscription
        {
            HubUrl = "https://hub.example/",
            Topic = "https://pushed.example/feed.xml",
            CallbackToken = "token-" + Guid.NewGuid().ToString("N"),
            Secret = "the secret",
            State = WebSubState.Active,
            LeaseSeconds = 864_000,
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(10),
            RequestedAt = DateTimeOffset.UtcNow,
            VerifiedAt = DateTimeOffset.UtcNow,
            NextActionAt = DateTimeOffset.UtcNow.AddDays(8),
        };
        await _web.WithDbAsync(async db =>
        {
            var feed = await db.Feeds.SingleAsync(f => f.Slug == "pushed", Ct);
            subscription.FeedId = feed.Id;
            await db.FetchStates.Where(s => s.FeedId == feed.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.WebSubHub, subscription.HubUrl)
                .SetProperty(x => x.WebSubTopic, subscription.Topic), Ct);
            db.WebSubSubscriptions.Add(subscription);
            await db.SaveChangesAsync(Ct);
        });
        return subscription;
    }

    [Fact]
    public async Task A_signed_push_shows_on_the_preview_page_and_an_unsigned_one_never_does()
    {
        var subscription = await SubscribedAsync();
        var page = await _web.Client.GetStringAsync("/feeds/pushed", Ct); // cached from here on
        Assert.DoesNotContain("Breaking story", page, StringComparison.Ordinal);

        var forged = Encoding.UTF8.GetBytes(FakeHub.Atom(null, null, [("urn:forged", "Forged story", DateTimeOffset.UtcNow)]));
        using var unsigned = await PushAsync(subscription, forged, signature: null);
        var body = Encoding.UTF8.GetBytes(FakeHub.Atom(null, null, [("urn:breaking", "Breaking story", DateTimeOffset.UtcNow)]));
        using var signed = await PushAsync(subscription, body, HubSignature.Sign(subscription.Secret, body));

        Assert.Equal(HttpStatusCode.Accepted, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);
        await EventuallyAsync(async () => (await _web.Client.GetStringAsync("/feeds/pushed", Ct)).Contains("Breaking story", StringComparison.Ordinal),
            "the pushed post is on the preview page");
        Assert.DoesNotContain("Forged story", await _web.Client.GetStringAsync("/feeds/pushed", Ct), StringComparison.Ordinal);
        Assert.Equal(0, await _web.WithDbAsync(db => db.Entries.CountAsync(e => e.Title == "Forged story", Ct)));
    }

    [Fact]
    public async Task A_push_larger_than_the_body_limit_is_refused()
    {
        await using var small = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["WEBSUB"] = "on", ["MAX_BODY_BYTES"] = "2048" });
        using var response = await small.Client.PostAsync("/websub/callback/whatever",
            new ByteArrayContent(new byte[4096]) { Headers = { ContentType = new MediaTypeHeaderValue("application/atom+xml") } }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 2 KB", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_request_over_HTTP_is_verified_in_the_background_and_then_delivered()
    {
        await using var subscriberSite = await FeedServer.StartAsync();
        var deliveries = new ConcurrentQueue<string>();
        subscriberSite.Map("/cb", async context =>
        {
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await context.Response.WriteAsync(context.Request.Query["hub.challenge"].ToString());
                return;
            }
            using var reader = new StreamReader(context.Request.Body);
            deliveries.Enqueue(await reader.ReadToEndAsync());
        });
        var topic = new Uri(_web.Address, "/feeds/alpha/rss").AbsoluteUri;

        using var response = await _web.Client.PostAsync("/websub/hub", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["hub.mode"] = "subscribe", ["hub.callback"] = subscriberSite.Url("/cb"), ["hub.topic"] = topic, ["hub.secret"] = "shh",
        }), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await EventuallyAsync(() => _web.WithDbAsync(db => db.HubSubscriptions.AnyAsync(s => s.Topic == topic, Ct)), "the subscription is verified");
        var feedId = await _web.WithDbAsync(db => db.Feeds.Where(f => f.Slug == "alpha").Select(f => f.Id).SingleAsync(Ct));
        Assert.Equal(1, await _web.Services.GetRequiredService<WebSubHub>().QueueDeliveriesAsync(feedId, Ct));
        await EventuallyAsync(() => Task.FromResult(!deliveries.IsEmpty), "the delivery arrives");
        Assert.Contains("<title>Blog alpha</title>", deliveries.Single(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PushAsync(WebSubSubscription subscription, byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/websub/callback/" + subscription.CallbackToken)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/atom+xml") } },
        };
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature", signature);
        }
        return _web.Client.SendAsync(request, Ct);
    }
}
