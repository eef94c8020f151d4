using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.RandomBlog;

/// <summary>
/// /random (<c>?tag=</c>, <c>?lang=</c>): a 302, never cached, to the preview page of a random feed
/// that works — active, its last fetch succeeded (no error since) — and has posted in the last year;
/// a page saying so when none matches.
/// </summary>
public sealed class RandomModel(FeedstandDb db, TimeProvider clock, System.Random random) : PageModel
{
    public static readonly TimeSpan PostedWithin = TimeSpan.FromDays(365);

    public string? Tag { get; private set; }
    public string? Language { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? tag, string? lang, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        Tag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().ToLowerInvariant();
        Language = LanguageCodes.Filter(lang);
        var slug = await PickAsync(db, Tag, Language, clock.GetUtcNow(), random, ct);
        return slug is null ? Page() : Redirect("/feeds/" + Uri.EscapeDataString(slug));
    }

    /// <summary>The slug of a random working feed that posted within <see cref="PostedWithin"/>; null when there is none.</summary>
    public static async Task<string?> PickAsync(FeedstandDb db, string? tag, string? language, DateTimeOffset now, System.Random random, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(random);
        var since = now - PostedWithin;
        var feeds = db.Feeds.AsNoTracking().Where(f =>
            f.Status == FeedStatus.Active
            && f.LastEntryAt >= since
            && f.FetchState != null && f.FetchState.LastSuccessAt != null && f.FetchState.ConsecutiveErrors == 0);
        if (tag is not null)
        {
            feeds = feeds.Where(f => f.Tags.Any(t => t.Name == tag));
        }
        if (language is not null)
        {
            feeds = feeds.WhereLanguage(language);
        }
        var count = await feeds.CountAsync(ct);
        if (count == 0)
        {
            return null;
        }
        return await feeds.OrderBy(f => f.Id).Skip(random.Next(count)).Select(f => f.Slug).FirstOrDefaultAsync(ct);
    }
}
