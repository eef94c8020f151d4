using System.Diagnostics;
using Feedstand.Data;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Discovery;

/// <summary>
/// "Similar feeds": for every active feed, the <see cref="PerFeed"/> closest others, stored in
/// <c>feed_similar</c> and read by the preview page.
/// </summary>
/// <remarks>
/// <para>
/// Score = <see cref="TagWeight"/> × Jaccard(tags) + <see cref="TextWeight"/> × cosine(text), where
/// the text vector of a feed is TF-IDF over the titles and plain text of its
/// <see cref="PostsPerFeed"/> newest posts (<see cref="TextTerms"/>: words, CJK character bigrams),
/// weight (1 + ln tf) × ln(N / df), the <see cref="TermsPerFeed"/> heaviest terms kept, L2-normalized.
/// Terms in one feed only or in more than half of them say nothing about closeness and are dropped.
/// </para>
/// <para>
/// Computed in memory for the whole directory, by the refresher after a cycle that stored new posts
/// (at most every <see cref="MinInterval"/>) and once after the starter directory is loaded; the
/// result replaces the table in one transaction. Candidates come from inverted lists (tag → feeds,
/// term → feeds), so the cost grows with how much feeds share, not with N². For 10,000 feeds:
/// one windowed query of ≤ 200,000 short texts (1,000 characters each), about 100 MB of term counts
/// at its peak, a few seconds of CPU, and 50,000 rows written.
/// </para>
/// </remarks>
public sealed partial class SimilarFeeds(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SimilarFeeds> logger)
{
    public const int PerFeed = 5;
    public const int PostsPerFeed = 20;
    public const int CharactersPerPost = 1000;
    public const int TermsPerFeed = 64;
    public const double TagWeight = 0.6;
    public const double TextWeight = 0.4;

    /// <summary>The least time between two computations started by the refresher.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromHours(1);

    /// <summary>The newest entry id when this process last computed: no new id, no new posts.</summary>
    private long? _newestEntryComputed;

    /// <summary>
    /// Recomputes when the last computation was <see cref="MinInterval"/> ago or more (or never
    /// happened) and posts arrived since this process last computed (a new highest entry id: one
    /// index lookup; after a restart, the first chance computes once). Several refresher nodes may
    /// both compute; the last write wins and both write the same thing.
    /// </summary>
    public async Task<bool> RunAfterRefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var computed = await db.SimilarFeeds.MaxAsync(s => (DateTimeOffset?)s.ComputedAt, ct).ConfigureAwait(false);
        if (computed is { } at && clock.GetUtcNow() - at < MinInterval)
        {
            return false;
        }
        var newest = await db.Entries.MaxAsync(e => (long?)e.Id, ct).ConfigureAwait(false);
        if (computed is not null && newest == _newestEntryComputed)
        {
            return false;
        }
        if (computed is null && !await db.Feeds.AnyAsync(f => f.Status == FeedStatus.Active, ct).ConfigureAwait(false))
        {
            return false;
        }
        await ComputeAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Computes the similar feeds of the whole directory and replaces the table; returns the rows written.</summary>
    public async Task<int> ComputeAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var newest = await db.Entries.MaxAsync(e => (long?)e.Id, ct).ConfigureAwait(false);
        var feeds = await db.Feeds.AsNoTracking()
            .Where(f => f.Status == FeedStatus.Active)
            .Select(f => new { f.Id, Tags = f.Tags.Select(t => t.Id).ToList() })
            .ToListAsync(ct).ConfigureAwait(false);
        var tagsOf = feeds.ToDictionary(f => f.Id, f => f.Tags.ToHashSet());
        var textOf = await TextVectorsAsync(db, tagsOf.Keys.ToHashSet(), ct).ConfigureAwait(false);

        var now = clock.GetUtcNow();
        var rows = new List<SimilarFeed>(feeds.Count * PerFeed);
        foreach (var (feedId, suggestions) in Closest(tagsOf, textOf))
        {
            foreach (var (otherId, score) in suggestions)
            {
                rows.Add(new SimilarFeed { FeedId = feedId, OtherId = otherId, Score = score, ComputedAt = now });
            }
        }

        var writeLock = scope.ServiceProvider.GetRequiredService<WriteLock>();
        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            await db.SimilarFeeds.ExecuteDeleteAsync(ct).ConfigureAwait(false);
            db.SimilarFeeds.AddRange(rows);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        _newestEntryComputed = newest;
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogComputed(logger, feeds.Count, rows.Count, elapsedMs);
        return rows.Count;
    }

    /// <summary>
    /// The closest feeds of each feed, best first: the pure part of <see cref="ComputeAsync"/>.
    /// <paramref name="textOf"/> holds L2-normalized term weights (feeds without text are absent).
    /// </summary>
    public static IEnumerable<(long FeedId, List<(long OtherId, double Score)> Suggestions)> Closest(
        IReadOnlyDictionary<long, HashSet<long>> tagsOf, IReadOnlyDictionary<long, Dictionary<int, double>> textOf)
    {
        ArgumentNullException.ThrowIfNull(tagsOf);
        ArgumentNullException.ThrowIfNull(textOf);
        var feedsByTag = new Dictionary<long, List<long>>();
        foreach (var (feedId, tags) in tagsOf)
        {
            foreach (var tag in tags)
            {
                if (!feedsByTag.TryGetValue(tag, out var list))
                {
                    feedsByTag[tag] = list = [];
                }
                list.Add(feedId);
            }
        }
        var feedsByTerm = new Dictionary<int, List<(long FeedId, double Weight)>>();
        foreach (var (feedId, vector) in textOf)
        {
            foreach (var (term, weight) in vector)
            {
                if (!feedsByTerm.TryGetValue(term, out var list))
                {
                    feedsByTerm[term] = list = [];
                }
                list.Add((feedId, weight));
            }
        }

        var shared = new Dictionary<long, int>();
        var dot = new Dictionary<long, double>();
        foreach (var (feedId, tags) in tagsOf)
        {
            shared.Clear();
            dot.Clear();
            foreach (var tag in tags)
            {
                foreach (var other in feedsByTag[tag])
                {
                    if (other != feedId)
                    {
                        shared[other] = shared.GetValueOrDefault(other) + 1;
                    }
                }
            }
            if (textOf.TryGetValue(feedId, out var vector))
            {
                foreach (var (term, weight) in vector)
                {
                    foreach (var (other, otherWeight) in feedsByTerm[term])
                    {
                        if (other != feedId)
                        {
                            dot[other] = dot.GetValueOrDefault(other) + weight * otherWeight;
                        }
                    }
                }
            }
            var best = new List<(long OtherId, double Score)>(shared.Count + dot.Count);
            foreach (var other in shared.Keys.Union(dot.Keys))
            {
                var common = shared.GetValueOrDefault(other);
                var jaccard = common == 0 ? 0 : (double)common / (tags.Count + tagsOf[other].Count - common);
                var score = TagWeight * jaccard + TextWeight * Math.Min(1, dot.GetValueOrDefault(other));
                if (score > 0)
                {
                    best.Add((other, score));
                }
            }
            best.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.OtherId.CompareTo(b.OtherId));
            if (best.Count > PerFeed)
            {
                best.RemoveRange(PerFeed, best.Count - PerFeed);
            }
            if (best.Count > 0)
            {
                yield return (feedId, best);
            }
        }
    }

    private sealed record PostText(long FeedId, string? Title, string? Body);

    /// <summary>TF-IDF vectors of the feeds' newest posts; term ids are private to one computation.</summary>
    private static async Task<Dictionary<long, Dictionary<int, double>>> TextVectorsAsync(
        FeedstandDb db, HashSet<long> active, CancellationToken ct)
    {
        var termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<long, Dictionary<int, int>>();
        var posts = db.Database.SqlQuery<PostText>(
            $"""
            SELECT feed_id AS "FeedId", title AS "Title", substr(search_text, 1, {CharactersPerPost}) AS "Body"
            FROM (SELECT feed_id, title, search_text,
                         ROW_NUMBER() OVER (PARTITION BY feed_id ORDER BY sort_date DESC, id DESC) AS newness
                  FROM entries) AS newest
            WHERE newness <= {PostsPerFeed}
            """);
        await foreach (var post in posts.AsAsyncEnumerable().WithCancellation(ct).ConfigureAwait(false))
        {
            if (!active.Contains(post.FeedId))
            {
                continue;
            }
            if (!counts.TryGetValue(post.FeedId, out var terms))
            {
                counts[post.FeedId] = terms = [];
            }
            void Add(string term)
            {
                if (!termIds.TryGetValue(term, out var id))
                {
                    termIds[term] = id = termIds.Count;
                }
                terms[id] = terms.GetValueOrDefault(id) + 1;
            }
            TextTerms.Each(post.Title, Add);
            TextTerms.Each(post.Body, Add);
        }
        return Weigh(counts);
    }

    /// <summary>Term counts to L2-normalized TF-IDF vectors of the <see cref="TermsPerFeed"/> heaviest useful terms.</summary>
    public static Dictionary<long, Dictionary<int, double>> Weigh(Dictionary<long, Dictionary<int, int>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var documentFrequency = new Dictionary<int, int>();
        foreach (var terms in counts.Values)
        {
            foreach (var term in terms.Keys)
            {
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
            }
        }
        var n = counts.Count;
        var vectors = new Dictionary<long, Dictionary<int, double>>(n);
        foreach (var (feedId, terms) in counts)
        {
            var weighted = new List<(int Term, double Weight)>(terms.Count);
            foreach (var (term, tf) in terms)
            {
                var df = documentFrequency[term];
                if (df < 2 || df == n || (n >= 10 && df * 2 > n))
                {
                    continue;
                }
                weighted.Add((term, (1 + Math.Log(tf)) * Math.Log((double)n / df)));
            }
            if (weighted.Count == 0)
            {
                continue;
            }
            weighted.Sort((a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.Term.CompareTo(b.Term));
            if (weighted.Count > TermsPerFeed)
            {
                weighted.RemoveRange(TermsPerFeed, weighted.Count - TermsPerFeed);
            }
            var norm = Math.Sqrt(weighted.Sum(w => w.Weight * w.Weight));
            vectors[feedId] = weighted.ToDictionary(w => w.Term, w => w.Weight / norm);
        }
        return vectors;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Similar feeds computed for {Feeds} feeds: {Rows} suggestions in {ElapsedMs} ms")]
    private static partial void LogComputed(ILogger logger, int feeds, int rows, double elapsedMs);
}
