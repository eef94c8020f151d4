using Feedstand.Crawling;
using Feedstand.Feeds.Model;

namespace Feedstand.WebSub;

/// <summary>
/// WebSub discovery (§4): the hub and the topic (<c>self</c>) from the fetch's <c>Link</c> headers
/// first, then from the document's own links; the topic falls back to the URL fetched.
/// </summary>
public static class Discovery
{
    /// <summary>The first usable hub and the topic; (null, null) when the feed names no hub.</summary>
    public static (string? Hub, string? Topic) Find(FetchResult response, ParsedFeed? parsed)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? hub = null;
        string? self = null;
        var baseUri = Uri.TryCreate(response.FinalUrl, UriKind.Absolute, out var final) ? final : null;
        foreach (var value in response.LinkHeaders)
        {
            foreach (var (href, rels) in ParseLinkHeader(value))
            {
                var absolute = Absolute(baseUri, href);
                if (absolute is null)
                {
                    continue;
                }
                if (hub is null && rels.Contains("hub"))
                {
                    hub = absolute;
                }
                if (self is null && rels.Contains("self"))
                {
                    self = absolute;
                }
            }
        }
        if (hub is null && parsed is not null)
        {
            foreach (var candidate in parsed.Hubs)
            {
                if (Absolute(baseUri, candidate) is { } absolute)
                {
                    hub = absolute;
                    break;
                }
            }
        }
        if (hub is null)
        {
            return (null, null);
        }
        self ??= parsed?.Self is { } documentSelf ? Absolute(baseUri, documentSelf) : null;
        return (hub, self ?? response.FinalUrl);
    }

    /// <summary>
    /// The links of one <c>Link</c> header value (RFC 8288): <c>&lt;url&gt;; rel="hub self", &lt;url2&gt;; rel=next</c>.
    /// Lenient: a malformed part is skipped.
    /// </summary>
    public static IEnumerable<(string Href, HashSet<string> Rels)> ParseLinkHeader(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var position = 0;
        while (position < value.Length)
        {
            var open = value.IndexOf('<', position);
            if (open < 0)
            {
                yield break;
            }
            var close = value.IndexOf('>', open + 1);
            if (close < 0)
            {
                yield break;
            }
            var href = value[(open + 1)..close].Trim();
            var next = value.IndexOf('<', close + 1);
            var parameters = next < 0 ? value[(close + 1)..] : value[(close + 1)..next];
            position = next < 0 ? value.Length : next;
            var rels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in parameters.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
                {
                    var rel = parameter[(equals + 1)..].Trim().TrimEnd(',').Trim('"');
                    foreach (var one in rel.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        rels.Add(one);
                    }
                }
            }
            if (rels.Count > 0)
            {
                yield return (href, rels);
            }
        }
    }

    private static string? Absolute(Uri? baseUri, string href)
    {
        // Resolved against the response's URL first: on Unix "/x" alone would parse as an absolute file: URI.
        if (baseUri is not null ? Uri.TryCreate(baseUri, href, out var absolute) : Uri.TryCreate(href, UriKind.Absolute, out absolute))
        {
            return absolute.Scheme is "http" or "https" && absolute.AbsoluteUri.Length <= 2048 ? absolute.AbsoluteUri : null;
        }
        return null;
    }
}
