using Feedstand.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Feedstand.Pages.Search;

/// <summary>/search?q=: feeds and posts from the store's full-text search, best first, words marked.</summary>
[OutputCache(PolicyName = Web.PageCache.PolicyName)]
public sealed class SearchModel(FeedstandDb db) : PageModel
{
    public const int Limit = 30;

    public string Query { get; private set; } = "";
    public IReadOnlyList<SearchHit> Feeds { get; private set; } = [];
    public IReadOnlyList<SearchHit> Entries { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken ct)
    {
        Query = (q ?? "").Trim();
        if (Query.Length > 200)
        {
            Query = Query[..200];
        }
        if (Query.Length == 0)
        {
            return;
        }
        var hits = await db.SearchAsync(Query, Limit, ct);
        Feeds = hits.Where(h => h.Kind == SearchHitKind.Feed).ToList();
        Entries = hits.Where(h => h.Kind == SearchHitKind.Entry).ToList();
    }
}
