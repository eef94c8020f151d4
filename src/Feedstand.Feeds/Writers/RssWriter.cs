using System.Globalization;
using System.Xml;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Writers;

/// <summary>Writes a feed as RSS 2.0, streaming, with content:encoded for full content.</summary>
public static class RssWriter
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";

    public const string ContentType = "application/rss+xml; charset=utf-8";

    public static void Write(ParsedFeed feed, Stream output)
    {
        ArgumentNullException.ThrowIfNull(feed);
        using var writer = XmlWriter.Create(output, XmlText.Settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("rss");
        writer.WriteAttributeString("version", "2.0");
        writer.WriteAttributeString("xmlns", "atom", null, AtomNs);
        writer.WriteAttributeString("xmlns", "content", null, ContentNs);
        writer.WriteAttributeString("xmlns", "dc", null, DcNs);
        writer.WriteStartElement("channel");
        writer.WriteElementString("title", XmlText.Clean(feed.Title ?? ""));
        writer.WriteElementString("link", feed.Link ?? feed.Self ?? "");
        writer.WriteElementString("description", XmlText.Clean(feed.Subtitle ?? feed.Title ?? ""));
        XmlText.Element(writer, "language", feed.Language);
        XmlText.Element(writer, "copyright", feed.Rights);
        if (XmlText.Newest(feed) is { } updated)
        {
            writer.WriteElementString("lastBuildDate", XmlText.Rfc822(updated));
        }
        XmlText.Element(writer, "generator", feed.Generator ?? "Feedstand");
        if (feed.Ttl is { } ttl)
        {
            writer.WriteElementString("ttl", ttl.ToString(CultureInfo.InvariantCulture));
        }
        if (feed.Self is { } self)
        {
            writer.WriteStartElement("atom", "link", AtomNs);
            writer.WriteAttributeString("href", self);
            writer.WriteAttributeString("rel", "self");
            writer.WriteAttributeString("type", "application/rss+xml");
            writer.WriteEndElement();
        }
        if ((feed.Image ?? feed.Icon) is { } image && feed.Link is { } link)
        {
            writer.WriteStartElement("image");
            writer.WriteElementString("url", image);
            writer.WriteElementString("title", XmlText.Clean(feed.Title ?? ""));
            writer.WriteElementString("link", link);
            writer.WriteEndElement();
        }
        foreach (var entry in feed.Entries)
        {
            WriteItem(writer, entry);
        }
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void WriteItem(XmlWriter writer, ParsedEntry entry)
    {
        writer.WriteStartElement("item");
        XmlText.Element(writer, "title", entry.Title);
        XmlText.Element(writer, "link", entry.Link);
        if ((entry.Id ?? entry.Link) is { } guid)
        {
            writer.WriteStartElement("guid");
            writer.WriteAttributeString("isPermaLink", guid == entry.Link ? "true" : "false");
            writer.WriteString(XmlText.Clean(guid));
            writer.WriteEndElement();
        }
        if ((entry.Published ?? entry.Updated) is { } date)
        {
            writer.WriteElementString("pubDate", XmlText.Rfc822(date));
        }
        foreach (var author in entry.Authors)
        {
            XmlText.Element(writer, "dc", "creator", DcNs, author.Name ?? author.Email);
        }
        foreach (var category in entry.Categories)
        {
            XmlText.Element(writer, "category", category.Label ?? category.Term);
        }
        XmlText.Element(writer, "description", entry.SummaryHtml ?? entry.ContentHtml);
        if (entry.ContentHtml is { Length: > 0 } content)
        {
            writer.WriteElementString("content", "encoded", ContentNs, XmlText.Clean(content));
        }
        XmlText.Element(writer, "comments", entry.Comments);
        foreach (var enclosure in entry.Enclosures)
        {
            writer.WriteStartElement("enclosure");
            writer.WriteAttributeString("url", enclosure.Url);
            writer.WriteAttributeString("length", (enclosure.Length ?? 0).ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("type", enclosure.Type ?? "application/octet-stream");
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }
}
