using System.Globalization;
using Feedstand.Data;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Writers;
using Feedstand.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Api;

/// <summary>
/// /feeds/{slug}/rss|atom|json and /tags/{tag}/rss|atom|json: the stored, sanitized entries
/// re-published in each format, with ETag, Last-Modified, 304 and HEAD. Each document holds
/// <see cref="EntriesPerFeed"/> entries; older ones are reached through RFC 5005 links
/// (<c>next</c> and <c>prev-archive</c> to <c>?before={entry}</c>, archive pages marked
/// <c>fh:archive</c> with <c>current</c>, <c>previous</c> and <c>next-archive</c> back), so a new
/// subscriber can read the whole stored history.
/// </summary>
public static class RepublishEndpoints
{
    public const int EntriesPerFeed = 50;

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapRepublishEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/feeds/{slug}/{format:regex(^(rss|atom|json)$)}", GetAndHead, FeedAsync).CacheOutput(PageCache.PolicyName);
        routes.MapMethods("/tags/{tag}/{format:regex(^(rss|atom|json)$)}", GetAndHead, TagAsync).CacheOutput(PageCache.PolicyName);
        return routes;
    }

    public static async Task<Results<Conditional, NotFound>> FeedAsync(
        FeedstandDb db, IOptions<FeedstandOptions> options, HttpRequest request, string slug, string format, long? before, CancellationToken ct)
    {
        var document = await RenderFeedAsync(db, Origin(request), slug, format, before, HubOf(options.Value), ct);
        return document is null ? TypedResults.NotFound() : document;
    }

    public static async Task<Results<Conditional, NotFound>> TagAsync(
        FeedstandDb db, IOptions<FeedstandOptions> options, HttpRequest request, string tag, string format, long? before, CancellationToken ct)
    {
        var document = await RenderTagAsync(db, Origin(request), tag, format, before, HubOf(options.Value), ct);
        return document is null ? TypedResults.NotFound() : document;
    }

    /// <summary>The WebSub hub the documents advertise; null while WebSub is off.</summary>
    internal static string? HubOf(FeedstandOptions options) => options.IsWebSubEnabled ? options.WebSubHubUrl : null;

    /// <summary>
    /// One feed's document as served at {origin}/feeds/{slug}/{format}: also what the WebSub hub
    /// delivers to that topic's subscribers. Null when there is no such feed or page.
    /// </summary>
    internal static async Task<Conditional?> RenderFeedAsync(
        FeedstandDb db, string origin, string slug, string format, long? before, string? hub, CancellationToken ct)
    {
        var feed = await db.Feeds.AsNoTracking()
            .Where(f => f.Slug == slug && f.Status == FeedStatus.Active)
            .Select(f => new
            {
                f.Id,
                Title = f.DisplayTitle,
                Description = f.DisplayDescription,
                Icon = f.DisplayIconUrl,
                f.SiteUrl,
                f.Language,
                f.CreatedAt,
            })
            .SingleOrDefaultAsync(ct);
        if (feed is null)
        {
            return null;
        }
        var current = origin + $"/feeds/{slug}/{format}";
        var parsed = new ParsedFeed
        {
            Title = feed.Title,
            Subtitle = feed.Description,
            Link = feed.SiteUrl ?? origin + "/feeds/" + slug,
            Id = origin + "/feeds/" + slug,
            Language = feed.Language,
            Icon = feed.Icon,
            Generator = "Feedstand",
        };
        var page = await PageAsync(db.Entries.AsNoTracking().Where(e => e.FeedId == feed.Id), before, current, ct);
        if (page is null)
        {
            return null;
        }
        parsed.Self = page.Self;
        var fullTexts = await FullText.FullTextQueries.ForEntriesAsync(db, page.Entries.ConvertAll(e => e.Id), ct);
        foreach (var entry in page.Entries)
        {
            parsed.Entries.Add(ToParsed(entry, null, fullTexts.GetValueOrDefault(entry.Id)));
        }
        return Write(parsed, format, page.Options(feed.CreatedAt), hub);
    }

    /// <summary>One tag's document as served at {origin}/tags/{tag}/{format}; null when there is no such tag or page.</summary>
    internal static async Task<Conditional?> RenderTagAsync(
        FeedstandDb db, string origin, string tag, string format, long? before, string? hub, CancellationToken ct)
    {
        var name = tag.ToLowerInvariant();
        var listed = await db.Tags.Where(t => t.Name == name)
            .Select(t => t.Feeds.Where(f => f.Status == FeedStatus.Active).Max(f => (DateTimeOffset?)f.CreatedAt))
            .ToListAsync(ct);
        if (listed.Count == 0)
        {
            return null;
        }
        var parsed = new ParsedFeed
        {
            Title = "Feedstand: " + name,
            Subtitle = "The newest posts of the feeds tagged " + name,
            Link = origin + "/tags/" + name,
            Id = origin + "/tags/" + name,
            Generator = "Feedstand",
        };
        var entries = db.Entries.AsNoTracking()
            .Where(e => e.Feed!.Status == FeedStatus.Active && e.Feed.Tags.Any(t => t.Name == name));
        var page = await PageAsync(entries, before, origin + $"/tags/{name}/{format}", ct);
        if (page is null)
        {
            return null;
        }
        parsed.Self = page.Self;
        var feedIds = page.Entries.Select(e => e.FeedId).Distinct().ToList();
        var titles = await db.Feeds.AsNoTracking()
            .Where(f => feedIds.Contains(f.Id))
            .Select(f => new { f.Id, Title = f.DisplayTitle })
            .ToDictionaryAsync(f => f.Id, f => f.Title, ct);
        var fullTexts = await FullText.FullTextQueries.ForEntriesAsync(db, page.Entries.ConvertAll(e => e.Id), ct);
        foreach (var entry in page.Entries)
        {
            parsed.Entries.Add(ToParsed(entry, titles.GetValueOrDefault(entry.FeedId), fullTexts.GetValueOrDefault(entry.Id)));
        }
        return Write(parsed, format, page.Options(listed[0]), hub);
    }

    /// <summary>One document's entries and its RFC 5005 links.</summary>
    private sealed record Page(List<Entry> Entries, string Self, List<FeedLink> Links, bool IsArchive)
    {
        public FeedWriteOptions Options(DateTimeOffset? listedAt) =>
            new() { Updated = listedAt, PagingLinks = Links, IsArchive = IsArchive };
    }

    /// <summary>
    /// The newest entries (the subscription document), or with <paramref name="before"/> the
    /// entries just older than that entry (an archive document); null when that entry is not there.
    /// </summary>
    private static async Task<Page?> PageAsync(IQueryable<Entry> entries, long? before, string current, CancellationToken ct)
    {
        var older = entries;
        if (before is { } id)
        {
            var cursor = await entries.Where(e => e.Id == id).Select(e => new { e.SortDate, e.Id }).SingleOrDefaultAsync(ct);
            if (cursor is null)
            {
                return null;
            }
            older = entries.Where(e => e.SortDate < cursor.SortDate || (e.SortDate == cursor.SortDate && e.Id < cursor.Id));
        }
        var rows = await older.OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Take(EntriesPerFeed + 1)
            .ToListAsync(ct);
        var hasOlder = rows.Count > EntriesPerFeed;
        if (hasOlder)
        {
            rows.RemoveAt(EntriesPerFeed);
        }
        var links = new List<FeedLink>();
        var self = before is null ? current : current + "?before=" + before.Value.ToString(CultureInfo.InvariantCulture);
        if (before is { } newestOlderThan)
        {
            links.Add(new FeedLink("current", current));
            // The newer neighbour is the page whose oldest entry is the cursor: it starts
            // EntriesPerFeed entries above it, or it is the subscription document.
            var cursor = await entries.Where(e => e.Id == newestOlderThan).Select(e => new { e.SortDate, e.Id }).SingleAsync(ct);
            var newer = await entries
                .Where(e => e.SortDate > cursor.SortDate || (e.SortDate == cursor.SortDate && e.Id >= cursor.Id))
                .OrderBy(e => e.SortDate).ThenBy(e => e.Id)
                .Skip(EntriesPerFeed).Select(e => (long?)e.Id).FirstOrDefaultAsync(ct);
            if (newer is { } newerId)
            {
                var url = current + "?before=" + newerId.ToString(CultureInfo.InvariantCulture);
                links.Add(new FeedLink("previous", url));
                links.Add(new FeedLink("next-archive", url));
            }
            else
            {
                links.Add(new FeedLink("previous", current));
            }
        }
        if (hasOlder)
        {
            var url = current + "?before=" + rows[^1].Id.ToString(CultureInfo.InvariantCulture);
            links.Add(new FeedLink("next", url));
            links.Add(new FeedLink("prev-archive", url));
        }
        return new Page(rows, self, links, before is not null);
    }

    /// <summary>The entry as the model the writers take; extracted <paramref name="fullText"/> is the content, the teaser stays the summary.</summary>
    internal static ParsedEntry ToParsed(Entry entry, string? feedTitle, string? fullText = null)
    {
        var parsed = new ParsedEntry
        {
            Id = entry.Key,
            Title = entry.Title,
            Link = entry.Link,
            Published = entry.PublishedAt ?? entry.SortDate,
            Updated = entry.UpdatedAt,
            SummaryHtml = fullText is null ? entry.SummaryHtml : entry.SummaryHtml ?? entry.ContentHtml,
            ContentHtml = fullText ?? entry.ContentHtml,
            Comments = entry.CommentsUrl,
            Image = entry.ImageUrl,
        };
        foreach (var author in entry.Authors)
        {
            parsed.Authors.Add(new Person(author));
        }
        if (parsed.Authors.Count == 0 && feedTitle is not null)
        {
            parsed.Authors.Add(new Person(feedTitle));
        }
        foreach (var category in entry.Categories)
        {
            parsed.Categories.Add(new Category(category));
        }
        foreach (var enclosure in entry.Enclosures)
        {
            parsed.Enclosures.Add(new Enclosure(enclosure.Url, enclosure.Type, enclosure.Length));
        }
        return parsed;
    }

    /// <param name="hub">
    /// The WebSub hub to advertise (null: none): written in the document (<c>rel="hub"</c>, JSON Feed
    /// <c>hubs</c>) and, with the topic, as <c>Link</c> headers (WebSub §4). The subscription document
    /// only: archive pages never change, so nothing is pushed for them.
    /// </param>
    internal static Conditional Write(ParsedFeed feed, string format, FeedWriteOptions options, string? hub = null)
    {
        string[] links = [];
        if (hub is not null && !options.IsArchive && feed.Self is { } topic)
        {
            feed.Hubs.Add(hub);
            links = [$"<{hub}>; rel=\"hub\"", $"<{topic}>; rel=\"self\""];
        }
        using var buffer = new MemoryStream(16 * 1024);
        string contentType;
        switch (format)
        {
            case "atom":
                AtomWriter.Write(feed, buffer, options);
                contentType = AtomWriter.ContentType;
                break;
            case "json":
                JsonFeedWriter.Write(feed, buffer, options);
                contentType = JsonFeedWriter.ContentType;
                break;
            default:
                RssWriter.Write(feed, buffer, options);
                contentType = RssWriter.ContentType;
                break;
        }
        // Last-Modified: the newest entry date, else when the feed was listed (as the writers' updated).
        var newest = options.Updated;
        foreach (var entry in feed.Entries)
        {
            var date = entry.Updated ?? entry.Published;
            if (newest is null || date > newest)
            {
                newest = date;
            }
        }
        return new Conditional(buffer.ToArray(), contentType, newest) { Links = links };
    }

    /// <summary>The scheme and host a request came to, without a trailing slash: what the documents' own URLs start with.</summary>
    internal static string Origin(HttpRequest request) => request.Scheme + "://" + request.Host.Value;

    internal static string Absolute(HttpRequest request, string path) => Origin(request) + path;
}
