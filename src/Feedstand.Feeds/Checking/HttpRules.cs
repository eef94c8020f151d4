namespace Feedstand.Feeds.Checking;

/// <summary>The HTTP behaviour section: validators and a real 304, compression, caching, type, redirects, TLS, size, speed.</summary>
internal static class HttpRules
{
    public static void Check(HttpFacts http, string? format, List<Finding> findings)
    {
        void Add(string id, string? detail = null) => findings.Add(FindingCatalog.Make(id, null, null, 0, detail));

        if (http.Error is { } error)
        {
            Add(http.Status is 429 or 503 && http.RetryAfterSeconds is null ? "RateLimitedWithoutRetryAfter" : "FetchFailed", error);
        }
        if (http.RetryAfterSeconds is { } wait)
        {
            Add("RetryAfter", $"{wait:0} s");
        }
        foreach (var hop in http.Redirects)
        {
            Add(hop.Status is 301 or 308 ? "PermanentRedirect" : "TemporaryRedirect", $"HTTP {hop.Status}: {hop.From} -> {hop.To}");
        }
        if (!http.IsHttps)
        {
            Add("NotHttps", http.FinalUrl);
        }
        if (http.Status is not (>= 200 and < 300))
        {
            return;
        }
        if (http.ETag is null && http.LastModified is null)
        {
            Add("NoValidators");
        }
        else if (http.ConditionalStatus is { } conditional)
        {
            Add(conditional == 304 ? "ConditionalHonoured" : "ConditionalNotHonoured", $"HTTP {conditional}");
        }
        if (http.ContentEncoding is null or "" or "identity" && http.BodyBytes > 1024)
        {
            Add("NotCompressed", $"{http.BodyBytes} bytes");
        }
        if (http.CacheControl is null || !http.CacheControl.Contains("max-age", StringComparison.OrdinalIgnoreCase))
        {
            Add("NoCacheControl", http.CacheControl);
        }
        if (!IsExpectedType(http.ContentType, format))
        {
            Add("UnexpectedContentType", http.ContentType ?? "(none)");
        }
        if (http.BodyBytes > 1 << 20)
        {
            Add("LargeFeed", $"{http.BodyBytes / 1024} KB");
        }
        if (http.TimeToFirstByteMs > 1000)
        {
            Add("SlowFirstByte", $"{http.TimeToFirstByteMs:0} ms");
        }
    }

    private static bool IsExpectedType(string? contentType, string? format)
    {
        if (contentType is null)
        {
            return false;
        }
        var type = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return format switch
        {
            "json" => type is "application/feed+json" or "application/json",
            "atom" => type is "application/atom+xml" or "application/xml" or "text/xml",
            "rdf" => type is "application/rdf+xml" or "application/rss+xml" or "application/xml" or "text/xml",
            _ => type is "application/rss+xml" or "application/xml" or "text/xml" or "application/atom+xml" or "application/rdf+xml",
        };
    }
}
