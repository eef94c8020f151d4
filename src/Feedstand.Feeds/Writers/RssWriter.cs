using System.Globalization;
using System.Xml;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Writers;

/// <summary>
/// Writes a feed as RSS 2.0, streaming, with content:encoded for full content, in the form the W3C
/// Feed Validator accepts without warnings: RFC 822 dates, an atom:link to itself, guids with the
/// right isPermaLink, an image only when it is GIF, JPEG or PNG, plain text that looks like markup
/// in CDATA, URIs escaped, one enclosure per item, RFC 5005 paging links.
/// </summary>
public static class RssWriter
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";
    private const string HistoryNs = "http://purl.org/syndication/history/1.0";

    public const string ContentType = "application/rss+xml; charset=utf-8";

    public static void Write(ParsedFeed feed, Stream output) => Write(feed, output, FeedWriteOptions.Default);

    public static void Write(ParsedFeed feed, Stream output, FeedWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(options);
        var title = XmlText.FeedTitle(feed);
        var self = UriText.Full(feed.Self);
        var link = UriText.Full(feed.Link) ?? self;
        using var writer = XmlWriter.Create(output, XmlText.Settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("rss");
        writer.WriteAttributeString("version", "2.0");
        writer.WriteAttributeString("xmlns", "atom", null, AtomNs);
        writer.WriteAttributeString("xmlns", "content", null, ContentNs);
        writer.WriteAttributeString("xmlns", "dc", null, DcNs);
        if (options.IsArchive)
        {
            writer.WriteAttributeString("xmlns", "fh", null, HistoryNs);
        }
        writer.WriteStartElement("channel");
        Text(writer, "title", title);
        if (link is not null)
        {
            writer.WriteElementString("link", link);
        }
        Text(writer, "description", string.IsNullOrWhiteSpace(feed.Subtitle) ? title : feed.Subtitle.Trim());
        if (XmlText.Language(feed.Language) is { } language)
        {
            writer.WriteElementString("language", language);
        }
        if (!string.IsNullOrWhiteSpace(feed.Rights))
        {
            Text(writer, "copyright", feed.Rights.Trim());
        }
        writer.WriteElementString("lastBuildDate", XmlText.Rfc822(XmlText.FeedUpdated(feed, options)));
        Text(writer, "generator", string.IsNullOrWhiteSpace(feed.Generator) ? "Feedstand" : feed.Generator.Trim());
        if (feed.Ttl is > 0 and { } ttl)
        {
            writer.WriteElementString("ttl", ttl.ToString(CultureInfo.InvariantCulture));
        }
        AtomLink(writer, "self", self, "application/rss+xml");
        foreach (var hub in feed.Hubs)
        {
            AtomLink(writer, "hub", UriText.Full(hub), null);
        }
        foreach (var paging in options.PagingLinks)
        {
            AtomLink(writer, paging.Rel, UriText.Full(paging.Href), paging.Type ?? "application/rss+xml");
        }
        if (options.IsArchive)
        {
            writer.WriteStartElement("fh", "archive", HistoryNs);
            writer.WriteEndElement();
        }
        if (link is not null && Image(feed) is { } image)
        {
            writer.WriteStartElement("image");
            writer.WriteElementString("url", image);
            Text(writer, "title", title);
            writer.WriteElementString("link", link);
            writer.WriteEndElement();
        }
        var ids = StableIds.ForEntries(feed);
        for (var i = 0; i < feed.Entries.Count; i++)
        {
            WriteItem(writer, feed.Entries[i], ids[i]);
        }
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    /// <summary>The feed's image, else its icon, when it is a GIF, JPEG or PNG: the only images RSS allows.</summary>
    private static string? Image(ParsedFeed feed)
    {
        foreach (var url in (ReadOnlySpan<string?>)[feed.Image, feed.Icon])
        {
            if (UriText.Full(url) is { } full && UriText.IsHttp(full) && UriText.IsRssImage(full))
            {
                return full;
            }
        }
        return null;
    }

    private static void WriteItem(XmlWriter writer, ParsedEntry entry, string guid)
    {
        writer.WriteStartElement("item");
        var description = string.IsNullOrWhiteSpace(entry.SummaryHtml) ? entry.ContentHtml : entry.SummaryHtml;
        var hasDescription = !string.IsNullOrWhiteSpace(description);
        if (!string.IsNullOrWhiteSpace(entry.Title) || !hasDescription)
        {
            Text(writer, "title", XmlText.EntryTitle(entry));
        }
        var link = UriText.Full(entry.Link);
        if (link is not null)
        {
            writer.WriteElementString("link", link);
        }
        writer.WriteStartElement("guid");
        writer.WriteAttributeString("isPermaLink", guid == link && UriText.IsHttp(guid) ? "true" : "false");
        writer.WriteString(guid);
        writer.WriteEndElement();
        if ((entry.Published ?? entry.Updated) is { } date)
        {
            writer.WriteElementString("pubDate", XmlText.Rfc822(date));
        }
        foreach (var author in entry.Authors)
        {
            var name = string.IsNullOrWhiteSpace(author.Name) ? author.Email : author.Name;
            if (!string.IsNullOrWhiteSpace(name))
            {
                writer.WriteStartElement("dc", "creator", DcNs);
                CharacterData(writer, name.Trim());
                writer.WriteEndElement();
            }
        }
        foreach (var category in entry.Categories)
        {
            var name = string.IsNullOrWhiteSpace(category.Label) ? category.Term : category.Label;
            if (!string.IsNullOrWhiteSpace(name))
            {
                Text(writer, "category", name.Trim());
            }
        }
        if (hasDescription)
        {
            writer.WriteElementString("description", XmlText.Clean(description!));
        }
        if (!string.IsNullOrWhiteSpace(entry.ContentHtml) && !ReferenceEquals(entry.ContentHtml, description))
        {
            writer.WriteElementString("content", "encoded", ContentNs, XmlText.Clean(entry.ContentHtml));
        }
        if (UriText.Full(entry.Comments) is { } comments)
        {
            writer.WriteElementString("comments", comments);
        }
        // RSS 2.0 allows one enclosure per item (readers take the first): the first http(s) one.
        foreach (var enclosure in entry.Enclosures)
        {
            if (UriText.Full(enclosure.Url) is not { } url || !UriText.IsHttpUrl(url))
            {
                continue;
            }
            writer.WriteStartElement("enclosure");
            writer.WriteAttributeString("url", url);
            writer.WriteAttributeString("length", (enclosure.Length is >= 0 and { } length ? length : 0).ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("type", XmlText.Mime(enclosure.Type) ?? "application/octet-stream");
            writer.WriteEndElement();
            break;
        }
        writer.WriteEndElement();
    }

    /// <summary>
    /// A plain-text element. Readers (and our parser) take RSS titles as HTML, so text that would
    /// read as markup is HTML-escaped once, and put in CDATA as the RSS Profile asks.
    /// </summary>
    private static void Text(XmlWriter writer, string name, string text)
    {
        writer.WriteStartElement(name);
        CharacterData(writer, text);
        writer.WriteEndElement();
    }

    private static void CharacterData(XmlWriter writer, string text)
    {
        var clean = XmlText.Clean(text);
        if (XmlText.LooksLikeMarkup(clean))
        {
            writer.WriteCData(XmlText.HtmlEscape(clean));
        }
        else
        {
            writer.WriteString(clean);
        }
    }

    private static void AtomLink(XmlWriter writer, string rel, string? href, string? type)
    {
        if (href is null)
        {
            return;
        }
        writer.WriteStartElement("atom", "link", AtomNs);
        writer.WriteAttributeString("href", href);
        writer.WriteAttributeString("rel", rel);
        if (type is not null)
        {
            writer.WriteAttributeString("type", type);
        }
        writer.WriteEndElement();
    }
}
