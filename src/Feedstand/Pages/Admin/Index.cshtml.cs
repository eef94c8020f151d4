using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Admin;

public sealed record FieldChange(string FieldKey, string? Current, string? Suggested);

public sealed record QueueItem(Submission Submission, string? FeedSlug, string? FeedTitle, IReadOnlyList<FieldChange> Changes);

/// <summary>/admin: the moderation queue (approve / reject, edits shown as a diff) and links to the feed-health page.</summary>
public sealed class IndexModel(FeedstandDb db, IOutputCacheStore cache, TimeProvider clock) : PageModel
{
    public IReadOnlyList<QueueItem> Queue { get; private set; } = [];
    public int Failing { get; private set; }
    public int NeverFetched { get; private set; }

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var pending = await db.Submissions.AsNoTracking().Include(s => s.Feed).ThenInclude(f => f!.Tags)
            .Where(s => s.Status == SubmissionStatus.Pending)
            .OrderBy(s => s.CreatedAt).Take(100)
            .ToListAsync(ct);
        Queue = pending.Select(s => new QueueItem(s, s.Feed?.Slug, s.Feed?.DisplayTitle, Diff(s))).ToList();
        var staleBefore = clock.GetUtcNow() - FeedHealthRules.StaleAfter;
        Failing = await db.Feeds.WhereHealth(FeedHealth.Failing, staleBefore).CountAsync(ct);
        NeverFetched = await db.Feeds.WhereHealth(FeedHealth.NeverFetched, staleBefore).CountAsync(ct);
    }

    /// <summary>
    /// The fields a suggested edit would change, current value beside the suggestion. Fields are
    /// named by their <see cref="UiText"/> key, so the page shows them in the reader's language.
    /// </summary>
    public static IReadOnlyList<FieldChange> Diff(Submission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (submission.Kind != SubmissionKind.Modify || submission.Feed is not { } feed)
        {
            return [];
        }
        var changes = new List<FieldChange>();
        void Compare(string field, string? current, string? suggested)
        {
            if (!string.Equals(current ?? "", suggested ?? "", StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, current, suggested));
            }
        }
        Compare("modify.url", feed.FeedUrl, submission.Url);
        Compare("modify.title", feed.DisplayTitle, submission.Title);
        Compare("modify.description", feed.DisplayDescription, submission.Description);
        Compare("modify.icon", feed.DisplayIconUrl, submission.IconUrl);
        Compare("modify.language", feed.Language, submission.Language);
        Compare("preview.tags", string.Join(", ", feed.Tags.Select(t => t.Name).Order()), string.Join(", ", submission.Tags.Order()));
        return changes;
    }

    public async Task<IActionResult> OnPostApproveAsync(long id, CancellationToken ct)
    {
        var submission = await db.Submissions.Include(s => s.Feed).ThenInclude(f => f!.Tags)
            .SingleOrDefaultAsync(s => s.Id == id && s.Status == SubmissionStatus.Pending, ct);
        if (submission is null)
        {
            return NotFound();
        }
        var now = clock.GetUtcNow();
        if (submission.Kind == SubmissionKind.Modify && submission.Feed is { } feed)
        {
            await ApplyEditAsync(feed, submission, ct);
        }
        else
        {
            var existing = await db.Feeds.Include(f => f.Tags).SingleOrDefaultAsync(f => f.FeedUrl == submission.Url, ct);
            if (existing is null)
            {
                await db.AddListingsAsync([new NewListing(submission.Url)
                {
                    Title = submission.Title,
                    Description = submission.Description,
                    IconUrl = submission.IconUrl,
                    Language = submission.Language,
                    Tags = submission.Tags,
                }], now, ct);
            }
            else
            {
                existing.Status = FeedStatus.Active;
                await db.ReplaceTagsAsync(existing, submission.Tags, ct);
            }
        }
        submission.Status = SubmissionStatus.Approved;
        submission.DecidedAt = now;
        submission.DecidedBy = User.Identity?.Name;
        await db.SaveChangesAsync(ct);
        await PageCache.EvictAsync(cache, ct);
        Message = UiText.T("admin.approved", id);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync(long id, CancellationToken ct)
    {
        var submission = await db.Submissions.SingleOrDefaultAsync(s => s.Id == id && s.Status == SubmissionStatus.Pending, ct);
        if (submission is null)
        {
            return NotFound();
        }
        submission.Status = SubmissionStatus.Rejected;
        submission.DecidedAt = clock.GetUtcNow();
        submission.DecidedBy = User.Identity?.Name;
        await db.SaveChangesAsync(ct);
        Message = UiText.T("admin.rejected", id);
        return RedirectToPage();
    }

    private async Task ApplyEditAsync(Feed feed, Submission submission, CancellationToken ct)
    {
        if (submission.Title != feed.DisplayTitle)
        {
            feed.TitleOverride = submission.Title;
        }
        if (submission.Description != feed.DisplayDescription)
        {
            feed.DescriptionOverride = submission.Description;
        }
        if (submission.IconUrl != feed.DisplayIconUrl)
        {
            feed.IconUrlOverride = submission.IconUrl;
        }
        feed.Language = submission.Language ?? feed.Language;
        if (submission.Url != feed.FeedUrl && !await db.Feeds.AnyAsync(f => f.FeedUrl == submission.Url, ct))
        {
            feed.FeedUrl = submission.Url;
        }
        await db.ReplaceTagsAsync(feed, submission.Tags, ct);
    }
}
