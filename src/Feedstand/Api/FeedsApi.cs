using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Api;

public sealed record FeedItem(
    string Slug, string Title, string? Description, string FeedUrl, string? SiteUrl, string? IconUrl,
    string? Language, IReadOnlyList<string> Tags, DateTimeOffset? LastEntryAt, DateTimeOffset CreatedAt, string PreviewUrl,
    int SubscriptionsThisMonth);

public sealed record FeedHealth(
    DateTimeOffset? LastFetchAt, DateTimeOffset? LastSuccessAt, int? LastStatus, int ConsecutiveErrors,
    string? LastError, double? AveragePostIntervalHours);

public sealed record FeedDetail(FeedItem Feed, FeedHealth? Health, string Rss, string Atom, string Json);

public sealed record EntryItem(
    long Id, string? Title, string? Link, DateTimeOffset? PublishedAt, DateTimeOffset? UpdatedAt,
    IReadOnlyList<string> Authors, IReadOnlyList<string> Categories, string? SummaryHtml, string? ContentHtml);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record SearchResultItem(
    string Kind, string FeedSlug, string FeedTitle, string? EntryTitle, string? EntryLink,
    DateTimeOffset? PublishedAt, string SnippetHtml);

public sealed record SearchResults(string Query, IReadOnlyList<SearchResultItem> Feeds, IReadOnlyList<SearchResultItem> Entries);

/// <summary>/api/v1: the directory as JSON, with cursor pagination, ETags and CORS for GET.</summary>
public static class FeedsApi
{
    public const string CorsPolicy = "api-get";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = Feeds.Model.FeedJson.Encoder,
    };

    public static IEndpointRouteBuilder MapFeedsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1")
            .RequireCors(CorsPolicy)
            .RequireRateLimiting(RateLimits.Api)
            .CacheOutput(PageCache.PolicyName);
        api.MapGet("/feeds", ListFeedsAsync);
        api.MapGet("/feeds/{slug}", GetFeedAsync);
        api.MapGet("/feeds/{slug}/entries", ListEntriesAsync);
        api.MapGet("/search", SearchAsync);
        return routes;
    }

    public static async Task<Results<Conditional, ValidationProblem>> ListFeedsAsync(
        FeedstandDb db, TimeProvider clock, HttpRequest request, string? cursor, int? limit, string? tag, string? lang, CancellationToken ct)
    {
        if (Validate(cursor, limit, out var take) is { } problem)
        {
            return problem;
        }
        long after = 0;
        if (cursor is not null && !TryDecodeId(cursor, out after))
        {
            return BadCursor();
        }
        var query = db.Feeds.AsNoTracking().Where(f => f.Status == FeedStatus.Active && f.Id > after);
        if (!string.IsNullOrEmpty(tag))
        {
            query = query.Where(f => f.Tags.Any(t => t.Name == tag));
        }
        if (LanguageCodes.Filter(lang) is { } language)
        {
            query = query.WhereLanguage(language);
        }
        var rows = await Rows(query.OrderBy(f => f.Id).Take(take + 1)).ToListAsync(ct);
        var next = rows.Count > take ? EncodeId(rows[take - 1].Id) : null;
        var baseUrl = BaseUrl(request);
        var counts = await Discovery.Subscriptions.ThisMonthAsync(db, rows.ConvertAll(r => r.Id), clock.GetUtcNow(), ct);
        var items = rows.Take(take).Select(r => r.ToItem(baseUrl, counts.GetValueOrDefault(r.Id)?.Total ?? 0)).ToList();
        return Ok(new Page<FeedItem>(items, next), items.Count > 0 ? items.Max(i => i.LastEntryAt) : null);
    }

    public static async Task<Results<Conditional, ProblemHttpResult>> GetFeedAsync(
        FeedstandDb db, TimeProvider clock, HttpRequest request, string slug, CancellationToken ct)
    {
        var baseUrl = BaseUrl(request);
        var feeds = db.Feeds.AsNoTracking().Where(f => f.Slug == slug && f.Status == FeedStatus.Active);
        var item = await Rows(feeds).SingleOrDefaultAsync(ct);
        if (item is null)
        {
            return NotFound(slug);
        }
        var row = await feeds
            .Select(f => new
            {
                Health = f.FetchState == null ? null : new
                {
                    f.FetchState.LastFetchAt,
                    f.FetchState.LastSuccessAt,
                    f.FetchState.LastStatus,
                    f.FetchState.ConsecutiveErrors,
                    f.FetchState.LastError,
                    f.FetchState.AveragePostInterval,
                },
            })
            .SingleAsync(ct);
        var health = row.Health is { } h
            ? new FeedHealth(h.LastFetchAt, h.LastSuccessAt, h.LastStatus, h.ConsecutiveErrors, h.LastError, h.AveragePostInterval?.TotalHours)
            : null;
        var root = baseUrl + "/feeds/" + slug;
        var counts = await Discovery.Subscriptions.ThisMonthAsync(db, [item.Id], clock.GetUtcNow(), ct);
        return Ok(new FeedDetail(item.ToItem(baseUrl, counts.GetValueOrDefault(item.Id)?.Total ?? 0), health, root + "/rss", root + "/atom", root + "/json"), item.LastEntryAt);
    }

    public static async Task<Results<Conditional, ProblemHttpResult, ValidationProblem>> ListEntriesAsync(
        FeedstandDb db, string slug, string? cursor, int? limit, CancellationToken ct)
    {
        if (Validate(cursor, limit, out var take) is { } problem)
        {
            return problem;
        }
        (DateTimeOffset Date, long Id)? after = null;
        if (cursor is not null)
        {
            if (!TryDecodeEntryCursor(cursor, out var position))
            {
                return BadCursor();
            }
            after = position;
        }
        var feedId = await db.Feeds.Where(f => f.Slug == slug && f.Status == FeedStatus.Active).Select(f => (long?)f.Id).SingleOrDefaultAsync(ct);
        if (feedId is null)
        {
            return NotFound(slug);
        }
        var query = db.Entries.AsNoTracking().Where(e => e.FeedId == feedId);
        if (after is { } a)
        {
            query = query.Where(e => e.SortDate < a.Date || (e.SortDate == a.Date && e.Id < a.Id));
        }
        var rows = await query.OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id).Take(take + 1)
            .Select(e => new { e.Id, e.SortDate, e.Title, e.Link, e.PublishedAt, e.UpdatedAt, e.Authors, e.Categories, e.SummaryHtml, e.ContentHtml })
            .ToListAsync(ct);
        string? next = null;
        if (rows.Count > take)
        {
            var last = rows[take - 1];
            next = EncodeEntryCursor(last.SortDate, last.Id);
            rows.RemoveAt(take);
        }
        var items = rows.Select(e => new EntryItem(e.Id, e.Title, e.Link, e.PublishedAt, e.UpdatedAt, e.Authors, e.Categories, e.SummaryHtml, e.ContentHtml)).ToList();
        return Ok(new Page<EntryItem>(items, next), rows.Count > 0 ? rows[0].UpdatedAt ?? rows[0].SortDate : null);
    }

    public static async Task<Results<Conditional, ValidationProblem>> SearchAsync(
        FeedstandDb db, string? q, int? limit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 200)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["q"] = ["Give one to 200 characters of words to search for."] });
        }
        var take = Math.Clamp(limit ?? 20, 1, 100);
        var hits = await db.SearchAsync(q, take, ct);
        var feeds = new List<SearchResultItem>();
        var entries = new List<SearchResultItem>();
        foreach (var hit in hits)
        {
            var item = new SearchResultItem(hit.Kind == SearchHitKind.Feed ? "feed" : "entry", hit.FeedSlug, hit.FeedTitle,
                hit.EntryTitle, hit.EntryLink, hit.PublishedAt, hit.SnippetHtml);
            (hit.Kind == SearchHitKind.Feed ? feeds : entries).Add(item);
        }
        return Ok(new SearchResults(q, feeds, entries), null);
    }

    private static Conditional Ok<T>(T value, DateTimeOffset? lastModified) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, Json), "application/json; charset=utf-8", lastModified);

    private static ValidationProblem? Validate(string? cursor, int? limit, out int take)
    {
        take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"limit must be between 1 and {MaxLimit}."],
            });
        }
        return cursor is { Length: > 100 } ? BadCursor() : null;
    }

    private static ValidationProblem BadCursor() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["cursor"] = ["cursor is not one this API gave out; start again without it."],
    });

    private static ProblemHttpResult NotFound(string slug) => TypedResults.Problem(
        title: "Not Found", detail: $"No listed feed has the slug '{slug}'.", statusCode: StatusCodes.Status404NotFound);

    private static string BaseUrl(HttpRequest request) => request.Scheme + "://" + request.Host.Value;

    private static IQueryable<FeedRow> Rows(IQueryable<Feed> feeds) => feeds.Select(f => new FeedRow(
        f.Id, f.Slug, f.DisplayTitle, f.DisplayDescription, f.FeedUrl, f.SiteUrl,
        f.DisplayIconUrl, f.Language, f.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
        f.LastEntryAt, f.CreatedAt));

    private sealed record FeedRow(
        long Id, string Slug, string Title, string? Description, string FeedUrl, string? SiteUrl, string? IconUrl,
        string? Language, List<string> Tags, DateTimeOffset? LastEntryAt, DateTimeOffset CreatedAt)
    {
        public FeedItem ToItem(string baseUrl, int subscriptions) => new(
            Slug, Title, Description, FeedUrl, SiteUrl, IconUrl, Language, Tags, LastEntryAt, CreatedAt, baseUrl + "/feeds/" + Slug, subscriptions);
    }

    private static readonly System.Buffers.SearchValues<char> Base64UrlChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// Only what <see cref="Base64Url.TryDecodeFromChars(ReadOnlySpan{char}, Span{byte}, out int)"/> accepts
    /// without throwing: it throws (rather than returning false) for lengths no encoder makes, such as 1 mod 4.
    /// </summary>
    private static bool IsBase64Url(string text) =>
        text.Length is > 0 and <= 100 && !text.AsSpan().ContainsAnyExcept(Base64UrlChars) && Base64Url.IsValid(text);

    internal static string EncodeId(long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture)));

    internal static bool TryDecodeId(string cursor, out long id)
    {
        id = 0;
        Span<byte> buffer = stackalloc byte[75];
        return IsBase64Url(cursor) && Base64Url.TryDecodeFromChars(cursor, buffer, out var written)
            && long.TryParse(Encoding.ASCII.GetString(buffer[..written]), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    internal static string EncodeEntryCursor(DateTimeOffset date, long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            date.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "." + id.ToString(CultureInfo.InvariantCulture)));

    internal static bool TryDecodeEntryCursor(string cursor, out (DateTimeOffset Date, long Id) position)
    {
        position = default;
        Span<byte> buffer = stackalloc byte[75];
        if (!IsBase64Url(cursor) || !Base64Url.TryDecodeFromChars(cursor, buffer, out var written))
        {
            return false;
        }
        var text = Encoding.ASCII.GetString(buffer[..written]);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            || !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ms < -62135596800000 || ms > 253402300799999)
        {
            return false;
        }
        position = (DateTimeOffset.FromUnixTimeMilliseconds(ms), id);
        return true;
    }
}
