using System.Globalization;
using System.Text;
using Feedstand.Data;
using Feedstand.Feeds.Markdown;
using Feedstand.Pages;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Feedstand.MachineReaders;

/// <summary>
/// The directory for programs that read Markdown: <c>/feeds/{slug}.md</c> (a feed's card and latest
/// posts), <c>/tags/{tag}.md</c>, <c>/llms.txt</c> (llmstxt.org) and <c>/llms-full.txt</c>. A request
/// for <c>/feeds/{slug}</c> whose Accept prefers <c>text/markdown</c> is answered with the twin
/// (<see cref="UseMarkdownNegotiation"/>); both answers say <c>Vary: Accept</c>.
/// </summary>
public static class MarkdownTwins
{
    public const string ContentType = "text/markdown; charset=utf-8";
    public const int EntriesPerPage = Pages.Feeds.PreviewModel.PageSize;
    public const int TagsListed = 60;
    public const int LanguagesListed = 12;
    public const int FeedsPerLanguage = 20;
    public const int FeedsPerTagPage = 500;
    public const int FeedsInFullList = 10_000;

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapMarkdownTwins(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/feeds/{slug}.md", GetAndHead, FeedAsync).CacheOutput(PageCache.PolicyName);
        routes.MapMethods("/tags/{tag}.md", GetAndHead, TagAsync).CacheOutput(PageCache.PolicyName);
        routes.MapMethods("/llms.txt", GetAndHead, LlmsAsync).CacheOutput(PageCache.PolicyName);
        routes.MapMethods("/llms-full.txt", GetAndHead, LlmsFullAsync).CacheOutput(PageCache.PolicyName);
        return routes;
    }

    /// <summary>
    /// Before routing: <c>GET /feeds/{slug}</c> asking for Markdown is served by <c>/feeds/{slug}.md</c>
    /// (so the page and its output cache never see it), and every answer of either says <c>Vary: Accept</c>.
    /// </summary>
    public static IApplicationBuilder UseMarkdownNegotiation(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value;
            if (path is not null && path.StartsWith("/feeds/", StringComparison.Ordinal) && path.IndexOf('/', 7) < 0 && path.Length > 7)
            {
                context.Response.Headers.Append(HeaderNames.Vary, "Accept");
                if (!path.EndsWith(".md", StringComparison.Ordinal)
                    && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                    && PrefersMarkdown(context.Request))
                {
                    context.Request.Path = path + ".md";
                    // Escaped: a slug with non-ASCII characters is no valid header value as it is.
                    context.Response.Headers.ContentLocation = context.Request.Path.ToUriComponent();
                }
            }
            return next(context);
        });

    /// <summary>
    /// Whether Accept ranks <c>text/markdown</c> above HTML: a higher quality, or the same quality
    /// named more exactly (<c>text/markdown</c> against <c>*/*</c>) or earlier in the list.
    /// </summary>
    public static bool PrefersMarkdown(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }
        (double Quality, int Exactness, int Position) markdown = (0, 0, int.MaxValue), html = (0, 0, int.MaxValue);
        for (var i = 0; i < accepted.Count; i++)
        {
            var value = accepted[i];
            var quality = value.Quality ?? 1;
            var type = value.MediaType.Value ?? "";
            markdown = Better(markdown, Match(type, "text/markdown", quality, i));
            html = Better(html, Match(type, "text/html", quality, i));
        }
        if (markdown.Quality <= 0)
        {
            return false;
        }
        return markdown.Quality > html.Quality
            || (markdown.Quality == html.Quality && (markdown.Exactness > html.Exactness
                || (markdown.Exactness == html.Exactness && markdown.Position < html.Position)));

        static (double, int, int) Match(string type, string wanted, double quality, int position)
        {
            if (type.Equals(wanted, StringComparison.OrdinalIgnoreCase))
            {
                return (quality, 2, position);
            }
            if (type.Equals("text/*", StringComparison.OrdinalIgnoreCase))
            {
                return (quality, 1, position);
            }
            return type == "*/*" ? (quality, 0, position) : (0, -1, int.MaxValue);
        }

        // The most exact match decides a type's quality (RFC 9110 12.5.1).
        static (double Quality, int Exactness, int Position) Better((double Quality, int Exactness, int Position) a, (double Quality, int Exactness, int Position) b) =>
            b.Exactness > a.Exactness || (b.Exactness == a.Exactness && b.Quality > a.Quality) ? b : a;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Markdown(StringBuilder text) =>
        TypedResults.Text(text.ToString(), ContentType, Encoding.UTF8);

    public static string BaseUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Scheme + "://" + request.Host.Value;
    }

    // ---- /feeds/{slug}.md ----

    public static async Task<IResult> FeedAsync(FeedstandDb db, HttpRequest request, string slug, int? page, CancellationToken ct)
    {
        var text = await FeedMarkdownAsync(db, BaseUrl(request), slug, page ?? 1, ct);
        return text is null ? TypedResults.NotFound() : Markdown(text);
    }

    /// <summary>The twin of a listed (or retired) feed; null when there is no such feed or page.</summary>
    public static async Task<StringBuilder?> FeedMarkdownAsync(FeedstandDb db, string baseUrl, string slug, int page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var number = Math.Clamp(page, 1, 10_000);
        var feed = await db.Feeds.AsNoTracking()
            .Where(f => f.Slug == slug && (f.Status == FeedStatus.Active || f.Status == FeedStatus.Retired))
            .Select(f => new
            {
                f.Id,
                f.FeedUrl,
                f.SiteUrl,
                Title = f.DisplayTitle,
                Description = f.DisplayDescription,
                f.Language,
                f.LastEntryAt,
                Tags = f.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (feed is null)
        {
            return null;
        }
        var entries = await db.Entries.AsNoTracking()
            .Where(e => e.FeedId == feed.Id)
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Skip((number - 1) * EntriesPerPage).Take(EntriesPerPage + 1)
            .Select(e => new
            {
                e.Title,
                e.Link,
                Date = e.PublishedAt ?? e.FirstSeenAt,
                Html = db.EntryFullTexts.Where(t => t.EntryId == e.Id).Select(t => t.ContentHtml).FirstOrDefault() ?? e.ContentHtml ?? e.SummaryHtml,
            })
            .ToListAsync(ct);
        if (entries.Count == 0 && number > 1)
        {
            return null;
        }
        var hasOlder = entries.Count > EntriesPerPage;
        var text = new StringBuilder(4096);
        text.Append("# ");
        HtmlToMarkdown.AppendText(text, feed.Title);
        text.Append("\n\n");
        if (!string.IsNullOrWhiteSpace(feed.Description))
        {
            text.Append("> ");
            HtmlToMarkdown.AppendText(text, feed.Description);
            text.Append("\n\n");
        }
        if (feed.SiteUrl is { Length: > 0 } site)
        {
            Fact(text, UiText.T("md.site")).Append('<').Append(site).Append(">\n");
        }
        Fact(text, UiText.T("md.feed")).Append('<').Append(feed.FeedUrl).Append(">\n");
        if (feed.Tags.Count > 0)
        {
            Fact(text, UiText.T("preview.tags"));
            for (var i = 0; i < feed.Tags.Count; i++)
            {
                text.Append(i == 0 ? "" : ", ");
                Link(text, feed.Tags[i], $"{baseUrl}/tags/{Uri.EscapeDataString(feed.Tags[i])}.md");
            }
            text.Append('\n');
        }
        if (feed.Language is { Length: > 0 } language)
        {
            Fact(text, UiText.T("preview.language"));
            HtmlToMarkdown.AppendText(text, language);
            text.Append('\n');
        }
        if (feed.LastEntryAt is { } updated)
        {
            Fact(text, UiText.T("preview.lastUpdated")).Append(Date(updated)).Append('\n');
        }
        Fact(text, UiText.T("md.subscribe"));
        for (var i = 0; i < Readers.All.Count; i++)
        {
            text.Append(i == 0 ? "" : " · ");
            Link(text, Readers.All[i].Name, Readers.All[i].SubscribeUrl(feed.FeedUrl));
        }
        text.Append('\n');
        Fact(text, UiText.T("md.republished"));
        Link(text, "RSS", $"{baseUrl}/feeds/{slug}/rss");
        text.Append(" · ");
        Link(text, "Atom", $"{baseUrl}/feeds/{slug}/atom");
        text.Append(" · ");
        Link(text, "JSON Feed", $"{baseUrl}/feeds/{slug}/json");
        text.Append('\n');
        Fact(text, UiText.T("md.page")).Append('<').Append(baseUrl).Append("/feeds/").Append(slug).Append(">\n\n");

        text.Append("## ");
        HtmlToMarkdown.AppendText(text, UiText.T("preview.heading", feed.Title));
        text.Append("\n\n");
        if (entries.Count == 0)
        {
            text.Append(UiText.T("preview.noEntries")).Append('\n');
        }
        foreach (var entry in entries.Take(EntriesPerPage))
        {
            text.Append("### ");
            var title = string.IsNullOrWhiteSpace(entry.Title) ? UiText.T("preview.untitled") : entry.Title;
            if (entry.Link is { Length: > 0 } link)
            {
                Link(text, title, link);
            }
            else
            {
                HtmlToMarkdown.AppendText(text, title);
            }
            text.Append("\n\n").Append(Date(entry.Date)).Append("\n\n");
            var before = text.Length;
            HtmlToMarkdown.Convert(entry.Html, text, headingOffset: 3);
            text.Append(text.Length > before ? "\n\n" : "");
        }
        if (hasOlder)
        {
            Link(text, UiText.T("preview.older"), $"{baseUrl}/feeds/{slug}.md?page={(number + 1).ToString(CultureInfo.InvariantCulture)}");
            text.Append('\n');
        }
        return text;
    }

    private static StringBuilder Fact(StringBuilder text, string label) => text.Append("- ").Append(label).Append(": ");

    public static string Date(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static void Link(StringBuilder text, string label, string url)
    {
        text.Append('[');
        HtmlToMarkdown.AppendText(text, label);
        text.Append("](");
        HtmlToMarkdown.AppendDestination(text, url);
        text.Append(')');
    }

    /// <summary>"- [Title](…/feeds/slug.md): description" — one feed as llmstxt.org lists a file.</summary>
    private static void FeedLine(StringBuilder text, string baseUrl, string slug, string title, string? description, string? language = null)
    {
        text.Append("- ");
        Link(text, title, $"{baseUrl}/feeds/{slug}.md");
        var note = Summary(description);
        if (note.Length > 0 || language is not null)
        {
            text.Append(": ");
            HtmlToMarkdown.AppendText(text, note);
            if (language is not null)
            {
                text.Append(note.Length > 0 ? " (" : "(");
                HtmlToMarkdown.AppendText(text, language);
                text.Append(')');
            }
        }
        text.Append('\n');
    }

    /// <summary>A description cut to one line of about 200 characters.</summary>
    private static string Summary(string? description)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return "";
        }
        var line = string.Join(' ', description.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 200 ? line : string.Concat(line.AsSpan(0, 199), "…");
    }

    // ---- /tags/{tag}.md ----

    public static async Task<IResult> TagAsync(FeedstandDb db, HttpRequest request, string tag, CancellationToken ct)
    {
        var name = tag.ToLowerInvariant();
        if (!await db.Tags.AnyAsync(t => t.Name == name, ct))
        {
            return TypedResults.NotFound();
        }
        var feeds = await db.Feeds.AsNoTracking()
            .Where(f => f.Status == FeedStatus.Active && f.Tags.Any(t => t.Name == name))
            .OrderByDescending(f => f.LastEntryAt).ThenBy(f => f.Id)
            .Take(FeedsPerTagPage + 1)
            .Select(f => new { f.Slug, Title = f.DisplayTitle, Description = f.DisplayDescription, f.Language })
            .ToListAsync(ct);
        var baseUrl = BaseUrl(request);
        var escaped = Uri.EscapeDataString(name);
        var text = new StringBuilder(4096).Append("# ");
        HtmlToMarkdown.AppendText(text, UiText.T("md.tagHeading", name));
        text.Append("\n\n- ");
        Link(text, "OPML", $"{baseUrl}/tags/{escaped}.opml");
        text.Append("\n- ");
        Link(text, "RSS", $"{baseUrl}/tags/{escaped}/rss");
        text.Append("\n\n");
        foreach (var feed in feeds.Take(FeedsPerTagPage))
        {
            FeedLine(text, baseUrl, feed.Slug, feed.Title, feed.Description, feed.Language);
        }
        if (feeds.Count > FeedsPerTagPage)
        {
            text.Append('\n');
            Link(text, UiText.T("md.more", "…"), $"{baseUrl}/api/v1/feeds?tag={escaped}");
            text.Append('\n');
        }
        return Markdown(text);
    }

    // ---- /llms.txt ----

    public static async Task<IResult> LlmsAsync(FeedstandDb db, HttpRequest request, CancellationToken ct) =>
        Markdown(await LlmsTextAsync(db, BaseUrl(request), ct));

    /// <summary>/llms.txt: the directory by tag and by language, in the llmstxt.org format.</summary>
    public static async Task<StringBuilder> LlmsTextAsync(FeedstandDb db, string baseUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tags = await db.Tags.AsNoTracking()
            .Select(t => new { t.Name, Feeds = t.Feeds.Count(f => f.Status == FeedStatus.Active) })
            .Where(t => t.Feeds > 0)
            .OrderByDescending(t => t.Feeds).ThenBy(t => t.Name)
            .Take(TagsListed)
            .ToListAsync(ct);
        var languages = await IndexModel.CountLanguagesAsync(db.Feeds, LanguagesListed, ct);

        var text = new StringBuilder(16_384).Append("# ").Append(UiText.T("site.name")).Append("\n\n> ");
        HtmlToMarkdown.AppendText(text, UiText.T("site.tagline"));
        text.Append("\n\n");
        HtmlToMarkdown.AppendText(text, UiText.T("md.llmsIntro"));
        text.Append("\n\n## ").Append(UiText.T("md.tags")).Append("\n\n");
        foreach (var tag in tags)
        {
            text.Append("- ");
            Link(text, tag.Name, $"{baseUrl}/tags/{Uri.EscapeDataString(tag.Name)}.md");
            text.Append(": ").Append(UiText.T("md.tagFeeds", tag.Feeds)).Append('\n');
        }
        foreach (var language in languages)
        {
            var feeds = await db.Feeds.AsNoTracking().WhereLanguage(language.Code)
                .Where(f => f.Status == FeedStatus.Active)
                .OrderByDescending(f => f.LastEntryAt).ThenBy(f => f.Id)
                .Take(FeedsPerLanguage)
                .Select(f => new { f.Slug, Title = f.DisplayTitle, Description = f.DisplayDescription })
                .ToListAsync(ct);
            text.Append("\n## ");
            HtmlToMarkdown.AppendText(text, UiText.T("md.inLanguage", language.Name));
            text.Append("\n\n");
            foreach (var feed in feeds)
            {
                FeedLine(text, baseUrl, feed.Slug, feed.Title, feed.Description);
            }
            if (language.Feeds > feeds.Count)
            {
                text.Append("- ");
                Link(text, UiText.T("md.allInLanguage", language.Feeds, language.Name), $"{baseUrl}/llms-full.txt?lang={Uri.EscapeDataString(language.Code)}");
                text.Append('\n');
            }
        }
        // llmstxt.org: the section named "Optional" holds what a reader may skip.
        text.Append("\n## Optional\n\n- ");
        Link(text, "llms-full.txt", baseUrl + "/llms-full.txt");
        text.Append(": ").Append(UiText.T("md.allFeeds")).Append("\n- ");
        Link(text, "OPML", baseUrl + "/opml");
        text.Append("\n- ");
        Link(text, "JSON API", baseUrl + "/api/v1/feeds");
        text.Append("\n- ");
        Link(text, "MCP", baseUrl + "/mcp");
        text.Append('\n');
        return text;
    }

    // ---- /llms-full.txt ----

    public static async Task<IResult> LlmsFullAsync(FeedstandDb db, HttpRequest request, string? lang, string? tag, CancellationToken ct)
    {
        var baseUrl = BaseUrl(request);
        var query = db.Feeds.AsNoTracking().Where(f => f.Status == FeedStatus.Active);
        if (LanguageCodes.Filter(lang) is { } language)
        {
            query = query.WhereLanguage(language);
        }
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var name = tag.ToLowerInvariant();
            query = query.Where(f => f.Tags.Any(t => t.Name == name));
        }
        var feeds = await query.OrderBy(f => f.DisplayTitle).ThenBy(f => f.Id)
            .Take(FeedsInFullList + 1)
            .Select(f => new { f.Slug, Title = f.DisplayTitle, Description = f.DisplayDescription, f.Language })
            .ToListAsync(ct);
        var text = new StringBuilder(feeds.Count * 120 + 256).Append("# ").Append(UiText.T("site.name")).Append("\n\n> ");
        HtmlToMarkdown.AppendText(text, UiText.T("md.allFeeds"));
        text.Append("\n\n");
        foreach (var feed in feeds.Take(FeedsInFullList))
        {
            FeedLine(text, baseUrl, feed.Slug, feed.Title, feed.Description, feed.Language);
        }
        if (feeds.Count > FeedsInFullList)
        {
            text.Append('\n');
            Link(text, UiText.T("md.more", "…"), baseUrl + "/api/v1/feeds");
            text.Append('\n');
        }
        return Markdown(text);
    }
}
