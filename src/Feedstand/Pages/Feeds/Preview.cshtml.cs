using Feedstand.Data;
using Feedstand.Discovery;
using Feedstand.Settings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Pages.Feeds;

/// <summary>/feeds/{slug}: one listed feed, its facts and its latest posts in full.</summary>
[OutputCache(PolicyName = Web.PageCache.PolicyName)]
public sealed class PreviewModel(FeedstandDb db, IOptions<FeedstandOptions> options, TimeProvider clock) : PageModel
{
    public const int PageSize = 10;

    public FeedPageView Feed { get; private set; } = null!;
    public bool NoIndex => options.Value.NoIndexPreviews;

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        var number = Math.Clamp(pageNumber ?? 1, 1, 10_000);
        var feed = await ListedFeedView.FindAsync(db, slug, ct);
        if (feed is null)
        {
            return NotFound();
        }
        var entries = await db.Entries.AsNoTracking()
            .Where(e => e.FeedId == feed.Id)
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Skip((number - 1) * PageSize).Take(PageSize + 1)
            .Select(e => new EntryView(e.Title, e.Link, e.PublishedAt ?? e.FirstSeenAt,
                db.EntryFullTexts.Where(t => t.EntryId == e.Id).Select(t => t.ContentHtml).FirstOrDefault() ?? e.ContentHtml ?? e.SummaryHtml,
                db.EntryFullTexts.Where(t => t.EntryId == e.Id && t.ContentHtml != null).Select(t => t.SourceUrl).FirstOrDefault()))
            .ToListAsync(ct);
        if (entries.Count == 0 && number > 1)
        {
            return NotFound();
        }
        var hasOlder = entries.Count > PageSize;
        if (hasOlder)
        {
            entries.RemoveAt(entries.Count - 1);
        }
        var translations = await TranslatedModel.LanguagesAsync(db, feed.Id, feed.Language, ct);
        Feed = feed.ToPageView(entries, number, hasOlder, translations) with
        {
            Subscriptions = (await Subscriptions.ThisMonthAsync(db, [feed.Id], clock.GetUtcNow(), ct)).GetValueOrDefault(feed.Id, SubscriptionTally.None),
            Similar = await SimilarAsync(db, feed.Id, feed.Tags, ct),
        };
        return Page();
    }

    /// <summary>The stored closest feeds (<see cref="SimilarFeeds"/>) that are still listed, best first.</summary>
    public static async Task<IReadOnlyList<SimilarFeedView>> SimilarAsync(FeedstandDb db, long feedId, IReadOnlyList<string> tags, CancellationToken ct)
    {
        var rows = await db.SimilarFeeds.AsNoTracking()
            .Where(s => s.FeedId == feedId && s.Other!.Status == FeedStatus.Active)
            .OrderByDescending(s => s.Score).ThenBy(s => s.OtherId)
            .Take(SimilarFeeds.PerFeed)
            .Select(s => new
            {
                s.Other!.Slug,
                Title = s.Other.DisplayTitle,
                Description = s.Other.DisplayDescription,
                Tags = s.Other.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
            })
            .ToListAsync(ct);
        return rows.ConvertAll(r => new SimilarFeedView(r.Slug, r.Title, r.Description, r.Tags.Where(tags.Contains).ToList()));
    }
}
