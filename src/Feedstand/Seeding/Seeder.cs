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
        var now = clock.GetUtcNow();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var tags = new Dictionary<string, Tag>(StringComparer.Ordinal);
        var byUrl = new Dictionary<string, Feed>(StringComparer.OrdinalIgnoreCase);

        var starter = Path.Combine(Folder, "starter.opml");
        if (File.Exists(starter))
        {
            var document = OpmlReader.Read(await File.ReadAllBytesAsync(starter, ct));
            foreach (var outline in document.Feeds)
            {
                if (byUrl.ContainsKey(outline.XmlUrl))
                {
                    continue;
                }
                var feed = NewFeed(outline.XmlUrl, outline.Categories, outline.Language, slugs, tags, now);
                feed.Title = outline.Title;
                feed.SiteUrl = outline.HtmlUrl;
                feed.Description = outline.Description;
                byUrl[outline.XmlUrl] = feed;
            }
        }

        var snapshots = new List<(Feed Feed, string Path)>();
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
                if (!byUrl.TryGetValue(url, out var feed))
                {
                    feed = NewFeed(url, columns[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), columns[3], slugs, tags, now);
                    byUrl[url] = feed;
                }
                snapshots.Add((feed, Path.Combine(Folder, "snapshot", columns[0])));
            }
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Feeds.AddRange(byUrl.Values);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        foreach (var (feed, path) in snapshots)
        {
            pending.Queue.Enqueue((feed.Id, path));
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogSeeded(logger, byUrl.Count, snapshots.Count, elapsed);
        return byUrl.Count;
    }

    private static Feed NewFeed(
        string url, IEnumerable<string> categories, string? language, HashSet<string> slugs, Dictionary<string, Tag> tags, DateTimeOffset now)
    {
        var feed = new Feed
        {
            Slug = Slugs.Unique(Slugs.FromUrl(url), slugs),
            FeedUrl = url,
            Language = string.IsNullOrWhiteSpace(language) ? null : language,
            Status = FeedStatus.Active,
            CreatedAt = now,
            FetchState = new FetchState { NextFetchAt = now },
        };
        foreach (var category in categories)
        {
            var name = category.Trim().ToLowerInvariant();
            if (name.Length == 0 || Slugs.Tag(name) != name || feed.Tags.Any(t => t.Name == name))
            {
                continue;
            }
            if (!tags.TryGetValue(name, out var tag))
            {
                tag = new Tag { Name = name };
                tags[name] = tag;
            }
            feed.Tags.Add(tag);
        }
        return feed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the empty database: {Feeds} feeds ({Snapshots} get offline posts in the background) in {Elapsed}")]
    private static partial void LogSeeded(ILogger logger, int feeds, int snapshots, TimeSpan elapsed);
}
