using System.Globalization;
using System.Xml;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Writers;

/// <summary>
/// Writes a feed as Atom 1.0 (RFC 4287), streaming, in the form the W3C Feed Validator accepts
/// without warnings: a real <c>updated</c> on the feed and unique ones on entries, an author for
/// every entry, ids that are absolute URIs, no blank titles, text that looks like markup sent as
/// escaped HTML, URIs escaped, RFC 5005 paging links.
/// </summary>
public static class AtomWriter
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string HistoryNs = "http://purl.org/syndication/history/1.0";

    public const string ContentType = "application/atom+xml; charset=utf-8";

    public static void Write(ParsedFeed feed, Stream output) => Write(feed, output, FeedWriteOptions.Default);

    public static void Write(ParsedFeed feed, Stream output, FeedWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(options);
        var updated = XmlText.FeedUpdated(feed, options);
        var title = XmlText.FeedTitle(feed);
        using var writer = XmlWriter.Create(output, XmlText.Settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("feed", AtomNs);
        if (options.IsArchive)
        {
            writer.WriteAttributeString("xmlns", "fh", null, HistoryNs);
        }
        if (XmlText.Language(feed.Language) is { } language)
        {
            writer.WriteAttributeString("xml", "lang", null, language);
        }
        Text(writer, "title", title);
        if (!string.IsNullOrWhiteSpace(feed.Subtitle))
        {
            Text(writer, "subtitle", feed.Subtitle.Trim());
        }
        writer.WriteElementString("id", AtomNs, StableIds.ForFeed(feed));
        writer.WriteElementString("updated", AtomNs, XmlText.Rfc3339(updated));
        Link(writer, "self", UriText.Reference(feed.Self), "application/atom+xml");
        Link(writer, "alternate", UriText.Reference(feed.Link), "text/html");
        foreach (var hub in feed.Hubs)
        {
            // WebSub: where a subscriber asks for pushes of this feed (its topic is the self link).
            Link(writer, "hub", UriText.Reference(hub), null);
        }
        foreach (var link in options.PagingLinks)
        {
            Link(writer, link.Rel, UriText.Reference(link.Href), link.Type ?? "application/atom+xml");
        }
        if (options.IsArchive)
        {
            writer.WriteStartElement("fh", "archive", HistoryNs);
            writer.WriteEndElement();
        }
        var wroteAuthor = false;
        foreach (var author in feed.Authors)
        {
            wroteAuthor |= Author(writer, author);
        }
        if (!wroteAuthor && feed.Entries.Exists(e => !e.Authors.Exists(HasName)))
        {
            // Atom wants an author for every entry: the feed's title stands in for a feed that names none.
            Author(writer, new Person(title));
        }
        writer.WriteStartElement("generator", AtomNs);
        writer.WriteString(XmlText.Clean(string.IsNullOrWhiteSpace(feed.Generator) ? "Feedstand" : feed.Generator.Trim()));
        writer.WriteEndElement();
        Uri(writer, "icon", UriText.Reference(feed.Icon));
        Uri(writer, "logo", UriText.Reference(feed.Image));
        if (!string.IsNullOrWhiteSpace(feed.Rights))
        {
            Text(writer, "rights", feed.Rights.Trim());
        }
        var taken = new HashSet<DateTimeOffset>();
        var ids = StableIds.ForEntries(feed);
        for (var i = 0; i < feed.Entries.Count; i++)
        {
            var entry = feed.Entries[i];
            WriteEntry(writer, entry, ids[i], XmlText.UniqueUpdated(entry.Updated ?? entry.Published ?? updated, taken));
        }
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void WriteEntry(XmlWriter writer, ParsedEntry entry, string id, DateTimeOffset updated)
    {
        writer.WriteStartElement("entry", AtomNs);
        Text(writer, "title", XmlText.EntryTitle(entry));
        writer.WriteElementString("id", AtomNs, id);
        writer.WriteElementString("updated", AtomNs, XmlText.Rfc3339(updated));
        if (entry.Published is { } published)
        {
            writer.WriteElementString("published", AtomNs, XmlText.Rfc3339(XmlText.Seconds(published)));
        }
        var link = UriText.Reference(entry.Link);
        Link(writer, "alternate", link, null);
        foreach (var author in entry.Authors)
        {
            Author(writer, author);
        }
        foreach (var category in entry.Categories)
        {
            if (string.IsNullOrWhiteSpace(category.Term))
            {
                continue;
            }
            writer.WriteStartElement("category", AtomNs);
            writer.WriteAttributeString("term", XmlText.Clean(category.Term.Trim()));
            if (UriText.Full(category.Scheme) is { } scheme)
            {
                writer.WriteAttributeString("scheme", scheme);
            }
            if (!string.IsNullOrWhiteSpace(category.Label))
            {
                writer.WriteAttributeString("label", XmlText.Clean(category.Label.Trim()));
            }
            writer.WriteEndElement();
        }
        foreach (var enclosure in entry.Enclosures)
        {
            if (UriText.Reference(enclosure.Url) is not { } href)
            {
                continue;
            }
            writer.WriteStartElement("link", AtomNs);
            writer.WriteAttributeString("rel", "enclosure");
            if (XmlText.Mime(enclosure.Type) is { } type)
            {
                writer.WriteAttributeString("type", type);
            }
            if (enclosure.Length is >= 0 and { } length)
            {
                writer.WriteAttributeString("length", length.ToString(CultureInfo.InvariantCulture));
            }
            writer.WriteAttributeString("href", href);
            writer.WriteEndElement();
        }
        var hasContent = !string.IsNullOrWhiteSpace(entry.ContentHtml);
        if (!hasContent && link is null)
        {
            // An entry with neither content nor a link to it must carry its text as content.
            if (!Html(writer, "content", entry.SummaryHtml))
            {
                Text(writer, "content", XmlText.EntryTitle(entry));
            }
        }
        else if (!Html(writer, "summary", entry.SummaryHtml) && !hasContent)
        {
            // An entry with no text needs a summary: its title says what it is.
            Text(writer, "summary", XmlText.EntryTitle(entry));
        }
        Html(writer, "content", entry.ContentHtml);
        writer.WriteEndElement();
    }

    private static bool HasName(Person person) =>
        !string.IsNullOrWhiteSpace(person.Name) || !string.IsNullOrWhiteSpace(person.Email);

    /// <summary>A text construct: plain text, or escaped HTML when the text would otherwise read as markup.</summary>
    private static void Text(XmlWriter writer, string name, string text)
    {
        writer.WriteStartElement(name, AtomNs);
        var clean = XmlText.Clean(text);
        if (XmlText.LooksLikeMarkup(clean))
        {
            writer.WriteAttributeString("type", "html");
            writer.WriteString(XmlText.HtmlEscape(clean));
        }
        else
        {
            writer.WriteString(clean);
        }
        writer.WriteEndElement();
    }

    private static bool Html(XmlWriter writer, string name, string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return false;
        }
        writer.WriteStartElement(name, AtomNs);
        writer.WriteAttributeString("type", "html");
        writer.WriteString(XmlText.Clean(html));
        writer.WriteEndElement();
        return true;
    }

    private static void Uri(XmlWriter writer, string name, string? uri)
    {
        if (uri is not null)
        {
            writer.WriteElementString(name, AtomNs, uri);
        }
    }

    private static void Link(XmlWriter writer, string rel, string? href, string? type)
    {
        if (href is null)
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

    private static bool Author(XmlWriter writer, Person person)
    {
        var name = !string.IsNullOrWhiteSpace(person.Name) ? person.Name.Trim()
            : !string.IsNullOrWhiteSpace(person.Email) ? person.Email.Trim()
            : null;
        if (name is null)
        {
            return false;
        }
        writer.WriteStartElement("author", AtomNs);
        writer.WriteElementString("name", AtomNs, XmlText.Clean(name));
        if (XmlText.EmailAddress(person.Email) is { } email)
        {
            writer.WriteElementString("email", AtomNs, email);
        }
        if (UriText.Full(person.Uri) is { } uri)
        {
            writer.WriteElementString("uri", AtomNs, uri);
        }
        writer.WriteEndElement();
        return true;
    }
}
