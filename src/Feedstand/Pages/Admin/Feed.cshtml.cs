using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Admin;

/// <summary>/admin/feeds/{slug}: edit a listing's overrides and tags, retire it or bring it back.</summary>
public sealed class FeedModel(FeedstandDb db, IOutputCacheStore cache) : PageModel
{
    public string Slug { get; private set; } = "";
    public string FeedTitle { get; private set; } = "";
    public FeedStatus Status { get; private set; }

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? IconUrl { get; set; }
    [BindProperty] public string? Language { get; set; }
    [BindProperty] public string? Tags { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var feed = await LoadAsync(slug, ct);
        if (feed is null)
        {
            return NotFound();
        }
        Title = feed.TitleOverride;
        Description = feed.DescriptionOverride;
        IconUrl = feed.IconUrlOverride;
        Language = feed.Language;
        Tags = string.Join(", ", feed.Tags.Select(t => t.Name).Order());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        var feed = await LoadAsync(slug, ct);
        if (feed is null)
        {
            return NotFound();
        }
        ModelState.Clear();
        var icon = "";
        if (!string.IsNullOrWhiteSpace(IconUrl) && FormChecks.Url(IconUrl, out icon) is { } iconProblem)
        {
            ModelState.AddModelError(nameof(IconUrl), UiText.T(iconProblem));
        }
        if (FormChecks.Language(Language) is { } languageProblem)
        {
            ModelState.AddModelError(nameof(Language), UiText.T(languageProblem));
        }
        if (FormChecks.Tags(Tags, out var names) is { } tagProblem)
        {
            ModelState.AddModelError(nameof(Tags), UiText.T(tagProblem));
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        feed.TitleOverride = string.IsNullOrWhiteSpace(Title) ? null : Title.Trim();
        feed.DescriptionOverride = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        feed.IconUrlOverride = string.IsNullOrWhiteSpace(IconUrl) ? null : icon;
        feed.Language = string.IsNullOrWhiteSpace(Language) ? null : Language.Trim();
        await db.ReplaceTagsAsync(feed, names, ct);
        await db.SaveChangesAsync(ct);
        await PageCache.EvictAsync(cache, ct);
        return RedirectToPage(new { slug });
    }

    public async Task<IActionResult> OnPostStatusAsync(string slug, bool retire, CancellationToken ct)
    {
        var feed = await LoadAsync(slug, ct);
        if (feed is null)
        {
            return NotFound();
        }
        feed.Status = retire ? FeedStatus.Retired : FeedStatus.Active;
        await db.SaveChangesAsync(ct);
        await PageCache.EvictAsync(cache, ct);
        return RedirectToPage(new { slug });
    }

    private async Task<Feed?> LoadAsync(string slug, CancellationToken ct)
    {
        var feed = await db.Feeds.Include(f => f.Tags).SingleOrDefaultAsync(f => f.Slug == slug, ct);
        if (feed is not null)
        {
            Slug = feed.Slug;
            FeedTitle = feed.DisplayTitle;
            Status = feed.Status;
        }
        return feed;
    }
}
