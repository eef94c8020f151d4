using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Feedstand.Crawling;
using Microsoft.Extensions.Time.Testing;

namespace Feedstand.Tests.Crawling;

public class NameLookupsTests
{
    private static readonly IPAddress Public = IPAddress.Parse("93.184.216.34");

    private static Task<IPAddress[]> NotFound() => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));

    /// <summary>A fake name server: answers with the given function and counts what it is asked, per host.</summary>
    private sealed class NameServer(Func<string, Task<IPAddress[]>> answer)
    {
        private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);

        public int Asked(string host) => _asked.GetValueOrDefault(host);

        public int AskedInAll => _asked.Values.Sum();

        public Task<IPAddress[]> Resolve(string host)
        {
            _asked.AddOrUpdate(host, 1, (_, n) => n + 1);
            return answer(host);
        }
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_is_asked_once_for_many_connections()
    {
        var server = new NameServer(_ => NotFound());
        var lookups = new NameLookups(new FakeTimeProvider(), server.Resolve);

        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<SocketException>(() => lookups.LookUpAsync("site7.example", TestContext.Current.CancellationToken));
        }

        Assert.Equal(1, server.AskedInAll);
    }

    [Fact]
    public async Task Callers_asking_for_the_same_host_at_once_share_one_lookup()
    {
        var release = new TaskCompletionSource<IPAddress[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new NameServer(_ => release.Task);
        var lookups = new NameLookups(new FakeTimeProvider(), server.Resolve);

        var waiting = Enumerable.Range(0, 10).Select(_ => lookups.LookUpAsync("Blog.Example.com", TestContext.Current.CancellationToken)).ToList();
        waiting.Add(lookups.LookUpAsync("blog.example.com", TestContext.Current.CancellationToken));
        Assert.All(waiting, task => Assert.False(task.IsCompleted));
        release.SetResult([Public]);
        var answers = await Task.WhenAll(waiting);

        Assert.Equal(1, server.AskedInAll);
        Assert.All(answers, addresses => Assert.Equal([Public], addresses));
    }

    [Fact]
    public async Task An_answer_is_asked_again_after_a_minute_and_a_failure_after_twenty_seconds()
    {
        var time = new FakeTimeProvider();
        var server = new NameServer(host => host == "gone.example" ? NotFound() : Task.FromResult<IPAddress[]>([Public]));
        var lookups = new NameLookups(time, server.Resolve);
        async Task AskBoth()
        {
            await lookups.LookUpAsync("blog.example", TestContext.Current.CancellationToken);
            await Assert.ThrowsAsync<SocketException>(() => lookups.LookUpAsync("gone.example", TestContext.Current.CancellationToken));
        }

        await AskBoth();
        time.Advance(TimeSpan.FromSeconds(19));
        await AskBoth();
        Assert.Equal((1, 1), (server.Asked("blog.example"), server.Asked("gone.example")));

        time.Advance(TimeSpan.FromSeconds(1));
        await AskBoth();
        Assert.Equal((1, 2), (server.Asked("blog.example"), server.Asked("gone.example")));

        time.Advance(TimeSpan.FromSeconds(39));
        await lookups.LookUpAsync("blog.example", TestContext.Current.CancellationToken);
        Assert.Equal(1, server.Asked("blog.example"));

        time.Advance(TimeSpan.FromSeconds(1));
        await lookups.LookUpAsync("blog.example", TestContext.Current.CancellationToken);
        Assert.Equal(2, server.Asked("blog.example"));
    }

    [Fact]
    public async Task A_canceled_caller_stops_waiting_and_the_answer_still_serves_the_next()
    {
        var release = new TaskCompletionSource<IPAddress[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new NameServer(_ => release.Task);
        var lookups = new NameLookups(new FakeTimeProvider(), server.Resolve);
        using var cancel = new CancellationTokenSource();

        var first = lookups.LookUpAsync("slow.example", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        release.SetResult([Public]);

        Assert.Equal([Public], await lookups.LookUpAsync("slow.example", TestContext.Current.CancellationToken));
        Assert.Equal(1, server.AskedInAll);
    }

    [Fact]
    public async Task A_remembered_address_is_still_checked_by_the_guard()
    {
        var lookups = new NameLookups(new FakeTimeProvider(), _ => Task.FromResult<IPAddress[]>([IPAddress.Parse("10.1.2.3")]));
        var guard = new AddressGuard(Microsoft.Extensions.Options.Options.Create(new Settings.FeedstandOptions()), lookups);

        var first = await guard.CheckUrlAsync("http://intranet.example/feed", TestContext.Current.CancellationToken);
        var second = await guard.CheckUrlAsync("http://intranet.example/feed", TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.Blocked, first?.Kind);
        Assert.Equal(FetchErrorKind.Blocked, second?.Kind);
        Assert.Equal("refused: intranet.example resolves to a private address (10.1.2.3)", second!.Message);
    }

    [Fact]
    public async Task A_lookup_unanswered_for_a_minute_is_asked_again()
    {
        var time = new FakeTimeProvider();
        var hanging = new TaskCompletionSource<IPAddress[]>();
        var calls = 0;
        var server = new NameServer(_ => ++calls == 1 ? hanging.Task : Task.FromResult<IPAddress[]>([Public]));
        var lookups = new NameLookups(time, server.Resolve);

        var first = lookups.LookUpAsync("stuck.example", TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(59));
        var joined = lookups.LookUpAsync("stuck.example", TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));
        var again = lookups.LookUpAsync("stuck.example", TestContext.Current.CancellationToken);

        Assert.Equal(2, server.Asked("stuck.example"));
        Assert.Equal([Public], await again);
        Assert.False(first.IsCompleted);
        Assert.False(joined.IsCompleted);
        hanging.SetResult([]);
    }
}
