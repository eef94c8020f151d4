using Feedstand.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Tags;

/// <summary>/tags/{tag}: the feeds with one tag (filtered by language too), and the tag's combined feeds and OPML.</summary>
[OutputCache(PolicyName = Web.PageCache.PolicyName)]
public sealed class TagModel(FeedstandDb db, TimeProvider clock) : PageModel
{
    public string Tag { get; private set; } = "";
    public int FeedCount { get; private set; }
    public IReadOnlyList<LanguageCount> Languages { get; private set; } = [];
    public FeedListing Listing { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string tag, string? sort, string? lang, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        var name = tag.ToLowerInvariant();
        if (!await db.Tags.AnyAsync(t => t.Name == name, ct))
        {
            return NotFound();
        }
        Tag = name;
        var tagged = db.Feeds.Where(f => f.Tags.Any(t => t.Name == name));
        Languages = await IndexModel.CountLanguagesAsync(tagged, 20, ct);
        Listing = await FeedListing.LoadAsync(tagged, "/tags/" + name, sort, lang, pageNumber, clock.GetUtcNow(), ct);
        FeedCount = Listing.Language is null ? Listing.Total : await tagged.CountAsync(f => f.Status == FeedStatus.Active, ct);
        return Page();
    }
}
