using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Feeds;

/// <summary>/feeds/{slug}/modify: suggest changes to a listing; an admin sees them as a diff.</summary>
[EnableRateLimiting(RateLimits.Forms)]
public sealed class ModifyModel(FeedstandDb db, TimeProvider clock) : PageModel
{
    public string Slug { get; private set; } = "";
    public string CurrentTitle { get; private set; } = "";
    public bool Done { get; private set; }

    [BindProperty] public string? FeedUrl { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? IconUrl { get; set; }
    [BindProperty] public string? Language { get; set; }
    [BindProperty] public string? Tags { get; set; }
    [BindProperty] public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var feed = await LoadAsync(slug, ct);
        if (feed is null)
        {
            return NotFound();
        }
        FeedUrl = feed.FeedUrl;
        Title = feed.DisplayTitle;
        Description = feed.DisplayDescription;
        IconUrl = feed.DisplayIconUrl;
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
        if (FormChecks.Url(FeedUrl, out var feedUrl) is { } urlProblem)
        {
            ModelState.AddModelError(nameof(FeedUrl), UiText.T(urlProblem));
        }
        var iconUrl = "";
        if (!string.IsNullOrWhiteSpace(IconUrl) && FormChecks.Url(IconUrl, out iconUrl) is { } iconProblem)
        {
            ModelState.AddModelError(nameof(IconUrl), UiText.T(iconProblem));
        }
        if (FormChecks.Language(Language) is { } languageProblem)
        {
            ModelState.AddModelError(nameof(Language), UiText.T(languageProblem));
        }
        if (FormChecks.Tags(Tags, out var tags) is { } tagProblem)
        {
            ModelState.AddModelError(nameof(Tags), UiText.T(tagProblem));
        }
        if (FormChecks.Length(Title, 300) is { } titleProblem)
        {
            ModelState.AddModelError(nameof(Title), UiText.T(titleProblem));
        }
        if (FormChecks.Length(Description, 2000) is { } descriptionProblem)
        {
            ModelState.AddModelError(nameof(Description), UiText.T(descriptionProblem));
        }
        if (FormChecks.Length(Note, 1000) is { } noteProblem)
        {
            ModelState.AddModelError(nameof(Note), UiText.T(noteProblem));
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        db.Submissions.Add(new Submission
        {
            Kind = SubmissionKind.Modify,
            FeedId = feed.Id,
            Url = feedUrl,
            Title = Blank(Title),
            Description = Blank(Description),
            IconUrl = Blank(iconUrl),
            Language = Blank(Language),
            Tags = tags,
            Note = Blank(Note),
            Status = SubmissionStatus.Pending,
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        Done = true;
        return Page();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async Task<Feed?> LoadAsync(string slug, CancellationToken ct)
    {
        var feed = await db.Feeds.AsNoTracking().Include(f => f.Tags)
            .SingleOrDefaultAsync(f => f.Slug == slug && f.Status == FeedStatus.Active, ct);
        if (feed is not null)
        {
            Slug = feed.Slug;
            CurrentTitle = feed.DisplayTitle;
        }
        return feed;
    }
}
