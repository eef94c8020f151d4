using System.Globalization;
using System.Xml;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Writers;

/// <summary>Writes a feed as Atom 1.0 (RFC 4287), streaming.</summary>
public static class AtomWriter
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";

    public const string ContentType = "application/atom+xml; charset=utf-8";

    public static void Write(ParsedFeed feed, Stream output)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var updated = XmlText.Newest(feed) ?? DateTimeOffset.UnixEpoch;
        using var writer = XmlWriter.Create(output, XmlText.Settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("feed", AtomNs);
        if (feed.Language is { Length: > 0 } language)
        {
            writer.WriteAttributeString("xml", "lang", null, language);
        }
        writer.WriteElementString("title", AtomNs, XmlText.Clean(feed.Title ?? ""));
        XmlText.Element(writer, "subtitle", feed.Subtitle);
        writer.WriteElementString("id", AtomNs, feed.Id ?? feed.Self ?? feed.Link ?? "urn:feedstand:feed");
        writer.WriteElementString("updated", AtomNs, XmlText.Rfc3339(updated));
        Link(writer, "self", feed.Self, "application/atom+xml");
        Link(writer, "alternate", feed.Link, "text/html");
        foreach (var author in feed.Authors)
        {
            Author(writer, author);
        }
        writer.WriteStartElement("generator", AtomNs);
        writer.WriteString(XmlText.Clean(feed.Generator ?? "Feedstand"));
        writer.WriteEndElement();
        XmlText.Element(writer, "icon", feed.Icon);
        XmlText.Element(writer, "logo", feed.Image);
        XmlText.Element(writer, "rights", feed.Rights);
        foreach (var entry in feed.Entries)
        {
            WriteEntry(writer, entry, updated);
        }
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void WriteEntry(XmlWriter writer, ParsedEntry entry, DateTimeOffset feedUpdated)
    {
        writer.WriteStartElement("entry", AtomNs);
        writer.WriteElementString("title", AtomNs, XmlText.Clean(entry.Title ?? ""));
        var id = entry.Id ?? entry.Link ?? "urn:feedstand:entry:" +
            (entry.Published ?? feedUpdated).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        writer.WriteElementString("id", AtomNs, XmlText.Clean(id));
        writer.WriteElementString("updated", AtomNs, XmlText.Rfc3339(entry.Updated ?? entry.Published ?? feedUpdated));
        if (entry.Published is { } published)
        {
            writer.WriteElementString("published", AtomNs, XmlText.Rfc3339(published));
        }
        Link(writer, "alternate", entry.Link, null);
        foreach (var author in entry.Authors)
        {
            Author(writer, author);
        }
        foreach (var category in entry.Categories)
        {
            writer.WriteStartElement("category", AtomNs);
            writer.WriteAttributeString("term", XmlText.Clean(category.Term));
            if (category.Label is { } label)
            {
                writer.WriteAttributeString("label", XmlText.Clean(label));
            }
            writer.WriteEndElement();
        }
        foreach (var enclosure in entry.Enclosures)
        {
            writer.WriteStartElement("link", AtomNs);
            writer.WriteAttributeString("rel", "enclosure");
            writer.WriteAttributeString("href", enclosure.Url);
            if (enclosure.Type is { } type)
            {
                writer.WriteAttributeString("type", type);
            }
            if (enclosure.Length is { } length)
            {
                writer.WriteAttributeString("length", length.ToString(CultureInfo.InvariantCulture));
            }
            writer.WriteEndElement();
        }
        Html(writer, "summary", entry.SummaryHtml);
        Html(writer, "content", entry.ContentHtml);
        writer.WriteEndElement();
    }

    private static void Html(XmlWriter writer, string name, string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return;
        }
        writer.WriteStartElement(name, AtomNs);
        writer.WriteAttributeString("type", "html");
        writer.WriteString(XmlText.Clean(html));
        writer.WriteEndElement();
    }

    private static void Link(XmlWriter writer, string rel, string? href, string? type)
    {
        if (string.IsNullOrEmpty(href))
        {
            return;
        }
        writer.WriteStartElement("link", AtomNs);
        writer.WriteAttributeString("rel", rel);
        if (type is not null)
        {
            writer.WriteAttributeString("type", type);
        }
        writer.WriteAttributeString("href", href);
        writer.WriteEndElement();
    }

    private static void Author(XmlWriter writer, Person person)
    {
        writer.WriteStartElement("author", AtomNs);
        writer.WriteElementString("name", AtomNs, XmlText.Clean(person.Name ?? person.Email ?? ""));
        XmlText.Element(writer, "email", person.Email);
        XmlText.Element(writer, "uri", person.Uri);
        writer.WriteEndElement();
    }
}
