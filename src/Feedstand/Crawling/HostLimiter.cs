using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

/// <summary>
/// Politeness and load: at most <see cref="FeedstandOptions.PerHostConcurrency"/> fetches at once
/// against one host, and <see cref="FeedstandOptions.FetchConcurrency"/> in the whole process.
/// A host's gate lives only while someone holds or waits for it.
/// </summary>
public sealed class HostLimiter(IOptions<FeedstandOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _global = new(options.Value.FetchConcurrency, options.Value.FetchConcurrency);
    private readonly int _perHost = options.Value.PerHostConcurrency;
    private readonly Dictionary<string, HostGate> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits for a slot for <paramref name="host"/>; dispose the result to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(string host, CancellationToken ct)
    {
        HostGate gate;
        lock (_hosts)
        {
            if (!_hosts.TryGetValue(host, out gate!))
            {
                gate = new HostGate(_perHost);
                _hosts.Add(host, gate);
            }
            gate.Users++;
        }
        try
        {
            await gate.Semaphore.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await _global.WaitAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                gate.Semaphore.Release();
                throw;
            }
        }
        catch
        {
            Leave(host, gate);
            throw;
        }
        return new Slot(this, host, gate);
    }

    /// <summary>Hosts with a fetch running or waiting (for tests and diagnostics).</summary>
    public int ActiveHosts
    {
        get
        {
            lock (_hosts)
            {
                return _hosts.Count;
            }
        }
    }

    public void Dispose() => _global.Dispose();

    private void Leave(string host, HostGate gate)
    {
        lock (_hosts)
        {
            if (--gate.Users == 0)
            {
                _hosts.Remove(host);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class HostGate(int slots)
    {
        public SemaphoreSlim Semaphore { get; } = new(slots, slots);
        public int Users { get; set; }
    }

    private sealed class Slot(HostLimiter limiter, string host, HostGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter._global.Release();
                gate.Semaphore.Release();
                limiter.Leave(host, gate);
            }
        }
    }
}
