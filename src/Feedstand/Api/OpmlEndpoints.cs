using System.Text;
using System.Xml;
using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Api;

/// <summary>/opml and /tags/{tag}.opml: OPML 2.0 of the directory or one tag, tags as categories.</summary>
public static class OpmlEndpoints
{
    public const string ContentType = "text/x-opml; charset=utf-8";

    private sealed record Row(long Id, string Title, string FeedUrl, string? SiteUrl, string? Description, string? Language, List<string> Tags, DateTimeOffset? LastEntryAt);

    public static IEndpointRouteBuilder MapOpmlEndpoints(this IEndpointRouteBuilder routes)
    {
        string[] getAndHead = [HttpMethods.Get, HttpMethods.Head];
        routes.MapMethods("/opml", getAndHead, AllAsync).CacheOutput(PageCache.PolicyName);
        routes.MapMethods("/tags/{tag}.opml", getAndHead, TagAsync).CacheOutput(PageCache.PolicyName);
        return routes;
    }

    public static async Task<Conditional> AllAsync(FeedstandDb db, TimeProvider clock, CancellationToken ct)
    {
        var rows = await LoadAsync(db.Feeds, ct);
        return Write("Feedstand directory", rows, await CountAsync(db, rows, clock, ct));
    }

    public static async Task<Results<Conditional, NotFound>> TagAsync(FeedstandDb db, TimeProvider clock, string tag, CancellationToken ct)
    {
        var name = tag.ToLowerInvariant();
        if (!await db.Tags.AnyAsync(t => t.Name == name, ct))
        {
            return TypedResults.NotFound();
        }
        var rows = await LoadAsync(db.Feeds.Where(f => f.Tags.Any(t => t.Name == name)), ct);
        return Write("Feedstand: " + name, rows, await CountAsync(db, rows, clock, ct));
    }

    /// <summary>Subscriptions this month per feed, written as the <c>subscriptions</c> attribute of each outline.</summary>
    private static Task<Dictionary<long, Discovery.SubscriptionTally>> CountAsync(FeedstandDb db, List<Row> rows, TimeProvider clock, CancellationToken ct) =>
        Discovery.Subscriptions.ThisMonthAsync(db, rows.ConvertAll(r => r.Id), clock.GetUtcNow(), ct);

    private static Task<List<Row>> LoadAsync(IQueryable<Feed> feeds, CancellationToken ct) =>
        feeds.AsNoTracking()
            .Where(f => f.Status == FeedStatus.Active)
            .OrderBy(f => f.Id)
            .Select(f => new Row(f.Id, f.DisplayTitle, f.FeedUrl, f.SiteUrl,
                f.DisplayDescription, f.Language,
                f.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(), f.LastEntryAt))
            .ToListAsync(ct);

    private static Conditional Write(string title, List<Row> rows, Dictionary<long, Discovery.SubscriptionTally> subscriptions)
    {
        using var buffer = new MemoryStream(rows.Count * 200 + 256);
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = true,
            CheckCharacters = false,
        }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("opml");
            writer.WriteAttributeString("version", "2.0");
            writer.WriteStartElement("head");
            writer.WriteElementString("title", title);
            writer.WriteEndElement();
            writer.WriteStartElement("body");
            foreach (var row in rows)
            {
                writer.WriteStartElement("outline");
                writer.WriteAttributeString("type", "rss");
                writer.WriteAttributeString("text", Clean(row.Title));
                writer.WriteAttributeString("title", Clean(row.Title));
                writer.WriteAttributeString("xmlUrl", row.FeedUrl);
                if (row.SiteUrl is { } site)
                {
                    writer.WriteAttributeString("htmlUrl", site);
                }
                if (row.Description is { Length: > 0 } description)
                {
                    writer.WriteAttributeString("description", Clean(description));
                }
                if (row.Language is { } language)
                {
                    writer.WriteAttributeString("language", language);
                }
                if (row.Tags.Count > 0)
                {
                    writer.WriteAttributeString("category", string.Join(',', row.Tags.Select(t => "/" + t)));
                }
                writer.WriteAttributeString("subscriptions",
                    (subscriptions.GetValueOrDefault(row.Id)?.Total ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        return new Conditional(buffer.ToArray(), ContentType, rows.Count == 0 ? null : rows.Max(r => r.LastEntryAt));
    }

    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (XmlConvert.IsXmlChar(c) || char.IsSurrogate(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
