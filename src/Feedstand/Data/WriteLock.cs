namespace Feedstand.Data;

/// <summary>
/// SQLite has one writer at a time; when many refreshes of one process write at once, SQLite's
/// busy handler makes the losers sleep in coarse steps (up to 100 ms). Taking turns here first
/// keeps writes back to back. On PostgreSQL it does nothing: rows lock on their own.
/// </summary>
public sealed class WriteLock : IDisposable
{
    private readonly SemaphoreSlim _sqlite = new(1, 1);

    /// <summary>Waits for this process's turn to write to <paramref name="db"/>; dispose the result when done.</summary>
    public async ValueTask<IDisposable?> EnterAsync(FeedstandDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.IsPostgres)
        {
            return null;
        }
        await _sqlite.WaitAsync(ct).ConfigureAwait(false);
        return new Turn(_sqlite);
    }

    public void Dispose() => _sqlite.Dispose();

    private sealed class Turn(SemaphoreSlim semaphore) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
