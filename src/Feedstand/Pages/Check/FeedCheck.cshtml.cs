using Feedstand.Checking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Feedstand.Pages.Check;

/// <summary>/feeds/{slug}/check: a listed feed's check report, from stored data.</summary>
public sealed class FeedCheckModel(FeedReport reports) : PageModel
{
    public ListedReport Listed { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await reports.BuildAsync(slug, refreshDiscovery: true, ct) is not { } listed)
        {
            return NotFound();
        }
        Listed = listed;
        return Page();
    }
}
