using Feedstand.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Tags;

/// <summary>/tags/{tag}: the feeds with one tag, and the tag's combined feeds and OPML.</summary>
[OutputCache(PolicyName = Web.PageCache.PolicyName)]
public sealed class TagModel(FeedstandDb db) : PageModel
{
    public string Tag { get; private set; } = "";
    public FeedListing Listing { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string tag, string? sort, string? lang, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        var name = tag.ToLowerInvariant();
        if (!await db.Tags.AnyAsync(t => t.Name == name, ct))
        {
            return NotFound();
        }
        Tag = name;
        Listing = await FeedListing.LoadAsync(
            db.Feeds.Where(f => f.Tags.Any(t => t.Name == name)), "/tags/" + name, sort, lang, pageNumber, ct);
        return Page();
    }
}
