using System.Text.RegularExpressions;

namespace Feedstand.Discovery;

/// <summary>Which requests are a person subscribing, as opposed to a crawler, a prefetch or another site.</summary>
public static partial class Visitors
{
    /// <summary>User agents of crawlers, link previewers, monitors and HTTP libraries.</summary>
    [GeneratedRegex(
        @"bot\b|bot/|crawl|spider|slurp|scrap|fetch|preview|monitor|check|headless|phantom|lighthouse|pingdom|facebookexternalhit|" +
        @"curl|wget|python|java/|go-http|okhttp|httpclient|libwww|axios|node-fetch|undici|feed|reader|rss",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Robots();

    public static bool IsRobot(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || !userAgent.StartsWith("Mozilla/", StringComparison.Ordinal) || Robots().IsMatch(userAgent);

    /// <summary>
    /// A click on one of our subscribe links: a GET the browser marks as a top-level navigation the
    /// user started (<c>Sec-Fetch-Mode: navigate</c>, <c>Sec-Fetch-User: ?1</c>) from one of our own
    /// pages (<c>Sec-Fetch-Site: same-origin</c>), by a browser's user agent. Crawlers, prefetches, HEAD,
    /// links from other sites and browsers too old to send fetch metadata are not counted (they are
    /// still redirected).
    /// </summary>
    public static bool IsSubscribeClick(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;
        return HttpMethods.IsGet(request.Method)
            && headers["Sec-Fetch-Mode"] == "navigate"
            && headers["Sec-Fetch-User"] == "?1"
            && headers["Sec-Fetch-Site"] == "same-origin"
            && !IsRobot(headers.UserAgent);
    }

    /// <summary>
    /// The copy button's POST: sent by our own script from our own page (<c>Sec-Fetch-Site:
    /// same-origin</c>, or, from a browser without fetch metadata, an <c>Origin</c> that is ours).
    /// Anything else is refused, so another site cannot make its visitors count.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site == "same-origin";
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && string.Equals(origin, request.Scheme + "://" + request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What identifies a visitor for the day's hash: the client address (after trusted proxies) and user agent.</summary>
    public static (string Address, string UserAgent) Identify(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
        var agent = context.Request.Headers.UserAgent.ToString();
        return (address, agent.Length > 512 ? agent[..512] : agent);
    }
}
