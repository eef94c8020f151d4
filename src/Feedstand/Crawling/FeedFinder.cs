using System.Diagnostics.CodeAnalysis;
using System.Text;
using Feedstand.Feeds.Discovery;
using Feedstand.Feeds.Model;

namespace Feedstand.Crawling;

/// <summary>
/// What discovery found behind a URL: a feed (its own URL, the response it came in, the parsed
/// feed), or the feeds an HTML page offers to choose from, or why none was found.
/// </summary>
public sealed class FoundFeed : IDisposable
{
    /// <summary>The feed's own URL (after discovery and redirects).</summary>
    public string? FeedUrl { get; private init; }
    public FetchResult? Response { get; private init; }
    public ParsedFeed? Feed { get; private init; }

    /// <summary>The feeds the page links to, when it links to several and the caller asked to choose.</summary>
    public IReadOnlyList<DiscoveredFeed> Choices { get; private init; } = [];
    public FetchError? Error { get; private init; }

    [MemberNotNullWhen(true, nameof(FeedUrl), nameof(Response), nameof(Feed))]
    public bool IsFound => Feed is not null;

    internal static FoundFeed Of(FetchResult response, ParsedFeed feed) => new() { FeedUrl = response.FinalUrl, Response = response, Feed = feed };
    internal static FoundFeed Failed(FetchError error) => new() { Error = error };
    internal static FoundFeed Choose(IReadOnlyList<DiscoveredFeed> choices) => new() { Choices = choices };

    public void Dispose() => Response?.Dispose();
}

/// <summary>
/// Discovery for <c>add</c>, <c>/preview</c> and <c>/submit</c>: the URL is a feed, or an HTML
/// page whose <c>&lt;link rel="alternate"&gt;</c> points at one, or a site that serves one at a
/// common path (<c>/feed</c>, <c>/rss.xml</c>, <c>/atom.xml</c>, <c>/index.xml</c>, <c>/feed.json</c>…).
/// Every fetch goes through the SSRF guard; the URL itself is fetched once.
/// </summary>
public sealed class FeedFinder(FeedFetcher fetcher, AddressGuard guard)
{
    private const int MaxAlternates = 5;
    private const int MaxCommonPaths = 8;

    /// <param name="offerChoices">When the page links to more than one feed, return them as <see cref="FoundFeed.Choices"/> instead of taking the first that answers.</param>
    public async Task<FoundFeed> FindAsync(string url, CancellationToken ct, bool offerChoices = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        url = url.Trim();
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            url = "https://" + url;
        }
        if (await guard.CheckUrlAsync(url, ct).ConfigureAwait(false) is { } refused)
        {
            return FoundFeed.Failed(refused);
        }

        var first = await fetcher.FetchAsync(url, null, ct).ConfigureAwait(false);
        if (first.Error is { } error)
        {
            first.Dispose();
            return FoundFeed.Failed(error);
        }
        var (parsed, parseError) = FeedReader.Parse(first);
        if (parsed is not null)
        {
            return FoundFeed.Of(first, parsed);
        }

        using (first)
        {
            if (!FeedDiscovery.LooksLikeHtml(first.Body.Span))
            {
                return FoundFeed.Failed(parseError!);
            }
            var pageUrl = new Uri(first.FinalUrl);
            var html = Encoding.UTF8.GetString(first.Body.Span);
            var alternates = FeedDiscovery.FindFeeds(html, pageUrl);
            if (offerChoices && alternates.Count > 1)
            {
                return FoundFeed.Choose(alternates);
            }
            var candidates = alternates.Take(MaxAlternates).Select(f => f.Url).ToList();
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
                if (fetched.IsSuccess && FeedReader.Parse(fetched) is ({ } feed, _))
                {
                    return FoundFeed.Of(fetched, feed);
                }
                fetched.Dispose();
            }
            return FoundFeed.Failed(new FetchError(FetchErrorKind.NotAFeed,
                $"no feed found: {pageUrl.AbsoluteUri} is an HTML page without a feed link, and none of the common feed paths answered with a feed"));
        }
    }
}
