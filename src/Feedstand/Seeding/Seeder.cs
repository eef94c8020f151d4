using System.Diagnostics;
using Feedstand.Data;
using Feedstand.Feeds.Opml;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Seeding;

/// <summary>
/// Fills an empty database (SEED=true): the starter directory from <c>seed/starter.opml</c>
/// (listings only; the refresher fetches them when there is a network), then the offline
/// snapshot of <c>seed/snapshot/</c> stored through the refresher's own code, so preview
/// pages have posts at once. Nothing is fetched here.
/// </summary>
public sealed partial class Seeder(FeedstandDb db, PendingSnapshots pending, TimeProvider clock, ILogger<Seeder> logger)
{
    public static string Folder { get; set; } = Path.Combine(AppContext.BaseDirectory, "seed");

    /// <summary>Seeds when the database has no feeds; returns the number of feeds added.</summary>
    public async Task<int> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Feeds.AnyAsync(ct))
        {
            return 0;
        }
        var started = Stopwatch.GetTimestamp();
        var byUrl = new Dictionary<string, NewListing>(StringComparer.OrdinalIgnoreCase);

        var starter = Path.Combine(Folder, "starter.opml");
        if (File.Exists(starter))
        {
            var document = OpmlReader.Read(await File.ReadAllBytesAsync(starter, ct));
            foreach (var outline in document.Feeds)
            {
                byUrl.TryAdd(outline.XmlUrl, new NewListing(outline.XmlUrl)
                {
                    SlugFrom = outline.XmlUrl,
                    SiteUrl = outline.HtmlUrl,
                    Title = outline.Title,
                    Description = outline.Description,
                    Language = outline.Language,
                    Tags = outline.Categories,
                });
            }
        }

        var snapshots = new List<(string FeedUrl, string Path)>();
        var manifest = Path.Combine(Folder, "snapshot", "MANIFEST.tsv");
        if (File.Exists(manifest))
        {
            foreach (var line in (await File.ReadAllLinesAsync(manifest, ct)).Skip(1))
            {
                var columns = line.Split('\t');
                if (columns.Length < 4)
                {
                    continue;
                }
                var url = columns[1];
                byUrl.TryAdd(url, new NewListing(url)
                {
                    SlugFrom = url,
                    Language = columns[3],
                    Tags = columns[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                });
                snapshots.Add((byUrl[url].FeedUrl, Path.Combine(Folder, "snapshot", columns[0])));
            }
        }

        var created = await db.AddListingsAsync(byUrl.Values, clock.GetUtcNow(), ct);
        var ids = created.ToDictionary(f => f.FeedUrl, f => f.Id, StringComparer.Ordinal);
        foreach (var (feedUrl, path) in snapshots)
        {
            pending.Queue.Enqueue((ids[feedUrl], path));
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogSeeded(logger, created.Count, snapshots.Count, elapsed);
        return created.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the empty database: {Feeds} feeds ({Snapshots} get offline posts in the background) in {Elapsed}")]
    private static partial void LogSeeded(ILogger logger, int feeds, int snapshots, TimeSpan elapsed);
}
