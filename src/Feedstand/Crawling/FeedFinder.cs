using System.Text;
using Feedstand.Feeds;
using Feedstand.Feeds.Discovery;
using Feedstand.Feeds.Model;

namespace Feedstand.Crawling;

/// <summary>A feed found behind a URL: where it lives, the response it came in, and the parsed feed.</summary>
public sealed class FoundFeed(string feedUrl, FetchResult fetched, ParsedFeed feed) : IDisposable
{
    /// <summary>The feed's own URL (after discovery and redirects).</summary>
    public string FeedUrl { get; } = feedUrl;
    public FetchResult Fetched { get; } = fetched;
    public ParsedFeed Feed { get; } = feed;

    public void Dispose() => Fetched.Dispose();
}

/// <summary>Either a feed, or why none was found.</summary>
public sealed record FindResult(FoundFeed? Found, FetchError? Error);

/// <summary>
/// Discovery for <c>add</c>, <c>/preview</c> and <c>/submit</c>: the URL is a feed, or an HTML
/// page whose <c>&lt;link rel="alternate"&gt;</c> points at one, or a site that serves one at a
/// common path (<c>/feed</c>, <c>/rss.xml</c>, <c>/atom.xml</c>, <c>/index.xml</c>, <c>/feed.json</c>…).
/// Every fetch goes through the SSRF guard.
/// </summary>
public sealed class FeedFinder(FeedFetcher fetcher, AddressGuard guard)
{
    private const int MaxAlternates = 5;
    private const int MaxCommonPaths = 8;

    public async Task<FindResult> FindAsync(string url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        url = url.Trim();
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            url = "https://" + url;
        }
        if (await guard.CheckUrlAsync(url, ct).ConfigureAwait(false) is { } refused)
        {
            return new FindResult(null, refused);
        }

        var first = await fetcher.FetchAsync(url, null, ct).ConfigureAwait(false);
        if (first.Error is { } error)
        {
            first.Dispose();
            return new FindResult(null, error);
        }
        if (TryParse(first, out var parsed, out var parseError))
        {
            return new FindResult(new FoundFeed(first.FinalUrl, first, parsed), null);
        }

        try
        {
            if (!FeedDiscovery.LooksLikeHtml(first.Body.Span))
            {
                return new FindResult(null, parseError);
            }
            var pageUrl = new Uri(first.FinalUrl);
            var html = Encoding.UTF8.GetString(first.Body.Span);
            var candidates = FeedDiscovery.FindFeeds(html, pageUrl).Take(MaxAlternates).Select(f => f.Url).ToList();
            foreach (var path in FeedDiscovery.CommonFeedPaths.Take(MaxCommonPaths))
            {
                var candidate = new Uri(pageUrl, path).AbsoluteUri;
                if (!candidates.Contains(candidate) && candidate != pageUrl.AbsoluteUri)
                {
                    candidates.Add(candidate);
                }
            }
            foreach (var candidate in candidates)
            {
                var fetched = await fetcher.FetchAsync(candidate, null, ct).ConfigureAwait(false);
                if (fetched.IsSuccess && TryParse(fetched, out var feed, out _))
                {
                    return new FindResult(new FoundFeed(fetched.FinalUrl, fetched, feed), null);
                }
                fetched.Dispose();
            }
            return new FindResult(null, new FetchError(FetchErrorKind.NotAFeed,
                $"no feed found: {pageUrl.AbsoluteUri} is an HTML page without a feed link, and none of the common feed paths answered with a feed"));
        }
        finally
        {
            first.Dispose();
        }
    }

    private static bool TryParse(FetchResult fetched, out ParsedFeed feed, out FetchError error)
    {
        try
        {
            feed = FeedParser.Parse(fetched.Body, new FeedParseOptions { BaseUrl = fetched.FinalUrl, ContentType = fetched.ContentType });
            error = null!;
            return true;
        }
        catch (FeedParseException ex)
        {
            feed = null!;
            error = FeedDiscovery.LooksLikeHtml(fetched.Body.Span)
                ? new FetchError(FetchErrorKind.NotAFeed, "not a feed: the server returned an HTML page", Status: fetched.Status)
                : new FetchError(FetchErrorKind.Unparseable, ex.Message, Status: fetched.Status);
            return false;
        }
    }
}
