using Feedstand.Data;
using Feedstand.Pages.Feeds;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Preview;

/// <summary>/preview?url=: the preview page of any feed, fetched live; rate-limited per client.</summary>
[EnableRateLimiting(RateLimits.Preview)]
public sealed class PreviewModel(LivePreview preview, FeedstandDb db) : PageModel
{
    public string? Address { get; private set; }
    public FeedPageView? Feed { get; private set; }
    public IReadOnlyList<Feedstand.Feeds.Discovery.DiscoveredFeed> Choices { get; private set; } = [];
    public string? Problem { get; private set; }
    public string? ListedSlug { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? url, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return Page();
        }
        Address = url;
        if (FormChecks.Url(url, out var normalized) is { } problem)
        {
            Problem = UiText.T(problem);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Address = normalized;
        var result = await preview.PreviewAsync(normalized, ct);
        if (result.Error is { } error)
        {
            Problem = FormChecks.FetchProblem(error);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        Choices = result.Choices;
        Feed = result.Feed;
        if (Feed is not null)
        {
            ListedSlug = await db.Feeds.Where(f => f.FeedUrl == Feed.FeedUrl && f.Status == FeedStatus.Active)
                .Select(f => f.Slug).FirstOrDefaultAsync(ct);
        }
        return Page();
    }
}
