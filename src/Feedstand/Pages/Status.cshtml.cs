using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Feedstand.Pages;

/// <summary>
/// /status/{code}: the page shown for 404, 429 and other error statuses of HTML routes. It is
/// re-executed with the failed request's method, so it answers POST too (a rate-limited form
/// submission) and asks for no antiforgery token.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Code { get; set; }

    /// <summary>For 429: when the client may try again, as the rate limiter said.</summary>
    public int RetryAfterSeconds { get; private set; }

    public void OnGet() => Prepare();

    public void OnPost() => Prepare();

    private void Prepare()
    {
        if (Code == StatusCodes.Status429TooManyRequests)
        {
            RetryAfterSeconds = RateLimits.RetryAfterSeconds(HttpContext);
            Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
