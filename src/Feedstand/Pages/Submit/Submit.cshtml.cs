using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Submit;

/// <summary>/submit: suggest a site; the feed is found and checked now, an admin decides later.</summary>
[EnableRateLimiting(RateLimits.Forms)]
public sealed class SubmitModel(FeedstandDb db, FeedFinder finder, TimeProvider clock) : PageModel
{
    [BindProperty] public string? SiteUrl { get; set; }
    [BindProperty] public string? Tags { get; set; }
    [BindProperty] public string? Note { get; set; }

    public bool Done { get; private set; }

    public void OnGet(string? url) => SiteUrl = url;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (FormChecks.Url(SiteUrl, out var url) is { } urlProblem)
        {
            ModelState.AddModelError(nameof(SiteUrl), UiText.T(urlProblem));
        }
        if (FormChecks.Tags(Tags, out var tags) is { } tagProblem)
        {
            ModelState.AddModelError(nameof(Tags), UiText.T(tagProblem));
        }
        if (FormChecks.Length(Note, 1000) is { } noteProblem)
        {
            ModelState.AddModelError(nameof(Note), UiText.T(noteProblem));
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (await db.Feeds.AnyAsync(f => f.FeedUrl == url, ct))
        {
            ModelState.AddModelError(nameof(SiteUrl), UiText.T("err.listed"));
            return Page();
        }
        using var found = await finder.FindAsync(url, ct);
        if (!found.IsFound)
        {
            ModelState.AddModelError(nameof(SiteUrl), found.Error is { } e ? FormChecks.FetchProblem(e) : UiText.T("fetchError.NotAFeed"));
            return Page();
        }
        var feedUrl = found.FeedUrl;
        if (await db.Feeds.AnyAsync(f => f.FeedUrl == feedUrl, ct))
        {
            ModelState.AddModelError(nameof(SiteUrl), UiText.T("err.listed"));
            return Page();
        }
        var pending = await db.Submissions.AnyAsync(
            s => s.Url == feedUrl && s.Status == SubmissionStatus.Pending && s.Kind == SubmissionKind.NewFeed, ct);
        if (!pending)
        {
            db.Submissions.Add(new Submission
            {
                Kind = SubmissionKind.NewFeed,
                Url = found.FeedUrl,
                Title = found.Feed.Title,
                Description = found.Feed.Subtitle,
                IconUrl = found.Feed.Icon ?? found.Feed.Image,
                Language = found.Feed.Language,
                Tags = tags,
                Note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(),
                Status = SubmissionStatus.Pending,
                CreatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
        }
        Done = true;
        return Page();
    }
}
