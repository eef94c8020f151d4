using Feedstand.Data;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages;

/// <summary>
/// One feed card of the directory. <see cref="Language"/> as stored; <see cref="PostsLast90Days"/>
/// gives the posts-per-month figure; <see cref="Health"/> from the fetch state.
/// </summary>
public sealed record FeedListItem(
    string Slug, string Title, string? Description, string? IconUrl, string? Language, DateTimeOffset? LastEntryAt,
    int PostsLast90Days, FeedHealth Health, IReadOnlyList<string> Tags)
{
    /// <summary>Posts per month over the last 90 days, rounded; 0 for a quiet feed.</summary>
    public int PostsPerMonth => (int)Math.Round(PostsLast90Days / 3.0, MidpointRounding.AwayFromZero);

    /// <summary>Subscriptions this month (Discovery/Subscriptions): visitors plus reader-reported subscribers.</summary>
    public int Subscriptions { get; init; }
}

/// <summary>A page of feed cards with the sort, language filter and page numbers the directory and tag pages share.</summary>
public sealed class FeedListing
{
    public const int PageSize = 24;
    public const int MaxTagsPerCard = 5;

    public required IReadOnlyList<FeedListItem> Items { get; init; }
    public required string Sort { get; init; }
    public string? Language { get; init; }
    public int Page { get; init; }
    public int Total { get; init; }
    public required string BasePath { get; init; }

    public int PageCount => Paging.Count(Total, PageSize);
    public bool HasMore => Page < PageCount;

    /// <summary>The sort keys; "popular" orders by subscriptions this month (<see cref="Discovery.Subscriptions"/>).</summary>
    public static readonly string[] Sorts = ["updated", "name", "added", "popular"];

    public string Link(string? sort = null, string? language = "", int? page = null)
    {
        var query = new List<string>(3);
        var s = sort ?? Sort;
        if (s != "updated")
        {
            query.Add("sort=" + s);
        }
        var l = language == "" ? Language : language;
        if (!string.IsNullOrEmpty(l))
        {
            query.Add("lang=" + Uri.EscapeDataString(l));
        }
        var p = page ?? 1;
        if (p > 1)
        {
            query.Add("page=" + p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return query.Count == 0 ? BasePath : BasePath + "?" + string.Join('&', query);
    }

    /// <summary>The page numbers to link: the first, the last, and two either side of the current one; 0 stands for a gap.</summary>
    public IReadOnlyList<int> PageNumbers()
    {
        var numbers = new List<int>();
        for (var n = 1; n <= PageCount; n++)
        {
            if (n == 1 || n == PageCount || Math.Abs(n - Page) <= 2)
            {
                numbers.Add(n);
            }
            else if (numbers[^1] != 0)
            {
                numbers.Add(0);
            }
        }
        return numbers;
    }

    public static async Task<FeedListing> LoadAsync(
        IQueryable<Feed> feeds, string basePath, string? sort, string? language, int? page, DateTimeOffset now, CancellationToken ct)
    {
        sort = Array.IndexOf(Sorts, sort) >= 0 ? sort! : "updated";
        var pageNumber = Paging.Number(page);
        var query = feeds.Where(f => f.Status == FeedStatus.Active);
        language = LanguageCodes.Filter(language);
        if (language is not null)
        {
            query = query.WhereLanguage(language);
        }
        var total = await query.CountAsync(ct);
        query = sort switch
        {
            "added" => query.OrderByDescending(f => f.CreatedAt).ThenBy(f => f.Id),
            "name" => query.OrderBy(f => f.DisplayTitle).ThenBy(f => f.Id),
            "popular" => Discovery.Subscriptions.OrderByThisMonth(query, now).ThenByDescending(f => f.LastEntryAt).ThenBy(f => f.Id),
            _ => query.OrderByDescending(f => f.LastEntryAt).ThenBy(f => f.Id),
        };
        var since = now.AddDays(-90);
        var staleBefore = now - FeedHealthRules.StaleAfter;
        var (fromDay, from) = (Discovery.SubscriptionDays.MonthStart(now), now.AddDays(-Discovery.SubscriptionDays.Month));
        // One query: the card's fields, its tags and its recent post count.
        var rows = await query.AsNoTracking()
            .Page(pageNumber, PageSize)
            .Select(f => new
            {
                f.Slug,
                Title = f.DisplayTitle,
                Description = f.DisplayDescription,
                IconUrl = f.DisplayIconUrl,
                f.Language,
                f.LastEntryAt,
                Recent = f.Entries.Count(e => e.SortDate >= since),
                LastFetchAt = f.FetchState == null ? null : f.FetchState.LastFetchAt,
                Errors = f.FetchState == null ? 0 : f.FetchState.ConsecutiveErrors,
                Tags = f.Tags.OrderBy(t => t.Name).Select(t => t.Name).Take(MaxTagsPerCard).ToList(),
                Subscriptions = f.SubscriptionCounts.Where(c => c.Day >= fromDay).Sum(c => c.Subscriptions)
                    + f.ReaderSubscribers.Where(r => r.SeenAt >= from).Sum(r => r.Subscribers),
            })
            .ToListAsync(ct);
        var items = rows.Select(r => new FeedListItem(r.Slug, r.Title, r.Description, r.IconUrl, r.Language, r.LastEntryAt,
                r.Recent, FeedHealthRules.Of(FeedStatus.Active, r.LastFetchAt, r.Errors, r.LastEntryAt, staleBefore), r.Tags)
            {
                Subscriptions = r.Subscriptions,
            })
            .ToList();
        return new FeedListing
        {
            Items = items,
            Sort = sort,
            Language = language,
            Page = pageNumber,
            Total = total,
            BasePath = basePath,
        };
    }
}
