using System.Linq.Expressions;
using System.Text;
using Feedstand.Data;
using Feedstand.Feeds;
using Feedstand.Feeds.Discovery;
using Feedstand.Feeds.Model;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

/// <summary>What a refresh needs to know of a stored feed before fetching it, read without tracking.</summary>
public sealed record FeedToFetch(long Id, string FeedUrl, string? SiteUrl, string? IconUrl, string? ETag, string? LastModified)
{
    public static FeedToFetch Of(Feed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return new(feed.Id, feed.FeedUrl, feed.SiteUrl, feed.IconUrl, feed.FetchState?.ETag, feed.FetchState?.LastModified);
    }

    /// <summary>The same, as a query's projection.</summary>
    public static Expression<Func<Feed, FeedToFetch>> Projection { get; } =
        f => new FeedToFetch(f.Id, f.FeedUrl, f.SiteUrl, f.IconUrl, f.FetchState!.ETag, f.FetchState.LastModified);
}

/// <summary>
/// What the network and the parser made of one feed, before anything is written: the response's
/// facts (its body already released), the parsed feed, or the error that stopped either.
/// </summary>
public sealed class FetchedFeed(long feedId, FetchResult response, ParsedFeed? parsed, FetchError? error, int bodyBytes, string? siteIcon)
{
    public long FeedId { get; } = feedId;
    public FetchResult Response { get; } = response;
    public ParsedFeed? Parsed { get; } = parsed;
    public FetchError? Error { get; } = error;
    public int BodyBytes { get; } = bodyBytes;

    /// <summary>The site page's icon, looked up when the feed names none and none is stored.</summary>
    public string? SiteIcon { get; } = siteIcon;

    /// <summary>Each parsed entry with the row it would become (key, content hash, search text): made while fetching, in parallel.</summary>
    public IReadOnlyList<(ParsedEntry Parsed, Entry Row)> Entries { get; init; } = [];

    /// <summary>Content a WebSub hub pushed (possibly a partial feed): merged like a poll, but the fetch state is left alone.</summary>
    public bool IsPush { get; init; }

    /// <summary>The feed check of the new document (<see cref="Checking.FeedCheckLog"/>); null for 304s and failures.</summary>
    public Checking.StoredCheck? Check { get; init; }

    /// <summary>A failure found without a response (a crash of the refresh itself).</summary>
    public static FetchedFeed Failed(FeedToFetch feed, FetchError error)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return new FetchedFeed(feed.Id, FetchResult.Failed(feed.FeedUrl, error), null, error, 0, null);
    }
}

/// <summary>
/// Stage one of a refresh: fetch and parse, build the rows the entries would become, and find the
/// site's icon when the feed names none. Network and CPU only: no database, so any number of calls
/// run at once (up to <see cref="FeedstandOptions.RefreshConcurrency"/> per process).
/// </summary>
public sealed class FeedReader(FeedFetcher fetcher, IOptions<FeedstandOptions> options, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.RefreshConcurrency, options.Value.RefreshConcurrency);

    /// <summary>Fetches the feed (a conditional GET with its stored validators) and reads the response.</summary>
    public async Task<FetchedFeed> ReadAsync(FeedToFetch feed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feed);
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var response = await fetcher.FetchAsync(feed.FeedUrl, new FetchValidators(feed.ETag, feed.LastModified), ct).ConfigureAwait(false);
            return await ReadAsync(feed, response, ct).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Reads a response already at hand (<c>add</c>'s discovery, the offline snapshot) and releases
    /// its body; the facts of the response stay readable.
    /// </summary>
    public async Task<FetchedFeed> ReadAsync(FeedToFetch feed, FetchResult response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(response);
        var bodyBytes = response.Body.Length;
        ParsedFeed? parsed;
        FetchError? error;
        Checking.StoredCheck? check = null;
        var now = clock.GetUtcNow();
        using (response)
        {
            if (response.Error is not null || response.IsNotModified)
            {
                return new FetchedFeed(feed.Id, response, null, response.Error, bodyBytes, null);
            }
            (parsed, error) = Parse(response);
            if (parsed is not null)
            {
                // Checked while the body is still in memory (disposing the response releases it): the
                // score is kept per fetch, never fetched again for the report.
                check = Checking.FeedCheckLog.CheckFetched(response, parsed, now);
            }
        }
        if (parsed is null)
        {
            return new FetchedFeed(feed.Id, response, null, error, bodyBytes, null);
        }

        var entries = RowsOf(parsed, now);

        string? siteIcon = null;
        if (parsed.Icon is not { Length: > 0 } && parsed.Image is not { Length: > 0 } && feed.IconUrl is null)
        {
            siteIcon = await FindSiteIconAsync(parsed.Link ?? feed.SiteUrl ?? feed.FeedUrl, ct).ConfigureAwait(false);
        }
        return new FetchedFeed(feed.Id, response, parsed, null, bodyBytes, siteIcon) { Entries = entries, Check = check };
    }

    /// <summary>
    /// Reads what a WebSub hub pushed: the same parse, sanitizing and entry rows as a fetch; no
    /// feed check (a fat ping may hold only the new entries) and no icon lookup. Releases the body.
    /// </summary>
    public static FetchedFeed ReadPushed(FeedToFetch feed, FetchResult pushed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(pushed);
        var bodyBytes = pushed.Body.Length;
        ParsedFeed? parsed;
        FetchError? error;
        using (pushed)
        {
            (parsed, error) = Parse(pushed);
        }
        return parsed is null
            ? new FetchedFeed(feed.Id, pushed, null, error, bodyBytes, null) { IsPush = true }
            : new FetchedFeed(feed.Id, pushed, parsed, null, bodyBytes, null) { IsPush = true, Entries = RowsOf(parsed, now) };
    }

    /// <summary>Each parsed entry with the row it would become (key, content hash, search text).</summary>
    private static List<(ParsedEntry, Entry)> RowsOf(ParsedFeed parsed, DateTimeOffset now)
    {
        var entries = new List<(ParsedEntry, Entry)>(parsed.Entries.Count);
        foreach (var parsedEntry in parsed.Entries)
        {
            var hash = EntryMerge.ContentHashOf(parsedEntry);
            var row = new Entry { Key = EntryMerge.KeyOf(parsedEntry), ContentHash = hash, FirstSeenAt = now };
            EntryMerge.Apply(row, parsedEntry, hash, now);
            entries.Add((parsedEntry, row));
        }
        return entries;
    }

    /// <summary>The one parse of a fetched body: the feed, or why the body is none (<see cref="FetchError.FromParse"/>).</summary>
    public static (ParsedFeed? Feed, FetchError? Error) Parse(FetchResult response)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            return (FeedParser.Parse(response.Body, new FeedParseOptions { BaseUrl = response.FinalUrl, ContentType = response.ContentType, ContentLocation = response.ContentLocation }), null);
        }
        catch (FeedParseException ex)
        {
            return (null, FetchError.FromParse(ex, response));
        }
    }

    /// <summary>The site page's icon links, else /favicon.ico. Looked up once per feed.</summary>
    private async Task<string?> FindSiteIconAsync(string siteUrl, CancellationToken ct)
    {
        if (!Uri.TryCreate(siteUrl, UriKind.Absolute, out var site) || site.Scheme is not ("http" or "https"))
        {
            return null;
        }
        using var page = await fetcher.FetchPageAsync(site.AbsoluteUri, ct).ConfigureAwait(false);
        if (page.IsSuccess && FeedDiscovery.LooksLikeHtml(page.Body.Span))
        {
            var icons = FeedDiscovery.FindIcons(Encoding.UTF8.GetString(page.Body.Span), new Uri(page.FinalUrl));
            if (icons.Count > 0)
            {
                return icons[0];
            }
        }
        return new Uri(site, "/favicon.ico").AbsoluteUri;
    }

    public void Dispose() => _slots.Dispose();
}
