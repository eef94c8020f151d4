using Feedstand.Api;
using Feedstand.Data;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Writers;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Discovery;

/// <summary>/week/rss|atom|json (with <c>?tag=</c> and <c>?lang=</c>): the week's best posts through the re-publishing writers.</summary>
public static class WeekFeedEndpoints
{
    public const int EntriesPerFeed = 50;

    public static IEndpointRouteBuilder MapWeekFeedEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/week/{format:regex(^(rss|atom|json)$)}", [HttpMethods.Get, HttpMethods.Head], FeedAsync)
            .CacheOutput(PageCache.PolicyName);
        return routes;
    }

    public static async Task<Conditional> FeedAsync(
        FeedstandDb db, HttpRequest request, TimeProvider clock, string format, string? tag, string? lang, CancellationToken ct)
    {
        tag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().ToLowerInvariant();
        var language = LanguageCodes.Filter(lang);
        var ranked = await ThisWeek.RankAsync(db, tag, language, clock.GetUtcNow(), ct);
        var ids = ranked.Take(EntriesPerFeed).Select(p => p.EntryId).ToList();
        var rows = await db.Entries.AsNoTracking()
            .Where(e => ids.Contains(e.Id))
            .Select(e => new { Entry = e, FeedTitle = e.Feed!.DisplayTitle })
            .ToDictionaryAsync(r => r.Entry.Id, ct);
        var query = (tag is null ? "" : "tag=" + Uri.EscapeDataString(tag)) + (language is null ? "" : (tag is null ? "" : "&") + "lang=" + Uri.EscapeDataString(language));
        var suffix = query.Length == 0 ? "" : "?" + query;
        var parsed = new ParsedFeed
        {
            Title = "Feedstand: this week" + (tag is null ? "" : " in " + tag) + (language is null ? "" : " (" + language + ")"),
            Subtitle = "The week's posts across the directory, ranked by their feed's subscriptions and their freshness",
            Link = RepublishEndpoints.Absolute(request, "/week" + suffix),
            Id = RepublishEndpoints.Absolute(request, "/week" + suffix),
            Self = RepublishEndpoints.Absolute(request, "/week/" + format + suffix),
            Language = language,
            Generator = "Feedstand",
        };
        var fullTexts = await FullText.FullTextQueries.ForEntriesAsync(db, ids, ct);
        foreach (var id in ids)
        {
            if (rows.TryGetValue(id, out var row))
            {
                parsed.Entries.Add(RepublishEndpoints.ToParsed(row.Entry, row.FeedTitle, fullTexts.GetValueOrDefault(id)));
            }
        }
        return RepublishEndpoints.Write(parsed, format, FeedWriteOptions.Default);
    }
}
