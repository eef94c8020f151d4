using System.Net;
using System.Text.Json;
using Feedstand.Data;
using Feedstand.Pages.Admin;
using Feedstand.Settings;
using Feedstand.Tests.Infrastructure;
using Feedstand.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Feedstand.Tests.Web;

/// <summary>Several web nodes on one database, and the app behind a reverse proxy.</summary>
public sealed class ScaleOutTests
{
    private const string Password = "correct horse battery";

    private static async Task<(TestApp First, TestApp Second)> StartTwoNodesAsync()
    {
        var first = await TestApp.StartWebAsync();
        var second = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["DB"] = first.ConnectionString });
        await first.WithDbAsync(async db =>
        {
            var account = new AdminAccount { Name = "ada", PasswordHash = "", CreatedAt = TestFeeds.Newest };
            account.PasswordHash = LoginModel.Hash(account, Password);
            db.AdminAccounts.Add(account);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        return (first, second);
    }

    [Fact]
    public async Task An_admin_cookie_issued_by_one_node_is_accepted_by_another()
    {
        var ct = TestContext.Current.CancellationToken;
        var (first, second) = await StartTwoNodesAsync();
        await using var _ = first;
        await using var __ = second;

        // Both nodes share the one key ring in the database, under the fixed application name.
        Assert.Equal(1, await first.WithDbAsync(db => db.DataProtectionKeys.CountAsync(ct)));
        foreach (var node in new[] { first, second })
        {
            Assert.Equal(WebSetup.DataProtectionApplicationName,
                node.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        }

        // Cookies ignore the port, so one client carries the first node's cookie to the second.
        using var login = await Forms.PostAsync(first.Client, "/admin/login", new Dictionary<string, string> { ["Name"] = "ada", ["Password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var admin = await first.Client.GetAsync(new Uri(second.Address, "/admin"), ct);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        var page = await TestApp.ParseAsync(admin);
        Assert.NotNull(page.QuerySelector("#queue-heading"));

        // A stranger's cookie is still refused.
        using var stranger = second.NewClient();
        using var refused = await stranger.GetAsync("/admin", ct);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
    }

    [Fact]
    public async Task An_antiforgery_token_from_one_node_is_accepted_by_another()
    {
        var (first, second) = await StartTwoNodesAsync();
        await using var _ = first;
        await using var __ = second;

        // The form comes from the first node, the post goes to the second.
        using var posted = await Forms.PostAsync(first.Client, "/admin/login",
            new Dictionary<string, string> { ["Name"] = "ada", ["Password"] = Password }, action: new Uri(second.Address, "/admin/login").ToString());
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/admin", posted.Headers.Location!.OriginalString);

        // Without the token the second node refuses the post.
        using var bare = second.NewClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "ada", ["Password"] = Password });
        using var refused = await bare.PostAsync("/admin/login", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task A_key_another_node_made_after_this_one_read_the_ring_is_found_when_used()
    {
        // Two nodes starting on an empty database can each make a key, and each caches the ring it read.
        var (first, second) = await StartTwoNodesAsync();
        await using var _ = first;
        await using var __ = second;
        var protector = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("scale-out test");
        var cachedKey = KeyOf(protector.Protect([1]));

        // Another node, with the data protection serve sets up, makes a key of its own after that.
        var services = new ServiceCollection().AddLogging();
        services.AddFeedstand(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DB"] = second.ConnectionString }).Build());
        services.AddSharedKeyRing();
        await using var other = services.BuildServiceProvider();
        other.GetRequiredService<IKeyManager>().RevokeAllKeys(DateTimeOffset.UtcNow, "scale-out test: make a key of its own");
        var payload = other.GetRequiredService<IDataProtectionProvider>().CreateProtector("scale-out test").Protect([4, 2]);

        Assert.NotEqual(cachedKey, KeyOf(payload));
        Assert.Equal([4, 2], protector.Unprotect(payload));
    }

    /// <summary>The key a protected payload names: a GUID after its 4-byte magic header.</summary>
    private static Guid KeyOf(byte[] payload) => new(payload.AsSpan(4, 16));

    private static async Task<HttpStatusCode> GetLoginFromAsync(TestApp web, string forwardedFor, string? forwardedProto = null)
    {
        // Login counts submissions only, so the probe posts (an empty form: 400 unless rate-limited).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/login") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        using var response = await web.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task Rate_limits_key_on_the_forwarded_address_only_when_forwarded_headers_are_on()
    {
        await using var behindProxy = await TestApp.StartWebAsync(new Dictionary<string, string?>
        {
            ["FORWARDED_HEADERS"] = "true",
            ["RATE_LOGIN_PER_MINUTE"] = "1",
        });
        Assert.Equal(HttpStatusCode.BadRequest, await GetLoginFromAsync(behindProxy, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.BadRequest, await GetLoginFromAsync(behindProxy, "203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetLoginFromAsync(behindProxy, "203.0.113.1"));

        await using var direct = await TestApp.StartWebAsync(new Dictionary<string, string?> { ["RATE_LOGIN_PER_MINUTE"] = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, await GetLoginFromAsync(direct, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetLoginFromAsync(direct, "203.0.113.2"));
    }

    [Fact]
    public async Task Links_follow_the_scheme_a_trusted_proxy_forwards()
    {
        // The test client connects from loopback, which is trusted besides the listed proxies.
        await using var web = await TestApp.StartWebAsync(new Dictionary<string, string?>
        {
            ["FORWARDED_HEADERS"] = "true",
            ["TRUSTED_PROXIES"] = "192.0.2.10, 198.51.100.0/24",
        });
        await web.WithDbAsync(db => TestFeeds.AddAsync(db, "alpha"));
        Assert.Equal("https://" + web.Address.Authority + "/feeds/alpha/rss", await RssLinkAsync(web, "https"));
        Assert.Equal("http://" + web.Address.Authority + "/feeds/alpha/rss", await RssLinkAsync(web, null));
    }

    private static async Task<string> RssLinkAsync(TestApp web, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feeds/alpha");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        }
        using var response = await web.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("rss").GetString()!;
    }

    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("10.0.0.5", 1, 0)]
    [InlineData(" 10.0.0.5 , 172.16.0.0/12, ::1 ", 2, 1)]
    public void Trusted_proxies_are_addresses_and_networks(string value, int proxies, int networks)
    {
        var parsed = FeedstandOptions.ParseTrustedProxies(value);
        Assert.Equal(proxies, parsed.Proxies.Count);
        Assert.Equal(networks, parsed.Networks.Count);
    }

    [Fact]
    public void A_trusted_proxy_that_is_not_an_address_is_a_setup_error()
    {
        var error = Assert.Throws<FormatException>(() => FeedstandOptions.ParseTrustedProxies("10.0.0.5, proxy.local"));
        Assert.Contains("proxy.local", error.Message, StringComparison.Ordinal);
    }
}
