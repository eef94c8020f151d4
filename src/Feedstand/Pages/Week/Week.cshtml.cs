using Feedstand.Data;
using Feedstand.Discovery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Feedstand.Pages.Week;

/// <summary>/week: the week's posts across the directory, ranked (<see cref="ThisWeek"/>), by tag and language, paged.</summary>
[OutputCache(PolicyName = Web.PageCache.PolicyName)]
public sealed class WeekModel(FeedstandDb db, TimeProvider clock) : PageModel
{
    public WeekPage Week { get; private set; } = null!;
    public IReadOnlyList<LanguageCount> Languages { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? tag, string? lang, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        Week = await ThisWeek.LoadAsync(db, tag, lang, pageNumber ?? 1, ThisWeek.PageSize, clock.GetUtcNow(), ct);
        if (Week.Posts.Count == 0 && Week.Page > 1)
        {
            return NotFound();
        }
        Languages = await IndexModel.CountLanguagesAsync(db.Feeds, 20, ct);
        return Page();
    }

    /// <summary>This page with other filters or another page number; <c>""</c> keeps a filter as it is.</summary>
    public string Link(string? tag = "", string? language = "", int page = 1, string path = "/week")
    {
        var query = new List<string>(3);
        var t = tag == "" ? Week.Tag : tag;
        if (!string.IsNullOrEmpty(t))
        {
            query.Add("tag=" + Uri.EscapeDataString(t));
        }
        var l = language == "" ? Week.Language : language;
        if (!string.IsNullOrEmpty(l))
        {
            query.Add("lang=" + Uri.EscapeDataString(l));
        }
        if (page > 1)
        {
            query.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }
}
