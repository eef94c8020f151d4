using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Feedstand.Api;
using Feedstand.Data;
using Feedstand.Feeds.Markdown;
using Feedstand.Pages.Preview;
using Feedstand.Web;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Feedstand.MachineReaders;

/// <summary>
/// /mcp: the directory for MCP clients over the stateless streamable HTTP transport (any web node
/// answers any request). Read-only: four tools and the feeds as resources, nothing that changes the
/// store and nothing of the admin's.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    public static IServiceCollection AddFeedstandMcp(this IServiceCollection services)
    {
        services.AddMcpServer(server =>
            {
                server.ServerInfo = new Implementation { Name = "feedstand", Version = "1" };
                server.ServerInstructions = "Feedstand is a directory of web feeds (mostly personal and engineering blogs). "
                    + "Find feeds with search_feeds, read one with get_feed and latest_posts, and look at any URL with preview_url.";
            })
            .WithHttpTransport(http => http.Stateless = true)
            .WithTools<FeedTools>()
            .WithResources<FeedResources>();
        return services;
    }

    /// <summary>The endpoint, under the API's rate limit; <c>preview_url</c> also spends the client's preview budget, shared with <c>/preview</c>.</summary>
    public static IEndpointRouteBuilder MapFeedstandMcp(this IEndpointRouteBuilder routes)
    {
        routes.MapMcp(Path).RequireRateLimiting(RateLimits.Api);
        return routes;
    }

    internal static string BaseUrl(IHttpContextAccessor accessor) =>
        accessor.HttpContext is { } context ? MarkdownTwins.BaseUrl(context.Request) : "http://localhost";

    internal static string ClientAddress(IHttpContextAccessor accessor) =>
        accessor.HttpContext is { } context ? RateLimits.ClientAddress(context) : "unknown";

    internal static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    internal static CallToolResult Json<T>(T value) => new()
    {
        Content = [new TextContentBlock { Text = JsonSerializer.Serialize(value, FeedsApi.Json) }],
    };

    internal static CallToolResult Markdown(string text) => new()
    {
        Content = [new TextContentBlock { Text = text }],
    };
}

public sealed record McpFeed(
    string Slug, string Title, string? Description, string FeedUrl, string? SiteUrl, string? Language,
    IReadOnlyList<string> Tags, DateTimeOffset? LastEntryAt, string PreviewUrl, string MarkdownUrl);

public sealed record McpFeedDetail(McpFeed Feed, string Rss, string Atom, string Json, IReadOnlyDictionary<string, string> Subscribe);

public sealed record McpPost(string FeedSlug, string FeedTitle, string? Title, string? Link, DateTimeOffset Published, string ContentMarkdown);

public sealed record McpChoice(string Url, string? Title, string? Type);

/// <summary>The tools: find feeds, read a feed and its posts, preview any URL. None changes anything.</summary>
[McpServerToolType]
public sealed class FeedTools(FeedstandDb db, IHttpContextAccessor http, LivePreview preview, PreviewBudget previewBudget)
{
    public const int MaxResults = 50;
    public const int MaxPosts = 50;

    [McpServerTool(Name = "search_feeds", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Search the directory's feeds by words in their titles, descriptions and posts; optionally only feeds with a tag or in a language (ISO 639-1, e.g. 'en'). Returns up to 50 feeds as JSON.")]
    public async Task<CallToolResult> SearchFeedsAsync(
        [Description("Words to search for; may be empty when a tag or language is given.")] string? query = null,
        [Description("Only feeds with this tag, e.g. 'rust'.")] string? tag = null,
        [Description("Only feeds in this language, e.g. 'en' or 'zh'.")] string? language = null,
        CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(query) && string.IsNullOrWhiteSpace(tag) && string.IsNullOrWhiteSpace(language))
        {
            return McpEndpoint.Error("Give a query, a tag or a language.");
        }
        if (query is { Length: > 200 })
        {
            return McpEndpoint.Error("The query is longer than 200 characters.");
        }
        var feeds = db.Feeds.AsNoTracking().Where(f => f.Status == FeedStatus.Active);
        List<long>? ranked = null;
        if (!string.IsNullOrWhiteSpace(query))
        {
            var hits = await db.SearchAsync(query, MaxResults, ct);
            ranked = hits.Select(h => h.FeedId).Distinct().ToList();
            feeds = feeds.Where(f => ranked.Contains(f.Id));
        }
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var name = tag.Trim().ToLowerInvariant();
            feeds = feeds.Where(f => f.Tags.Any(t => t.Name == name));
        }
        if (!string.IsNullOrWhiteSpace(language))
        {
            if (LanguageCodes.Filter(language) is not { } code)
            {
                return McpEndpoint.Error($"'{language}' is not a language code such as 'en' or 'zh'.");
            }
            feeds = feeds.WhereLanguage(code);
        }
        var found = await Select(feeds.OrderByDescending(f => f.LastEntryAt).ThenBy(f => f.Id).Take(MaxResults), ct);
        if (ranked is not null)
        {
            found = found.OrderBy(f => ranked.IndexOf(f.Id)).ToList();
        }
        var baseUrl = McpEndpoint.BaseUrl(http);
        return McpEndpoint.Json(found.ConvertAll(f => f.ToFeed(baseUrl)));
    }

    [McpServerTool(Name = "get_feed", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("One listed feed by its slug: title, description, site, feed URL, language, tags, re-published feeds and one-click subscribe links, as JSON.")]
    public async Task<CallToolResult> GetFeedAsync(
        [Description("The feed's slug, as search_feeds gives it.")] string slug,
        CancellationToken ct = default)
    {
        var found = await Select(db.Feeds.AsNoTracking().Where(f => f.Slug == slug && f.Status == FeedStatus.Active), ct);
        if (found.Count == 0)
        {
            return McpEndpoint.Error($"No listed feed has the slug '{slug}'.");
        }
        var baseUrl = McpEndpoint.BaseUrl(http);
        var feed = found[0].ToFeed(baseUrl);
        var root = baseUrl + "/feeds/" + feed.Slug;
        var subscribe = Readers.All.ToDictionary(r => r.Name, r => r.SubscribeUrl(feed.FeedUrl), StringComparer.Ordinal);
        return McpEndpoint.Json(new McpFeedDetail(feed, root + "/rss", root + "/atom", root + "/json", subscribe));
    }

    [McpServerTool(Name = "latest_posts", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("The newest posts of one feed (by slug), or of the whole directory when no slug is given; each with its title, link, date and content as Markdown. JSON.")]
    public async Task<CallToolResult> LatestPostsAsync(
        [Description("The feed's slug; leave out for the newest posts across the directory.")] string? slug = null,
        [Description("How many posts, 1 to 50 (default 10).")] int limit = 10,
        CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxPosts)
        {
            return McpEndpoint.Error($"limit must be between 1 and {MaxPosts}.");
        }
        var entries = db.Entries.AsNoTracking().Where(e => e.Feed!.Status == FeedStatus.Active);
        if (!string.IsNullOrWhiteSpace(slug))
        {
            if (!await db.Feeds.AnyAsync(f => f.Slug == slug && f.Status == FeedStatus.Active, ct))
            {
                return McpEndpoint.Error($"No listed feed has the slug '{slug}'.");
            }
            entries = entries.Where(e => e.Feed!.Slug == slug);
        }
        var rows = await entries.OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id).Take(limit)
            .Select(e => new
            {
                e.Feed!.Slug,
                FeedTitle = e.Feed.DisplayTitle,
                e.Title,
                e.Link,
                Date = e.PublishedAt ?? e.FirstSeenAt,
                Html = db.EntryFullTexts.Where(t => t.EntryId == e.Id).Select(t => t.ContentHtml).FirstOrDefault() ?? e.ContentHtml ?? e.SummaryHtml,
            })
            .ToListAsync(ct);
        return McpEndpoint.Json(rows.ConvertAll(r => new McpPost(r.Slug, r.FeedTitle, r.Title, r.Link, r.Date, HtmlToMarkdown.Convert(r.Html))));
    }

    [McpServerTool(Name = "preview_url", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description("Fetch any public URL (a feed, or a web page that links to feeds) and show the feed as Markdown, as the /preview page does; a page with several feeds gives the choices. Public addresses only; rate-limited.")]
    public async Task<CallToolResult> PreviewUrlAsync(
        [Description("An http or https URL.")] string url,
        CancellationToken ct = default)
    {
        if (FormChecks.Url(url, out var normalized) is { } problem)
        {
            return McpEndpoint.Error(UiText.T(problem));
        }
        if (!previewBudget.TryAcquire(McpEndpoint.ClientAddress(http)))
        {
            return McpEndpoint.Error("Too many previews from this address: try again in a minute.");
        }
        var result = await preview.PreviewAsync(normalized, ct);
        if (result.Error is { } error)
        {
            return McpEndpoint.Error(FormChecks.FetchProblem(error));
        }
        if (result.Feed is not { } feed)
        {
            return McpEndpoint.Json(result.Choices.Select(c => new McpChoice(c.Url, c.Title, c.Type)).ToList());
        }
        var text = new StringBuilder(4096).Append("# ");
        HtmlToMarkdown.AppendText(text, feed.Title);
        text.Append("\n\n");
        if (!string.IsNullOrWhiteSpace(feed.Description))
        {
            text.Append("> ");
            HtmlToMarkdown.AppendText(text, feed.Description);
            text.Append("\n\n");
        }
        text.Append("- ").Append(UiText.T("md.feed")).Append(": <").Append(feed.FeedUrl).Append(">\n");
        if (feed.SiteUrl is { Length: > 0 } site)
        {
            text.Append("- ").Append(UiText.T("md.site")).Append(": <").Append(site).Append(">\n");
        }
        foreach (var entry in feed.Entries)
        {
            text.Append("\n## ");
            HtmlToMarkdown.AppendText(text, string.IsNullOrWhiteSpace(entry.Title) ? UiText.T("preview.untitled") : entry.Title);
            text.Append("\n\n");
            if (entry.Link is { Length: > 0 } link)
            {
                text.Append('<').Append(link).Append(">\n\n");
            }
            if (entry.Date is { } date)
            {
                text.Append(MarkdownTwins.Date(date)).Append("\n\n");
            }
            HtmlToMarkdown.Convert(entry.Html, text, headingOffset: 2);
            text.Append('\n');
        }
        return McpEndpoint.Markdown(text.ToString());
    }

    private sealed record Row(
        long Id, string Slug, string Title, string? Description, string FeedUrl, string? SiteUrl, string? Language,
        List<string> Tags, DateTimeOffset? LastEntryAt)
    {
        public McpFeed ToFeed(string baseUrl) => new(
            Slug, Title, Description, FeedUrl, SiteUrl, Language, Tags, LastEntryAt,
            baseUrl + "/feeds/" + Slug, baseUrl + "/feeds/" + Slug + ".md");
    }

    private static Task<List<Row>> Select(IQueryable<Feed> feeds, CancellationToken ct) =>
        feeds.Select(f => new Row(
            f.Id, f.Slug, f.DisplayTitle, f.DisplayDescription, f.FeedUrl, f.SiteUrl,
            f.Language, f.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(), f.LastEntryAt))
        .ToListAsync(ct);
}

/// <summary>The directory as resources: <c>feedstand://directory</c> (llms.txt) and <c>feedstand://feeds/{slug}</c> (a feed's Markdown twin).</summary>
[McpServerResourceType]
public sealed class FeedResources(FeedstandDb db, IHttpContextAccessor http)
{
    [McpServerResource(UriTemplate = "feedstand://directory", Name = "directory", MimeType = "text/markdown")]
    [Description("The directory by tag and by language, with a line per feed (the site's /llms.txt).")]
    public async Task<string> DirectoryAsync(CancellationToken ct) =>
        (await MarkdownTwins.LlmsTextAsync(db, McpEndpoint.BaseUrl(http), ct)).ToString();

    [McpServerResource(UriTemplate = "feedstand://feeds/{slug}", Name = "feed", MimeType = "text/markdown")]
    [Description("One feed's card and latest posts as Markdown (the site's /feeds/{slug}.md).")]
    public async Task<string> FeedAsync(string slug, CancellationToken ct)
    {
        var text = await MarkdownTwins.FeedMarkdownAsync(db, McpEndpoint.BaseUrl(http), slug, 1, ct);
        return text is null
            ? throw new ModelContextProtocol.McpException($"No listed feed has the slug '{slug}'.")
            : text.ToString();
    }
}
