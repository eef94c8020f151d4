using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages;

public sealed record TagCount(string Name, int Feeds);

/// <summary>A language of the directory: primary subtag ("en"), its own name ("English"), active feeds.</summary>
public sealed record LanguageCount(string Code, string Name, int Feeds);

public sealed record NewestEntry(string? Title, string? Link, DateTimeOffset Date, string FeedSlug, string FeedTitle);

/// <summary>The language chips above a list of feeds: each keeps the list's sort, "All" drops the filter.</summary>
public sealed record LanguageFilter(FeedListing Listing, IReadOnlyList<LanguageCount> Languages);

/// <summary>/: the directory — feed cards (sorted, filtered by language, paged), tags, languages and the newest posts of recent months.</summary>
[OutputCache(PolicyName = Web.PageCache.PolicyName)]
public sealed class IndexModel(FeedstandDb db, TimeProvider clock) : PageModel
{
    /// <summary>"Newest posts" reach back this far: an old archive never fills the home page.</summary>
    public static readonly TimeSpan NewestWindow = TimeSpan.FromDays(92);
    public const int NewestCount = 8;

    public IReadOnlyList<TagCount> Tags { get; private set; } = [];
    public IReadOnlyList<LanguageCount> Languages { get; private set; } = [];
    public IReadOnlyList<NewestEntry> Newest { get; private set; } = [];
    public FeedListing Listing { get; private set; } = null!;

    /// <summary>Listed feeds with posts stored (on a fresh install: those of the offline snapshot).</summary>
    public int FeedsWithPosts { get; private set; }
    /// <summary>The top ten of /week.</summary>
    public IReadOnlyList<Discovery.WeekPost> Week { get; private set; } = [];

    public async Task OnGetAsync(string? sort, string? lang, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Tags = await db.Tags.AsNoTracking()
            .Select(t => new { t.Name, Feeds = t.Feeds.Count(f => f.Status == FeedStatus.Active) })
            .Where(t => t.Feeds > 0)
            .OrderByDescending(t => t.Feeds).ThenBy(t => t.Name)
            .Take(40)
            .Select(t => new TagCount(t.Name, t.Feeds))
            .ToListAsync(ct);
        Languages = await CountLanguagesAsync(db.Feeds, 20, ct);
        var since = now - NewestWindow;
        var until = now.AddDays(1);
        Newest = await db.Entries.AsNoTracking()
            .Where(e => e.SortDate >= since && e.SortDate <= until && e.Feed!.Status == FeedStatus.Active)
            .OrderByDescending(e => e.SortDate)
            .Take(NewestCount)
            .Select(e => new NewestEntry(e.Title, e.Link, e.SortDate, e.Feed!.Slug, e.Feed.DisplayTitle))
            .ToListAsync(ct);
        FeedsWithPosts = await db.Feeds.CountAsync(f => f.Status == FeedStatus.Active && f.LastEntryAt != null, ct);
        Listing = await FeedListing.LoadAsync(db.Feeds, "/", sort, lang, pageNumber, now, ct);
        Week = (await Discovery.ThisWeek.LoadAsync(db, null, null, 1, 10, now, ct)).Posts;
    }

    /// <summary>
    /// Active feeds per language, "en", "en-US" and "EN" counted as one "en". The database groups
    /// by the stored spelling (a few hundred at most); the spellings are merged here.
    /// </summary>
    public static async Task<IReadOnlyList<LanguageCount>> CountLanguagesAsync(IQueryable<Feed> feeds, int take, CancellationToken ct)
    {
        var spellings = await feeds.AsNoTracking()
            .Where(f => f.Status == FeedStatus.Active && f.Language != null)
            .GroupBy(f => f.Language!)
            .Select(g => new { Spelling = g.Key, Feeds = g.Count() })
            .ToListAsync(ct);
        return spellings
            .Select(s => (Code: LanguageCodes.Primary(s.Spelling), s.Feeds))
            .Where(s => s.Code is not null)
            .GroupBy(s => s.Code!, StringComparer.Ordinal)
            .Select(g => new LanguageCount(g.Key, LanguageCodes.DisplayName(g.Key), g.Sum(s => s.Feeds)))
            .OrderByDescending(l => l.Feeds).ThenBy(l => l.Code, StringComparer.Ordinal)
            .Take(take)
            .ToList();
    }
}
