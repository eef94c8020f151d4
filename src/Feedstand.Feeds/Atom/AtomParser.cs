using Feedstand.Feeds.Model;
using Feedstand.Feeds.Xml;

namespace Feedstand.Feeds.Atom;

/// <summary>Atom 1.0 and 0.3 (and Atom elements used inside RSS).</summary>
internal static class AtomParser
{
    /// <summary>Reads a &lt;feed&gt; element; the reader is on its start tag.</summary>
    public static void ReadFeed(FeedXmlReader x, FeedBuilder b)
    {
        var feed = b.Feed;
        feed.Format = x.Namespace == Ns.Atom03 || x.Attribute("version")?.Trim() == "0.3" ? FeedFormat.Atom03 : FeedFormat.Atom10;
        if (x.Namespace is not (Ns.Atom10 or Ns.Atom03))
        {
            b.AddError("The <feed> element is not in the Atom namespace; it was read as Atom.");
        }
        feed.Language = FeedBuilder.Language(x.Raw.XmlLang);
        var depth = x.Depth;
        while (x.NextChild(depth))
        {
            var ns = x.Namespace;
            var name = x.Name;
            if (ns is Ns.Atom10 or Ns.Atom03 or Ns.None or Ns.Other)
            {
                if (name == "entry")
                {
                    ReadEntry(x, b);
                    continue;
                }
                if (ReadFeedChild(x, b, name))
                {
                    continue;
                }
            }
            if (!ExtensionElements.ReadFeedChild(x, b, ns, name))
            {
                x.Skip();
            }
        }
        feed.Link ??= FeedBuilder.AlternateLink(feed.Links);
    }

    /// <summary>Reads a lone &lt;entry&gt; document as a feed of one entry.</summary>
    public static void ReadEntryDocument(FeedXmlReader x, FeedBuilder b)
    {
        b.Feed.Format = x.Namespace == Ns.Atom03 ? FeedFormat.Atom03 : FeedFormat.Atom10;
        b.Feed.Language = FeedBuilder.Language(x.Raw.XmlLang);
        ReadEntry(x, b);
    }

    /// <summary>An Atom element at feed level (also atom:* inside an RSS channel). False when not an Atom feed element.</summary>
    public static bool ReadFeedChild(FeedXmlReader x, FeedBuilder b, string name)
    {
        var feed = b.Feed;
        switch (name)
        {
            case "title":
                feed.Title ??= ReadPlainText(x);
                return true;
            case "subtitle" or "tagline":
                feed.Subtitle ??= ReadPlainText(x);
                return true;
            case "link":
                ReadLink(x, b, feed.Links, entry: null);
                return true;
            case "id":
                feed.Id ??= FeedBuilder.Clean(x.ReadText());
                return true;
            case "updated" or "modified":
                b.SetFeedUpdated(b.Date(x.ReadText(), name), standard: true);
                return true;
            case "author":
                FeedBuilder.AddPerson(feed.Authors, ReadPerson(x, b));
                return true;
            case "category":
                ReadCategory(x, feed.Categories);
                return true;
            case "generator":
                feed.Generator ??= FeedBuilder.Clean(x.ReadText());
                return true;
            case "rights" or "copyright":
                feed.Rights ??= ReadPlainText(x);
                return true;
            case "icon":
                feed.Icon ??= FeedBuilder.Url(x.Base, x.ReadText());
                return true;
            case "logo":
                feed.Image ??= FeedBuilder.Url(x.Base, x.ReadText());
                return true;
            default:
                return false;
        }
    }

    private static void ReadEntry(FeedXmlReader x, FeedBuilder b)
    {
        var draft = new EntryDraft();
        var depth = x.Depth;
        while (x.NextChild(depth))
        {
            var ns = x.Namespace;
            var name = x.Name;
            if (ns is Ns.Atom10 or Ns.Atom03 or Ns.None or Ns.Other && ReadEntryChild(x, b, draft, name))
            {
                continue;
            }
            if (!ExtensionElements.ReadEntryChild(x, b, draft, ns, name))
            {
                x.Skip();
            }
        }
        b.FinishEntry(draft);
    }

    /// <summary>An Atom element inside an entry (also atom:* inside an RSS item). False when not an Atom entry element.</summary>
    public static bool ReadEntryChild(FeedXmlReader x, FeedBuilder b, EntryDraft draft, string name)
    {
        var entry = draft.Entry;
        switch (name)
        {
            case "title":
                entry.Title ??= ReadPlainText(x);
                return true;
            case "link":
                ReadLink(x, b, entry.Links, draft);
                return true;
            case "id":
                entry.Id ??= FeedBuilder.Clean(x.ReadText());
                return true;
            case "published" or "issued" or "created":
                draft.SetPublished(b.Date(x.ReadText(), name), standard: true);
                return true;
            case "updated" or "modified":
                draft.SetUpdated(b.Date(x.ReadText(), name), standard: true);
                return true;
            case "author":
                FeedBuilder.AddPerson(entry.Authors, ReadPerson(x, b));
                return true;
            case "category":
                ReadCategory(x, entry.Categories);
                return true;
            case "summary":
                draft.Summary ??= ReadHtml(x);
                return true;
            case "content":
                ReadContent(x, b, draft);
                return true;
            case "source" or "contributor" or "rights":
                // The source of a copied entry and its rights describe another feed: not this entry's fields.
                x.Skip();
                return true;
            default:
                return false;
        }
    }

    private static void ReadContent(FeedXmlReader x, FeedBuilder b, EntryDraft draft)
    {
        var src = x.Attribute("src");
        if (src is not null)
        {
            // Out-of-line content: a link to it, no content of its own.
            var href = FeedBuilder.Url(x.Base, src);
            if (href is not null)
            {
                FeedBuilder.AddLink(draft.Entry.Links, new FeedLink("alternate", href, FeedBuilder.Clean(x.Attribute("type"))));
            }
            x.Skip();
            return;
        }
        var type = x.Attribute("type")?.Trim().ToLowerInvariant();
        if (type is not null && type is not ("text" or "html" or "xhtml" or "text/plain" or "text/html" or "application/xhtml+xml")
            && !type.StartsWith("text/", StringComparison.Ordinal) && !type.EndsWith("+xml", StringComparison.Ordinal) && type != "application/xml")
        {
            // Base64 media content (an image, a PDF): nothing to show as HTML.
            b.AddError($"Entry content of type \"{type}\" was left out.");
            x.Skip();
            return;
        }
        draft.SetContent(ReadHtml(x), ContentRank.Full);
    }

    /// <summary>An Atom text construct as HTML (plain text escaped).</summary>
    public static RawHtml ReadHtml(FeedXmlReader x)
    {
        var baseUri = x.HasExplicitBase ? x.Base : null;
        var (text, kind) = ReadTextConstruct(x);
        return new RawHtml(FeedBuilder.HtmlOf(text, kind), baseUri);
    }

    private static string? ReadPlainText(FeedXmlReader x)
    {
        var (text, kind) = ReadTextConstruct(x);
        return FeedBuilder.PlainTitle(text, kind);
    }

    /// <summary>Reads text/html/xhtml (Atom 1.0 type) or escaped/xml/base64 (Atom 0.3 mode).</summary>
    private static (string Text, TextKind Kind) ReadTextConstruct(FeedXmlReader x)
    {
        var type = x.Attribute("type")?.Trim().ToLowerInvariant();
        var mode = x.Attribute("mode")?.Trim().ToLowerInvariant();
        var kind = type switch
        {
            null or "" or "text" or "text/plain" => TextKind.Text,
            "xhtml" or "application/xhtml+xml" => TextKind.Xhtml,
            _ => TextKind.Html,
        };
        if (mode == "base64")
        {
            var encoded = x.ReadText();
            try
            {
                var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Trim()));
                return (text, kind == TextKind.Xhtml ? TextKind.Html : kind);
            }
            catch (FormatException)
            {
                return ("", TextKind.Text);
            }
        }
        if (kind == TextKind.Xhtml)
        {
            return (x.ReadXhtml(), TextKind.Xhtml);
        }
        if (mode == "xml")
        {
            return (x.ReadMarkup(), TextKind.Html);
        }
        var content = x.ReadText();
        if (kind == TextKind.Text && mode == "escaped" && type is null)
        {
            kind = TextKind.Html;
        }
        return (content, kind);
    }

    private static void ReadLink(FeedXmlReader x, FeedBuilder b, List<FeedLink> links, EntryDraft? entry)
    {
        var rel = FeedBuilder.Clean(x.Attribute("rel"))?.ToLowerInvariant() ?? "alternate";
        var type = FeedBuilder.Clean(x.Attribute("type"));
        var title = FeedBuilder.Clean(x.Attribute("title"));
        long? length = long.TryParse(x.Attribute("length"), out var size) && size > 0 ? size : null;
        var baseUri = x.Base;
        var rawHref = x.Attribute("href") ?? x.AnyAttribute("href");
        // An RSS-style link, with the URL as text, inside an Atom-namespaced element. An empty
        // href is a same-document reference: the base itself.
        var href = rawHref is not null && string.IsNullOrWhiteSpace(rawHref) && x.HasExplicitBase
            ? FeedBuilder.Url(null, baseUri?.AbsoluteUri)
            : FeedBuilder.Url(baseUri, rawHref ?? x.ReadText());
        x.Skip();
        if (href is null)
        {
            return;
        }
        var link = new FeedLink(rel, href, type, title, length);
        FeedBuilder.AddLink(links, link);

        var feed = b.Feed;
        if (entry is null)
        {
            switch (link.Rel)
            {
                case "self":
                    feed.Self ??= link.Href;
                    break;
                case "hub":
                    if (!feed.Hubs.Contains(link.Href))
                    {
                        feed.Hubs.Add(link.Href);
                    }
                    break;
            }
            return;
        }
        switch (link.Rel)
        {
            case "enclosure":
                FeedBuilder.AddEnclosure(entry.Entry, link.Href, link.Type, link.Length?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "replies" when link.Type is null || link.Type.Contains("html", StringComparison.OrdinalIgnoreCase):
                entry.Entry.Comments ??= link.Href;
                break;
        }
    }

    private static Person? ReadPerson(FeedXmlReader x, FeedBuilder b)
    {
        if (x.IsEmpty)
        {
            return null;
        }
        string? name = null, email = null, uri = null, text = null;
        var depth = x.Depth;
        var hadChildren = false;
        if (!x.Raw.Read())
        {
            return null;
        }
        // Either <name>/<email>/<uri> children or, in broken feeds, plain text.
        do
        {
            if (x.Raw.NodeType == System.Xml.XmlNodeType.EndElement && x.Raw.Depth == depth)
            {
                break;
            }
            if (x.Raw.NodeType is System.Xml.XmlNodeType.Text or System.Xml.XmlNodeType.CDATA && x.Raw.Depth == depth + 1)
            {
                text += x.Raw.Value;
            }
            else if (x.Raw.NodeType == System.Xml.XmlNodeType.Element && x.Raw.Depth == depth + 1)
            {
                hadChildren = true;
                switch (x.Name)
                {
                    case "name":
                        name = Sanitizing.PlainText.Collapse(x.ReadText());
                        break;
                    case "email":
                        email = FeedBuilder.Clean(x.ReadText());
                        break;
                    case "uri" or "url" or "homepage":
                        // Atom 1.0 uri; Atom 0.3 url; homepage in older drafts. The first one wins.
                        var personUrl = FeedBuilder.PersonUrl(x.Base, x.ReadText());
                        uri ??= personUrl;
                        break;
                    default:
                        x.Skip();
                        break;
                }
            }
        }
        while (x.Raw.Read());
        if (!hadChildren)
        {
            return FeedBuilder.Person(text);
        }
        if (name is null && email is null && uri is null)
        {
            return null;
        }
        _ = b;
        return new Person(name, email, uri);
    }

    private static void ReadCategory(FeedXmlReader x, List<Category> categories)
    {
        var term = x.Attribute("term");
        var scheme = FeedBuilder.Clean(x.Attribute("scheme"));
        var label = x.Attribute("label");
        if (term is null)
        {
            // Atom 0.3 and broken feeds: <category>text</category>.
            term = x.ReadText();
        }
        else
        {
            x.Skip();
        }
        FeedBuilder.AddCategory(categories, term, scheme, label);
    }
}
