using Feedstand.Data;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages;

/// <summary>One feed in a list of the directory; <see cref="Language"/> as stored.</summary>
public sealed record FeedListItem(string Slug, string Title, string? Description, string? Language, DateTimeOffset? LastEntryAt)
{
    /// <summary>Subscriptions this month (Discovery/Subscriptions): visitors plus reader-reported subscribers.</summary>
    public int Subscriptions { get; init; }
}

/// <summary>A page of feeds with the sort, language filter and pager the directory and tag pages share.</summary>
public sealed class FeedListing
{
    public const int PageSize = 30;

    public required IReadOnlyList<FeedListItem> Items { get; init; }
    public required string Sort { get; init; }
    public string? Language { get; init; }
    public int Page { get; init; }
    public bool HasMore { get; init; }
    public required string BasePath { get; init; }

    /// <summary>The sort keys; "popular" orders by subscriptions this month (<see cref="Discovery.Subscriptions"/>).</summary>
    public static readonly string[] Sorts = ["updated", "added", "name", "popular"];

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

    public static async Task<FeedListing> LoadAsync(
        IQueryable<Feed> feeds, string basePath, string? sort, string? language, int? page, CancellationToken ct, DateTimeOffset? now = null)
    {
        var at = now ?? TimeProvider.System.GetUtcNow();
        sort = Array.IndexOf(Sorts, sort) >= 0 ? sort! : "updated";
        var pageNumber = Math.Clamp(page ?? 1, 1, 100_000);
        var query = feeds.Where(f => f.Status == FeedStatus.Active);
        language = LanguageCodes.Filter(language);
        if (language is not null)
        {
            query = query.WhereLanguage(language);
        }
        query = sort switch
        {
            "added" => query.OrderByDescending(f => f.CreatedAt).ThenBy(f => f.Id),
            "name" => query.OrderBy(f => f.TitleOverride ?? f.Title ?? f.FeedUrl).ThenBy(f => f.Id),
            "popular" => Discovery.Subscriptions.OrderByThisMonth(query, at).ThenByDescending(f => f.LastEntryAt).ThenBy(f => f.Id),
            _ => query.OrderByDescending(f => f.LastEntryAt).ThenBy(f => f.Id),
        };
        var (fromDay, from) = (Discovery.SubscriptionDays.MonthStart(at), at.AddDays(-Discovery.SubscriptionDays.Month));
        var items = await query.AsNoTracking()
            .Skip((pageNumber - 1) * PageSize).Take(PageSize + 1)
            .Select(f => new FeedListItem(f.Slug, f.TitleOverride ?? f.Title ?? f.FeedUrl,
                f.DescriptionOverride ?? f.Description, f.Language, f.LastEntryAt)
            {
                Subscriptions = f.SubscriptionCounts.Where(c => c.Day >= fromDay).Sum(c => c.Subscriptions)
                    + f.ReaderSubscribers.Where(r => r.SeenAt >= from).Sum(r => r.Subscribers),
            })
            .ToListAsync(ct);
        var hasMore = items.Count > PageSize;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }
        return new FeedListing
        {
            Items = items,
            Sort = sort,
            Language = language,
            Page = pageNumber,
            HasMore = hasMore,
            BasePath = basePath,
        };
    }
}
