using System.Collections.Concurrent;

namespace Feedstand.Crawling;

public enum RefreshStatus
{
    Updated,
    NotModified,
    Failed,
    Missing,
}

/// <summary>What one refresh did.</summary>
public sealed record RefreshOutcome(RefreshStatus Status, int NewEntries = 0, int UpdatedEntries = 0, FetchError? Error = null)
{
    public static RefreshOutcome Missing { get; } = new(RefreshStatus.Missing);
}

/// <summary>Counts of one refresh run, safe to update from parallel refreshes.</summary>
public sealed class RefreshSummary
{
    private int _claimed;
    private int _fetched;
    private int _notModified;
    private int _failed;
    private int _newEntries;
    private int _updatedEntries;

    public int Claimed => _claimed;
    public int Done => _fetched + _notModified + _failed;

    /// <summary>Fetched and parsed (HTTP 200).</summary>
    public int Fetched => _fetched;

    /// <summary>HTTP 304.</summary>
    public int NotModified => _notModified;
    public int Failed => _failed;
    public int NewEntries => _newEntries;
    public int UpdatedEntries => _updatedEntries;
    public ConcurrentDictionary<string, int> ErrorsByKind { get; } = new(StringComparer.Ordinal);
    public TimeSpan Elapsed { get; internal set; }

    /// <summary><c>refresh --all</c>: feeds another node holds, which this run is waiting for.</summary>
    public int WaitingForOthers { get; internal set; }

    /// <summary><c>refresh --all</c>: slugs of feeds another node kept holding longer than this run could wait.</summary>
    public IReadOnlyList<string> NotDone { get; internal set; } = [];

    internal void AddClaimed(int count) => Interlocked.Add(ref _claimed, count);

    internal void Add(RefreshOutcome outcome)
    {
        switch (outcome.Status)
        {
            case RefreshStatus.Updated:
                Interlocked.Increment(ref _fetched);
                Interlocked.Add(ref _newEntries, outcome.NewEntries);
                Interlocked.Add(ref _updatedEntries, outcome.UpdatedEntries);
                break;
            case RefreshStatus.NotModified:
                Interlocked.Increment(ref _notModified);
                break;
            default:
                Interlocked.Increment(ref _failed);
                ErrorsByKind.AddOrUpdate((outcome.Error?.Kind ?? FetchErrorKind.Crashed).ToString(), 1, (_, n) => n + 1);
                break;
        }
    }
}
