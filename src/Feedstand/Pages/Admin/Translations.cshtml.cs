using Feedstand.Data;
using Feedstand.Settings;
using Feedstand.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Pages.Admin;

/// <summary>
/// /admin/translations: the engine's health (backoff, last error), today's budget, the
/// directory-wide default languages, each feed's languages, and characters used per feed and day.
/// </summary>
public sealed class TranslationsModel(FeedstandDb db, IOptions<FeedstandOptions> options, TimeProvider clock, IOutputCacheStore cache) : PageModel
{
    /// <summary>Days of usage shown.</summary>
    public const int UsageDays = 14;

    public string Engine => options.Value.TranslationEngine;
    public long DailyCharacters => options.Value.TranslationDailyCharacters;
    public TranslationEngineState? State { get; private set; }
    public long UsedToday { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public IReadOnlyList<(string Slug, string Languages)> FeedLanguages { get; private set; } = [];
    public IReadOnlyList<UsageRow> Usage { get; private set; } = [];

    [BindProperty] public string? Defaults { get; set; }
    [BindProperty] public string? Slug { get; set; }
    [BindProperty] public string? Languages { get; set; }

    public sealed record UsageRow(DateOnly Day, string Slug, long Characters, int Requests);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Defaults = string.Join(", ", await db.TranslationTargets.Where(t => t.FeedId == null).Select(t => t.Language).OrderBy(l => l).ToListAsync(ct));
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostDefaultsAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (ParseLanguages(Defaults, out var languages) is { } problem)
        {
            ModelState.AddModelError(nameof(Defaults), UiText.T(problem));
            await LoadAsync(ct);
            return Page();
        }
        await db.TranslationTargets.Where(t => t.FeedId == null).ExecuteDeleteAsync(ct);
        db.TranslationTargets.AddRange(languages.Select(l => new TranslationTarget { Language = l }));
        await db.SaveChangesAsync(ct);
        await PageCache.EvictAsync(cache, ct);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostFeedAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var feedId = await db.Feeds.Where(f => f.Slug == Slug).Select(f => (long?)f.Id).SingleOrDefaultAsync(ct);
        if (feedId is null)
        {
            ModelState.AddModelError(nameof(Slug), UiText.T("translationAdmin.noFeed"));
        }
        if (ParseLanguages(Languages, out var languages) is { } problem)
        {
            ModelState.AddModelError(nameof(Languages), UiText.T(problem));
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        await db.TranslationTargets.Where(t => t.FeedId == feedId).ExecuteDeleteAsync(ct);
        db.TranslationTargets.AddRange(languages.Select(l => new TranslationTarget { FeedId = feedId, Language = l }));
        await db.SaveChangesAsync(ct);
        await PageCache.EvictAsync(cache, ct);
        return RedirectToPage();
    }

    /// <summary>"zh, en" → [zh, en]; a message key when a code is not a language code.</summary>
    public static string? ParseLanguages(string? text, out List<string> languages)
    {
        languages = [];
        foreach (var part in (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Length > 35 || LanguageCodes.Primary(part) is not { Length: <= 3 } primary)
            {
                return "translationAdmin.badLanguage";
            }
            var code = part.Contains('-', StringComparison.Ordinal) ? primary + part[part.IndexOf('-', StringComparison.Ordinal)..] : primary;
            if (!languages.Contains(code, StringComparer.Ordinal))
            {
                languages.Add(code);
            }
        }
        return languages.Count > 20 ? "translationAdmin.badLanguage" : null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        State = await db.TranslationEngineStates.AsNoTracking().SingleOrDefaultAsync(s => s.Engine == Engine, ct);
        UsedToday = await db.TranslationUsage.Where(u => u.Day == today).SumAsync(u => u.Characters, ct);
        var perFeed = await db.TranslationTargets.AsNoTracking().Where(t => t.FeedId != null)
            .Select(t => new { t.Feed!.Slug, t.Language }).ToListAsync(ct);
        FeedLanguages = perFeed.GroupBy(t => t.Slug).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, string.Join(", ", g.Select(t => t.Language).Order(StringComparer.Ordinal)))).ToList();
        var since = today.AddDays(-(UsageDays - 1));
        var usage = await db.TranslationUsage.AsNoTracking().Where(u => u.Day >= since)
            .OrderByDescending(u => u.Day).ThenByDescending(u => u.Characters).Take(500).ToListAsync(ct);
        var ids = usage.Select(u => u.FeedId).Distinct().ToList();
        var slugs = await db.Feeds.Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Slug, ct);
        Usage = usage.Select(u => new UsageRow(u.Day, slugs.GetValueOrDefault(u.FeedId, "#" + u.FeedId), u.Characters, u.Requests)).ToList();
    }
}
