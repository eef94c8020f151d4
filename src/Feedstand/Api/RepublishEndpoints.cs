using Feedstand.Data;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Writers;
using Feedstand.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Api;

/// <summary>
/// /feeds/{slug}/rss|atom|json and /tags/{tag}/rss|atom|json: the stored, sanitized entries
/// re-published in each format, with ETag, Last-Modified and 304.
/// </summary>
public static class RepublishEndpoints
{
    public const int EntriesPerFeed = 50;

    public static IEndpointRouteBuilder MapRepublishEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/feeds/{slug}/{format:regex(^(rss|atom|json)$)}", FeedAsync).CacheOutput(PageCache.PolicyName);
        routes.MapGet("/tags/{tag}/{format:regex(^(rss|atom|json)$)}", TagAsync).CacheOutput(PageCache.PolicyName);
        return routes;
    }

    public static async Task<Results<Conditional, NotFound>> FeedAsync(
        FeedstandDb db, HttpRequest request, string slug, string format, CancellationToken ct)
    {
        var feed = await db.Feeds.AsNoTracking()
            .Where(f => f.Slug == slug && f.Status == FeedStatus.Active)
            .Select(f => new
            {
                f.Id,
                Title = f.TitleOverride ?? f.Title ?? f.FeedUrl,
                Description = f.DescriptionOverride ?? f.Description,
                Icon = f.IconUrlOverride ?? f.IconUrl,
                f.SiteUrl,
                f.Language,
            })
            .SingleOrDefaultAsync(ct);
        if (feed is null)
        {
            return TypedResults.NotFound();
        }
        var parsed = new ParsedFeed
        {
            Title = feed.Title,
            Subtitle = feed.Description,
            Link = feed.SiteUrl ?? Absolute(request, "/feeds/" + slug),
            Self = Absolute(request, $"/feeds/{slug}/{format}"),
            Id = Absolute(request, "/feeds/" + slug),
            Language = feed.Language,
            Icon = feed.Icon,
            Generator = "Feedstand",
        };
        var entries = await db.Entries.AsNoTracking()
            .Where(e => e.FeedId == feed.Id)
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Take(EntriesPerFeed)
            .ToListAsync(ct);
        var fullTexts = await FullText.FullTextQueries.ForEntriesAsync(db, entries.ConvertAll(e => e.Id), ct);
        foreach (var entry in entries)
        {
            parsed.Entries.Add(ToParsed(entry, null, fullTexts.GetValueOrDefault(entry.Id)));
        }
        return Write(parsed, format);
    }

    public static async Task<Results<Conditional, NotFound>> TagAsync(
        FeedstandDb db, HttpRequest request, string tag, string format, CancellationToken ct)
    {
        var name = tag.ToLowerInvariant();
        if (!await db.Tags.AnyAsync(t => t.Name == name, ct))
        {
            return TypedResults.NotFound();
        }
        var parsed = new ParsedFeed
        {
            Title = "Feedstand: " + name,
            Subtitle = "The newest posts of the feeds tagged " + name,
            Link = Absolute(request, "/tags/" + name),
            Self = Absolute(request, $"/tags/{name}/{format}"),
            Id = Absolute(request, "/tags/" + name),
            Generator = "Feedstand",
        };
        var entries = await db.Entries.AsNoTracking()
            .Where(e => e.Feed!.Status == FeedStatus.Active && e.Feed.Tags.Any(t => t.Name == name))
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Take(EntriesPerFeed)
            .Select(e => new { Entry = e, FeedTitle = e.Feed!.TitleOverride ?? e.Feed.Title ?? e.Feed.FeedUrl })
            .ToListAsync(ct);
        var fullTexts = await FullText.FullTextQueries.ForEntriesAsync(db, entries.ConvertAll(e => e.Entry.Id), ct);
        foreach (var row in entries)
        {
            parsed.Entries.Add(ToParsed(row.Entry, row.FeedTitle, fullTexts.GetValueOrDefault(row.Entry.Id)));
        }
        return Write(parsed, format);
    }

    /// <summary>The entry as the model the writers take; extracted <paramref name="fullText"/> is the content, the teaser stays the summary.</summary>
    private static ParsedEntry ToParsed(Entry entry, string? feedTitle, string? fullText = null)
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

    private static Conditional Write(ParsedFeed feed, string format)
    {
        using var buffer = new MemoryStream(16 * 1024);
        string contentType;
        switch (format)
        {
            case "atom":
                AtomWriter.Write(feed, buffer);
                contentType = AtomWriter.ContentType;
                break;
            case "json":
                JsonFeedWriter.Write(feed, buffer);
                contentType = JsonFeedWriter.ContentType;
                break;
            default:
                RssWriter.Write(feed, buffer);
                contentType = RssWriter.ContentType;
                break;
        }
        DateTimeOffset? newest = null;
        foreach (var entry in feed.Entries)
        {
            var date = entry.Updated ?? entry.Published;
            if (newest is null || date > newest)
            {
                newest = date;
            }
        }
        return new Conditional(buffer.ToArray(), contentType, newest);
    }

    private static string Absolute(HttpRequest request, string path) => request.Scheme + "://" + request.Host.Value + path;
}
