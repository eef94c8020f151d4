using Feedstand.Crawling;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Tests.Crawling;

public class HostLimiterTests
{
    private static HostLimiter Limiter(int perHost, int global) =>
        new(Options.Create(new FeedstandOptions { PerHostConcurrency = perHost, FetchConcurrency = global }));

    [Fact]
    public async Task A_third_fetch_to_one_host_waits_for_one_of_two_to_finish()
    {
        using var limiter = Limiter(perHost: 2, global: 10);
        var ct = TestContext.Current.CancellationToken;
        var first = await limiter.AcquireAsync("example.com", ct);
        var second = await limiter.AcquireAsync("example.com", ct);

        var third = limiter.AcquireAsync("example.com", ct);
        var otherHost = limiter.AcquireAsync("example.org", ct);

        Assert.False(third.IsCompleted);
        Assert.True(otherHost.IsCompletedSuccessfully);
        first.Dispose();
        (await third).Dispose();
        second.Dispose();
        (await otherHost).Dispose();
        Assert.Equal(0, limiter.ActiveHosts);
    }

    [Fact]
    public async Task The_global_limit_holds_across_hosts()
    {
        using var limiter = Limiter(perHost: 2, global: 2);
        var ct = TestContext.Current.CancellationToken;
        var a = await limiter.AcquireAsync("a.example", ct);
        var b = await limiter.AcquireAsync("b.example", ct);

        var c = limiter.AcquireAsync("c.example", ct);

        Assert.False(c.IsCompleted);
        b.Dispose();
        (await c).Dispose();
        a.Dispose();
    }
}
