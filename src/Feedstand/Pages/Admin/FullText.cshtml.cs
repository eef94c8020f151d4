using Feedstand.Data;
using Feedstand.Feeds.Extraction;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Admin;

/// <summary>/admin/feeds/{slug}/full-text: force full text on or off for a feed, set its CSS selector, see the verdict and the latest pages.</summary>
public sealed class FullTextModel(FeedstandDb db, IOutputCacheStore cache) : PageModel
{
    private const int RecentShown = 10;

    public string Slug { get; private set; } = "";
    public string FeedTitle { get; private set; } = "";
    public FeedFullText? Settings { get; private set; }
    public IReadOnlyList<EntryFullText> Recent { get; private set; } = [];

    [BindProperty] public FullTextMode Mode { get; set; }
    [BindProperty] public string? CssSelector { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct))
        {
            return NotFound();
        }
        Mode = Settings?.Mode ?? FullTextMode.Auto;
        CssSelector = Settings?.CssSelector;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct))
        {
            return NotFound();
        }
        ModelState.Clear();
        var selector = string.IsNullOrWhiteSpace(CssSelector) ? null : CssSelector.Trim();
        if (selector is not null && (selector.Length > 500 || !ArticleExtractor.IsValidSelector(selector)))
        {
            ModelState.AddModelError(nameof(CssSelector), UiText.T("admin.fullTextBadSelector"));
            return Page();
        }
        var feedId = await db.Feeds.Where(f => f.Slug == slug).Select(f => f.Id).SingleAsync(ct);
        var settings = await db.FeedFullTexts.SingleOrDefaultAsync(s => s.FeedId == feedId, ct);
        if (settings is null)
        {
            settings = new FeedFullText { FeedId = feedId };
            db.FeedFullTexts.Add(settings);
        }
        settings.Mode = Enum.IsDefined(Mode) ? Mode : FullTextMode.Auto;
        settings.CssSelector = selector;
        await db.SaveChangesAsync(ct);
        await PageCache.EvictAsync(cache, ct);
        return RedirectToPage(new { slug });
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var feed = await db.Feeds.AsNoTracking().Where(f => f.Slug == slug)
            .Select(f => new { f.Id, Title = f.DisplayTitle }).SingleOrDefaultAsync(ct);
        if (feed is null)
        {
            return false;
        }
        var id = feed.Id;
        Slug = slug;
        FeedTitle = feed.Title;
        Settings = await db.FeedFullTexts.AsNoTracking().SingleOrDefaultAsync(s => s.FeedId == id, ct);
        Recent = await db.EntryFullTexts.AsNoTracking().Where(t => t.FeedId == id)
            .OrderByDescending(t => t.FetchedAt).ThenByDescending(t => t.EntryId).Take(RecentShown)
            .Select(t => new EntryFullText
            {
                EntryId = t.EntryId, FeedId = t.FeedId, SourceUrl = t.SourceUrl, PageWords = t.PageWords, TeaserWords = t.TeaserWords,
                FetchedAt = t.FetchedAt, Error = t.Error, ErrorKind = t.ErrorKind, ContentHtml = t.ContentHtml == null ? null : "",
            })
            .ToListAsync(ct);
        return true;
    }
}
