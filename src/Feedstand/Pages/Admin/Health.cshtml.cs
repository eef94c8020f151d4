using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Admin;

public sealed record HealthRow(
    long Id, string Slug, string Title, FeedHealth Health, DateTimeOffset? LastFetchAt, int? LastStatus,
    int ConsecutiveErrors, string? LastErrorKind, string? LastError, DateTimeOffset? LastEntryAt, DateTimeOffset? NextFetchAt, int EntriesLastWeek);

/// <summary>/admin/health: every feed's fetching, a page at a time, sorted and filtered by health; "Refresh now" per feed.</summary>
public sealed class HealthModel(FeedstandDb db, FeedRefresher refresher, IOutputCacheStore cache, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The filters, by query value; "all" shows every listing but rejected ones.</summary>
    public static readonly IReadOnlyList<(string Key, FeedHealth? Health)> Filters =
    [
        ("all", null),
        ("failing", FeedHealth.Failing),
        ("never", FeedHealth.NeverFetched),
        ("stale", FeedHealth.Stale),
        ("pending", FeedHealth.Pending),
        ("ok", FeedHealth.Ok),
        ("retired", FeedHealth.Retired),
    ];

    public static readonly string[] Sorts = ["errors", "name", "fetched", "updated"];

    public IReadOnlyList<HealthRow> Rows { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();
    public string Filter { get; private set; } = "all";
    public string Sort { get; private set; } = "errors";
    public int PageNumber { get; private set; } = 1;
    public int Total { get; private set; }
    public int PageCount => Paging.Count(Total, PageSize);

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(string? filter, string? sort, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var staleBefore = now - FeedHealthRules.StaleAfter;
        Filter = Filters.Any(f => f.Key == filter) ? filter! : "all";
        Sort = Array.IndexOf(Sorts, sort) >= 0 ? sort! : "errors";
        PageNumber = Paging.Number(pageNumber);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, health) in Filters)
        {
            counts[key] = await Filtered(db.Feeds, health, staleBefore).CountAsync(ct);
        }
        Counts = counts;
        Total = counts[Filter];

        var query = Filtered(db.Feeds.AsNoTracking(), Filters.First(f => f.Key == Filter).Health, staleBefore);
        query = Sort switch
        {
            "name" => query.OrderBy(f => f.DisplayTitle).ThenBy(f => f.Id),
            "fetched" => query.OrderByDescending(f => f.FetchState!.LastFetchAt).ThenBy(f => f.Id),
            "updated" => query.OrderByDescending(f => f.LastEntryAt).ThenBy(f => f.Id),
            _ => query.OrderByDescending(f => f.FetchState!.ConsecutiveErrors).ThenBy(f => f.DisplayTitle).ThenBy(f => f.Id),
        };
        var weekAgo = now.AddDays(-7);
        var rows = await query
            .Page(PageNumber, PageSize)
            .Select(f => new
            {
                f.Id,
                f.Slug,
                Title = f.DisplayTitle,
                f.Status,
                f.LastEntryAt,
                LastFetchAt = f.FetchState == null ? null : f.FetchState.LastFetchAt,
                LastStatus = f.FetchState == null ? null : f.FetchState.LastStatus,
                Errors = f.FetchState == null ? 0 : f.FetchState.ConsecutiveErrors,
                LastErrorKind = f.FetchState == null ? null : f.FetchState.LastErrorKind,
                LastError = f.FetchState == null ? null : f.FetchState.LastError,
                NextFetchAt = f.FetchState == null ? (DateTimeOffset?)null : f.FetchState.NextFetchAt,
                Week = f.Entries.Count(e => e.SortDate >= weekAgo),
            })
            .ToListAsync(ct);
        Rows = rows.Select(r => new HealthRow(r.Id, r.Slug, r.Title,
                FeedHealthRules.Of(r.Status, r.LastFetchAt, r.Errors, r.LastEntryAt, staleBefore),
                r.LastFetchAt, r.LastStatus, r.Errors, r.LastErrorKind, r.LastError, r.LastEntryAt, r.NextFetchAt, r.Week))
            .ToList();
    }

    private static IQueryable<Feed> Filtered(IQueryable<Feed> feeds, FeedHealth? health, DateTimeOffset staleBefore) =>
        health is { } wanted ? feeds.WhereHealth(wanted, staleBefore) : feeds.Where(f => f.Status != FeedStatus.Rejected);

    public string Link(string? filter = null, string? sort = null, int page = 1)
    {
        var query = new List<string>(3);
        var f = filter ?? Filter;
        if (f != "all")
        {
            query.Add("filter=" + f);
        }
        var s = sort ?? Sort;
        if (s != "errors")
        {
            query.Add("sort=" + s);
        }
        if (page > 1)
        {
            query.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return query.Count == 0 ? "/admin/health" : "/admin/health?" + string.Join('&', query);
    }

    public async Task<IActionResult> OnPostRefreshAsync(long id, CancellationToken ct)
    {
        var outcome = await refresher.RefreshAsync(id, ct);
        if (outcome.Status == RefreshStatus.Missing)
        {
            return NotFound();
        }
        await PageCache.EvictAsync(cache, ct);
        Message = outcome.Error is { } error
            ? UiText.T("admin.refreshFailed", id, FetchErrorText.Describe(error))
            : UiText.T("admin.refreshed", id, UiText.T("refresh." + outcome.Status), outcome.NewEntries, outcome.UpdatedEntries);
        return Redirect(Request.Headers.Referer.ToString() is { Length: > 0 } back && Uri.TryCreate(back, UriKind.Absolute, out var uri)
            && uri.AbsolutePath.StartsWith("/admin/health", StringComparison.Ordinal) ? uri.PathAndQuery : "/admin/health");
    }
}
