using Feedstand.Data;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Discovery;

/// <summary>One post of the week as the /week page and the home page show it.</summary>
public sealed record WeekPost(
    long EntryId, string? Title, string? Link, DateTimeOffset Date, string FeedSlug, string FeedTitle, int Subscriptions, double Score);

/// <summary>A page of the week's posts, best first.</summary>
public sealed record WeekPage(IReadOnlyList<WeekPost> Posts, int Page, bool HasMore, string? Tag, string? Language);

/// <summary>
/// "This week": the posts of the last <see cref="Days"/> days across the directory, ranked by
/// <see cref="Score"/> = (1 + ln(1 + subscriptions of the feed this month)) × 0.5^(age in hours / <see cref="HalfLifeHours"/>).
/// Freshness halves every two days; popularity lifts a post slowly (a feed with 10 subscriptions
/// weighs 3.4 times one with none, with 100 subscriptions 5.6 times), so a loved feed's post of four
/// days ago stands beside an unknown feed's post of today. Posts dated in the future are left out.
/// The posts of the week are scored in memory (an index range on <c>sort_date</c>; a few thousand
/// rows for a directory of 10,000 feeds), then one page is read in full.
/// </summary>
public static class ThisWeek
{
    public const int Days = 7;
    public const double HalfLifeHours = 48;
    public const int PageSize = 30;

    public static double Score(int subscriptions, TimeSpan age) =>
        (1 + Math.Log(1 + Math.Max(0, subscriptions))) * Math.Pow(0.5, Math.Max(0, age.TotalHours) / HalfLifeHours);

    /// <summary>The ids of the week's posts, best first, with their feeds' subscriptions and scores.</summary>
    public static async Task<List<(long EntryId, int Subscriptions, double Score)>> RankAsync(
        FeedstandDb db, string? tag, string? language, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var from = now.AddDays(-Days);
        var feeds = db.Feeds.Where(f => f.Status == FeedStatus.Active);
        if (tag is not null)
        {
            feeds = feeds.Where(f => f.Tags.Any(t => t.Name == tag));
        }
        if (language is not null)
        {
            feeds = feeds.WhereLanguage(language);
        }
        var posts = await db.Entries.AsNoTracking()
            .Where(e => e.SortDate >= from && e.SortDate <= now && feeds.Any(f => f.Id == e.FeedId))
            .Select(e => new { e.Id, e.FeedId, e.SortDate })
            .ToListAsync(ct).ConfigureAwait(false);
        var subscriptions = await Subscriptions.ThisMonthAsync(db, posts.Select(p => p.FeedId).Distinct().ToList(), now, ct).ConfigureAwait(false);
        return posts
            .Select(p =>
            {
                var count = subscriptions.TryGetValue(p.FeedId, out var tally) ? tally.Total : 0;
                return (p.Id, count, Score(count, now - p.SortDate), p.SortDate);
            })
            .OrderByDescending(p => p.Item3).ThenByDescending(p => p.SortDate).ThenByDescending(p => p.Id)
            .Select(p => (p.Id, p.count, p.Item3))
            .ToList();
    }

    public static async Task<WeekPage> LoadAsync(
        FeedstandDb db, string? tag, string? language, int page, int pageSize, DateTimeOffset now, CancellationToken ct)
    {
        tag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().ToLowerInvariant();
        language = LanguageCodes.Filter(language);
        page = Math.Clamp(page, 1, 10_000);
        var ranked = await RankAsync(db, tag, language, now, ct).ConfigureAwait(false);
        var slice = ranked.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var ids = slice.ConvertAll(p => p.EntryId);
        var rows = await db.Entries.AsNoTracking()
            .Where(e => ids.Contains(e.Id))
            .Select(e => new { e.Id, e.Title, e.Link, Date = e.PublishedAt ?? e.SortDate, e.Feed!.Slug, FeedTitle = e.Feed.DisplayTitle })
            .ToDictionaryAsync(e => e.Id, ct).ConfigureAwait(false);
        var posts = slice
            .Where(p => rows.ContainsKey(p.EntryId))
            .Select(p =>
            {
                var row = rows[p.EntryId];
                return new WeekPost(p.EntryId, row.Title, row.Link, row.Date, row.Slug, row.FeedTitle, p.Subscriptions, p.Score);
            })
            .ToList();
        return new WeekPage(posts, page, ranked.Count > page * pageSize, tag, language);
    }
}
