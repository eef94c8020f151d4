using Feedstand.Data;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Writers;
using Feedstand.Pages.Feeds;
using Microsoft.AspNetCore.Http.HttpResults;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Api;

/// <summary>
/// /feeds/{slug}/translated/{lang}/rss|atom|json: the translated entries re-published through the
/// same writers as the original feed. An entry whose translation is not finished for its current
/// content is left out until it is, so a reader never gets a half-translated or original post
/// under a translated feed's name (entries already in the language are included as they are).
/// </summary>
public static class TranslatedFeedEndpoints
{
    public static IEndpointRouteBuilder MapTranslatedFeedEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/feeds/{slug}/translated/{lang:maxlength(35)}/{format:regex(^(rss|atom|json)$)}", FeedAsync);
        return routes;
    }

    public static async Task<Results<Conditional, NotFound>> FeedAsync(
        FeedstandDb db, IOptions<FeedstandOptions> options, HttpRequest request, string slug, string lang, string format, CancellationToken ct)
    {
        var document = await RenderAsync(db, RepublishEndpoints.Origin(request), slug, lang, format, RepublishEndpoints.HubOf(options.Value), ct);
        return document is null ? TypedResults.NotFound() : document;
    }

    /// <summary>The translated document as served at {origin}/feeds/{slug}/translated/{lang}/{format}; null when there is none.</summary>
    internal static async Task<Conditional?> RenderAsync(
        FeedstandDb db, string origin, string slug, string lang, string format, string? hub, CancellationToken ct)
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
            })
            .SingleOrDefaultAsync(ct);
        if (feed is null || !(await TranslatedModel.LanguagesAsync(db, feed.Id, feed.Language, ct)).Contains(lang, StringComparer.Ordinal))
        {
            return null;
        }
        var path = $"/feeds/{slug}/translated/{lang}";
        var parsed = new ParsedFeed
        {
            Title = feed.Title,
            Subtitle = feed.Description,
            Link = origin + path,
            Self = origin + $"{path}/{format}",
            Id = origin + path,
            Language = lang,
            Icon = feed.Icon,
            Generator = "Feedstand",
        };
        var rows = await db.Entries.AsNoTracking()
            .Where(e => e.FeedId == feed.Id)
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Take(RepublishEndpoints.EntriesPerFeed)
            .Select(e => new
            {
                Entry = e,
                Translation = db.EntryTranslations.FirstOrDefault(t => t.EntryId == e.Id && t.Language == lang && t.SourceHash == e.ContentHash),
            })
            .ToListAsync(ct);
        foreach (var row in rows)
        {
            if (row.Translation is not { } translation)
            {
                continue;
            }
            var entry = row.Entry;
            if (!translation.IsSameLanguage)
            {
                entry.Title = translation.Title ?? entry.Title;
                entry.SummaryHtml = translation.SummaryHtml;
                entry.ContentHtml = translation.ContentHtml;
            }
            parsed.Entries.Add(RepublishEndpoints.ToParsed(entry, null));
        }
        return RepublishEndpoints.Write(parsed, format, FeedWriteOptions.Default, hub);
    }
}
