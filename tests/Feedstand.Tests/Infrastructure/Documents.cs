using System.Globalization;
using System.Text;

namespace Feedstand.Tests.Infrastructure;

/// <summary>Feed documents for the loopback server.</summary>
public static class Documents
{
    public sealed record Item(string Id, string Title, DateTimeOffset Published, string Body = "<p>Hello.</p>");

    /// <summary>An RSS 2.0 feed with the given items, newest first as most feeds list them.</summary>
    public static string Rss(string title, IEnumerable<Item> items, string link = "https://blog.example/", int? ttl = null, string? image = "https://blog.example/icon.png")
    {
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>{title}</title><link>{link}</link><description>About {title}</description><language>en-GB</language>
            """);
        if (ttl is { } minutes)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<ttl>{minutes}</ttl>");
        }
        if (image is not null)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<image><url>{image}</url><title>{title}</title><link>{link}</link></image>");
        }
        foreach (var item in items)
        {
            xml.Append(CultureInfo.InvariantCulture, $"""
                <item><guid isPermaLink="false">{item.Id}</guid><title>{item.Title}</title><link>{link}{item.Id}</link>
                <pubDate>{item.Published.ToString("r", CultureInfo.InvariantCulture)}</pubDate>
                <description><![CDATA[{item.Body}]]></description></item>
                """);
        }
        xml.Append("</channel></rss>");
        return xml.ToString();
    }

    /// <summary>Items one day apart, the newest <paramref name="newest"/>.</summary>
    public static List<Item> Daily(int count, DateTimeOffset newest, string prefix = "post") =>
        Enumerable.Range(0, count).Select(i => new Item($"{prefix}-{count - i}", $"Post {count - i}", newest.AddDays(-i))).ToList();

    public const string HtmlPage = """
        <!DOCTYPE html>
        <html><head><title>A blog</title><link rel="icon" href="/static/icon.png"></head><body><p>Hello</p></body></html>
        """;
}
