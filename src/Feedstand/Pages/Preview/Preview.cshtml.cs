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
        // Already listed (the feed's URL or its site's, in any of the usual spellings): link to the listing, fetch nothing.
        var spellings = Spellings(normalized);
        ListedSlug = await db.Feeds.Where(f => f.Status == FeedStatus.Active
                && (spellings.Contains(f.FeedUrl) || (f.SiteUrl != null && spellings.Contains(f.SiteUrl))))
            .OrderBy(f => f.Id).Select(f => f.Slug).FirstOrDefaultAsync(ct);
        if (ListedSlug is not null)
        {
            return Page();
        }
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
            // A site page whose feed is listed: the listing, not a second copy of it.
            var feedSpellings = Spellings(Feed.FeedUrl);
            ListedSlug = await db.Feeds.Where(f => feedSpellings.Contains(f.FeedUrl) && f.Status == FeedStatus.Active)
                .OrderBy(f => f.Id).Select(f => f.Slug).FirstOrDefaultAsync(ct);
            if (ListedSlug is not null)
            {
                Feed = null;
            }
        }
        return Page();
    }

    /// <summary>The spellings of one address a listing may be stored under: http or https, with or without a final slash.</summary>
    public static List<string> Spellings(string url)
    {
        var spellings = new List<string>(4);
        foreach (var scheme in new[] { "https://", "http://" })
        {
            var rest = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url[8..]
                : url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? url[7..] : url;
            var bare = rest.TrimEnd('/');
            spellings.Add(scheme + bare);
            spellings.Add(scheme + bare + "/");
        }
        return spellings;
    }
}
