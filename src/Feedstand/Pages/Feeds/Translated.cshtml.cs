using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Feedstand.Data;
using Feedstand.Translation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Feeds;

/// <summary>
/// /feeds/{slug}/translated/{lang}: the preview page in another language. Entries whose
/// translation is finished for their current content show translated; the others show in the
/// original with "translation pending". Never indexed: the author's page is the original.
/// Not output-cached: translations land between refreshes.
/// </summary>
public sealed class TranslatedModel(FeedstandDb db) : PageModel
{
    public FeedPageView Feed { get; private set; } = null!;
    public string Language { get; private set; } = "";
    public bool Bilingual { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string lang, [FromQuery(Name = "page")] int? pageNumber, [FromQuery(Name = "view")] string? view, CancellationToken ct)
    {
        var number = Math.Clamp(pageNumber ?? 1, 1, 10_000);
        var feed = await ListedFeedView.FindAsync(db, slug, ct);
        if (feed is null)
        {
            return NotFound();
        }
        var languages = await LanguagesAsync(db, feed.Id, feed.Language, ct);
        if (!languages.Contains(lang, StringComparer.Ordinal))
        {
            return NotFound();
        }
        Language = lang;
        Bilingual = view == "bilingual";
        var rows = await db.Entries.AsNoTracking()
            .Where(e => e.FeedId == feed.Id)
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Skip((number - 1) * PreviewModel.PageSize).Take(PreviewModel.PageSize + 1)
            .Select(e => new
            {
                e.Title,
                e.Link,
                Date = e.PublishedAt ?? e.FirstSeenAt,
                Html = e.ContentHtml ?? e.SummaryHtml,
                e.ContentHash,
                Translation = db.EntryTranslations.Where(t => t.EntryId == e.Id && t.Language == lang)
                    .Select(t => new { t.SourceHash, t.IsSameLanguage, t.SourceLanguage, t.Title, Html = t.ContentHtml ?? t.SummaryHtml })
                    .FirstOrDefault(),
            })
            .ToListAsync(ct);
        if (rows.Count == 0 && number > 1)
        {
            return NotFound();
        }
        var hasOlder = rows.Count > PreviewModel.PageSize;
        if (hasOlder)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        var entries = new List<EntryView>(rows.Count);
        string? source = null;
        foreach (var row in rows)
        {
            var t = row.Translation;
            if (t is null || t.SourceHash != row.ContentHash)
            {
                entries.Add(new EntryView(row.Title, row.Link, row.Date, row.Html) { IsTranslationPending = true });
                continue;
            }
            source ??= t.IsSameLanguage ? null : t.SourceLanguage;
            if (t.IsSameLanguage)
            {
                entries.Add(new EntryView(row.Title, row.Link, row.Date, row.Html));
                continue;
            }
            var html = Bilingual ? Interleave(row.Html, t.Html) : t.Html;
            entries.Add(new EntryView(t.Title ?? row.Title, row.Link, row.Date, html));
        }
        source ??= feed.Language is { Length: > 0 } declared ? TranslationEngine.BaseLanguage(declared) : null;
        Feed = feed.ToPageView(entries, number, hasOlder, languages) with
        {
            FeedUrl = $"{Request.Scheme}://{Request.Host}/feeds/{feed.Slug}/translated/{lang}/rss",
            Translation = new TranslationView(lang, source, Bilingual),
        };
        return Page();
    }

    /// <summary>
    /// The languages a feed is kept translated into: its own choices, and the directory's default
    /// unless the feed is declared in it; plus any language it already has translations in.
    /// </summary>
    public static async Task<List<string>> LanguagesAsync(FeedstandDb db, long feedId, string? feedLanguage, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var own = feedLanguage is { Length: > 0 } l ? TranslationEngine.BaseLanguage(l) : null;
        var targets = await db.TranslationTargets.AsNoTracking()
            .Where(t => t.FeedId == feedId || t.FeedId == null)
            .Select(t => new { t.FeedId, t.Language })
            .ToListAsync(ct);
        return targets
            .Where(t => t.FeedId is not null || TranslationEngine.BaseLanguage(t.Language) != own)
            .Select(t => t.Language)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Original and translation, block by block at the top level: a translation has its source's
    /// structure, so their top-level nodes pair one to one. Both are sanitized HTML already.
    /// </summary>
    public static string? Interleave(string? original, string? translation)
    {
        if (original is null || translation is null)
        {
            return translation ?? original;
        }
        var parser = new HtmlParser();
        var source = parser.ParseDocument("<body>" + original);
        var target = parser.ParseDocument("<body>" + translation);
        var left = source.Body!.ChildNodes.Where(Visible).ToList();
        var right = target.Body!.ChildNodes.Where(Visible).ToList();
        if (left.Count != right.Count)
        {
            return translation;
        }
        var html = new StringBuilder(original.Length + translation.Length + 64 * left.Count);
        for (var i = 0; i < left.Count; i++)
        {
            var a = Outer(left[i]);
            var b = Outer(right[i]);
            if (a == b)
            {
                html.Append(a); // code, images: the same in both
                continue;
            }
            html.Append("<div class=\"bilingual-original\">").Append(a).Append("</div>");
            html.Append("<div class=\"bilingual-translation\">").Append(b).Append("</div>");
        }
        return html.ToString();

        static bool Visible(INode node) => node is IElement || node is IText text && !string.IsNullOrWhiteSpace(text.Data);

        static string Outer(INode node) => node is IElement element ? element.OuterHtml : System.Net.WebUtility.HtmlEncode(node.TextContent);
    }
}
