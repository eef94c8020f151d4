using Feedstand.Checking;
using Feedstand.Feeds.Checking;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Feedstand.Pages.Check;

/// <summary>/check?url=: the check of any feed URL, fetched live through the SSRF guard; rate-limited like the live preview.</summary>
[EnableRateLimiting(RateLimits.Preview)]
public sealed class LiveCheckModel(FeedProbe probe, TimeProvider clock) : PageModel
{
    public string? Address { get; private set; }
    public CheckReport? Report { get; private set; }
    public string? Problem { get; private set; }

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
        var probed = await probe.ProbeAsync(normalized, ct);
        if (probed.Body is null)
        {
            Problem = probed.Http.Error ?? UiText.T("check.fetchFailed");
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        Report = FeedChecker.Check(probed.Body, new CheckInput
        {
            Url = probed.Http.FinalUrl,
            ContentType = probed.Http.ContentType,
            Http = probed.Http,
            Now = clock.GetUtcNow(),
        });
        return Page();
    }
}
