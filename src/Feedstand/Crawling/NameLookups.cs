using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Feedstand.Crawling;

/// <summary>
/// The guard's name lookups: at most <see cref="MaxConcurrent"/> at once, one at a time per host,
/// and each answer or failure remembered for a while.
/// <para>
/// A feed's refresh asks for the same few hosts again and again: the feed's, then its site's for
/// every article page the full-text stage fetches and for the icon, once per new connection.
/// Without the memory each of those waited for the name server, and a name server that drops a
/// reply now and then costs the resolver's 5 s timeout each time.
/// </para>
/// <para>
/// On Linux, <c>Dns.GetHostAddressesAsync</c> runs the blocking getaddrinfo on a pool thread. The
/// cap keeps a refresh of a thousand new feeds from holding more than 32 of them (<c>serve</c>
/// starts with 64, so pages still find one) and from flooding the name server, which here drops
/// more replies the more lookups it is sent at once. Lookups on threads of our own, sixteen at once
/// from the start, were slower for it: 100 new feeds whose sites do not resolve took 20 s against
/// 10-12 s this way, about half of the lookups waiting out the 5 s timeout against one in seven.
/// </para>
/// <para>
/// Remembering is safe for the SSRF guard: the addresses it returns are the ones checked and
/// connected to, so a name that changes meanwhile is only reached at its old, checked address.
/// </para>
/// </summary>
public sealed class NameLookups
{
    /// <summary>Lookups in flight at once, across the process.</summary>
    internal const int MaxConcurrent = 32;

    /// <summary>How long a host's addresses are used without asking again.</summary>
    internal static readonly TimeSpan AnswerKept = TimeSpan.FromSeconds(60);

    /// <summary>How long a failed lookup stands (shorter: a name server's hiccup should pass soon).</summary>
    internal static readonly TimeSpan FailureKept = TimeSpan.FromSeconds(20);

    /// <summary>Hosts remembered before the stale ones are dropped (and all of them, if none is stale).</summary>
    internal const int MaxRemembered = 10_000;

    private static readonly SemaphoreSlim Slots = new(MaxConcurrent, MaxConcurrent);
    private readonly ConcurrentDictionary<string, Lookup> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, Task<IPAddress[]>> _resolve;
    private readonly TimeProvider _time;

    public NameLookups(TimeProvider time) : this(time, static host => Dns.GetHostAddressesAsync(host)) { }

    /// <param name="time">The clock that ages answers.</param>
    /// <param name="resolve">The lookup itself (a test counts or fakes it).</param>
    internal NameLookups(TimeProvider time, Func<string, Task<IPAddress[]>> resolve)
    {
        _time = time;
        _resolve = resolve;
    }

    /// <summary>The addresses of a host: remembered, joined to a lookup in flight, or looked up now.</summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    /// <remarks>A canceled caller stops waiting; the lookup goes on for the others and for the memory.</remarks>
    public Task<IPAddress[]> LookUpAsync(string host, CancellationToken ct)
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            if (_hosts.TryGetValue(host, out var known) && !IsStale(known, now))
            {
                return known.Answer.Task.WaitAsync(ct);
            }
            var started = new Lookup(new TaskCompletionSource<IPAddress[]>(TaskCreationOptions.RunContinuationsAsynchronously), now);
            if (known is null ? _hosts.TryAdd(host, started) : _hosts.TryUpdate(host, started, known))
            {
                if (known is null && _hosts.Count > MaxRemembered)
                {
                    Forget(now);
                }
                _ = RunAsync(host, started.Answer);
                return started.Answer.Task.WaitAsync(ct);
            }
        }
    }

    private async Task RunAsync(string host, TaskCompletionSource<IPAddress[]> answer)
    {
        await Slots.WaitAsync().ConfigureAwait(false);
        try
        {
            var addresses = await _resolve(host).ConfigureAwait(false);
            answer.SetResult(addresses);
        }
        catch (Exception ex)
        {
            // A URL's host may be longer than a name can be (255 characters): a name that does not resolve.
            answer.SetException(ex is ArgumentException ? new SocketException((int)SocketError.HostNotFound, ex.Message) : ex);
            _ = answer.Task.Exception; // observed here: every caller may have stopped waiting
        }
        finally
        {
            Slots.Release();
        }
    }

    private bool IsStale(Lookup lookup, long now)
    {
        // One still unanswered after AnswerKept is asked for again rather than waited on for ever.
        var task = lookup.Answer.Task;
        var kept = !task.IsCompleted || task.IsCompletedSuccessfully ? AnswerKept : FailureKept;
        return _time.GetElapsedTime(lookup.StartedAt, now) >= kept;
    }

    private void Forget(long now)
    {
        foreach (var (host, lookup) in _hosts)
        {
            if (IsStale(lookup, now))
            {
                _hosts.TryRemove(new KeyValuePair<string, Lookup>(host, lookup));
            }
        }
        if (_hosts.Count > MaxRemembered)
        {
            _hosts.Clear();
        }
    }

    private sealed record Lookup(TaskCompletionSource<IPAddress[]> Answer, long StartedAt);
}
