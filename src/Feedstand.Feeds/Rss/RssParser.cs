using System.Globalization;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Xml;

namespace Feedstand.Feeds.Rss;

/// <summary>
/// RSS 0.90–0.94 and 2.0, and RSS 1.0 (RDF), whose channel, image and items are siblings
/// under &lt;rdf:RDF&gt; but use the same element names.
/// </summary>
internal static class RssParser
{
    /// <summary>Reads an &lt;rss&gt; element; the reader is on its start tag.</summary>
    public static void ReadRss(FeedXmlReader x, FeedBuilder b)
    {
        b.Feed.Format = FormatOf(x.Attribute("version"), b);
        var rootLanguage = FeedBuilder.Language(x.Raw.XmlLang);
        var depth = x.Depth;
        while (x.NextChild(depth))
        {
            var name = x.Name;
            if (IsCore(x.Namespace) && name == "channel")
            {
                ReadChannel(x, b);
            }
            else if (IsCore(x.Namespace) && name == "item")
            {
                // Items outside the channel (seen in broken RSS 0.9x).
                ReadItem(x, b);
            }
            else if (!ExtensionElements.ReadFeedChild(x, b, x.Namespace, name))
            {
                x.Skip();
            }
        }
        b.Feed.Language ??= rootLanguage;
        Finish(b);
    }

    /// <summary>
    /// Reads a bare &lt;channel&gt; root: a CDF document (Microsoft's Channel Definition Format,
    /// upper-case &lt;CHANNEL HREF=...&gt;), or RSS with its &lt;rss&gt; wrapper missing.
    /// </summary>
    public static void ReadChannelDocument(FeedXmlReader x, FeedBuilder b)
    {
        if (x.Raw.LocalName == "CHANNEL" || x.AnyAttribute("lastmod") is not null || (x.AnyAttribute("href") is not null && x.Raw.LocalName != "channel"))
        {
            b.Feed.Format = FeedFormat.Cdf;
            b.Feed.Link ??= FeedBuilder.Url(x.Base, x.AnyAttribute("href"));
            if (b.Feed.Link is not null)
            {
                FeedBuilder.AddLink(b.Feed.Links, new FeedLink("alternate", b.Feed.Link));
            }
            b.SetFeedUpdated(b.Date(x.AnyAttribute("lastmod"), "LASTMOD"), standard: true);
        }
        else
        {
            b.Feed.Format = FeedFormat.Rss20;
            b.AddError("The <channel> element has no <rss> parent; it was read as RSS 2.0.");
        }
        ReadChannel(x, b);
        Finish(b);
    }

    /// <summary>Reads an &lt;rdf:RDF&gt; element (RSS 1.0 or 0.90).</summary>
    public static void ReadRdf(FeedXmlReader x, FeedBuilder b)
    {
        b.Feed.Format = FeedFormat.Rss10;
        var depth = x.Depth;
        while (x.NextChild(depth))
        {
            var ns = x.Namespace;
            var name = x.Name;
            if (ns == Ns.Rss090 && name is "channel" or "item")
            {
                b.Feed.Format = FeedFormat.Rss090;
            }
            if (!IsCore(ns))
            {
                if (!ExtensionElements.ReadFeedChild(x, b, ns, name))
                {
                    x.Skip();
                }
                continue;
            }
            switch (name)
            {
                case "channel":
                    ReadChannel(x, b);
                    break;
                case "item":
                    ReadItem(x, b);
                    break;
                case "image":
                    ReadImage(x, b);
                    break;
                default:
                    x.Skip();
                    break;
            }
        }
        Finish(b);
    }

    private static FeedFormat FormatOf(string? version, FeedBuilder b)
    {
        switch (version?.Trim())
        {
            case "0.90" or "0.9":
                return FeedFormat.Rss090;
            case "0.91":
                return FeedFormat.Rss091;
            case "0.92":
                return FeedFormat.Rss092;
            case "0.93":
                return FeedFormat.Rss093;
            case "0.94":
                return FeedFormat.Rss094;
            case "2.0" or "2.00" or "2" or "2.0.1" or "2.0.10" or "2.01":
                return FeedFormat.Rss20;
            case null or "":
                b.AddError("The <rss> element has no version; it was read as RSS 2.0.");
                return FeedFormat.Rss20;
            default:
                b.AddError($"Unknown RSS version \"{version.Trim()}\"; it was read as RSS 2.0.");
                return FeedFormat.Rss20;
        }
    }

    /// <summary>Elements of RSS itself: no namespace, the RSS 1.0/0.90 namespaces, or an unknown default namespace.</summary>
    private static bool IsCore(Ns ns) => ns is Ns.None or Ns.Rss10 or Ns.Rss090 or Ns.Other;

    private static void ReadChannel(FeedXmlReader x, FeedBuilder b)
    {
        var feed = b.Feed;
        DateTimeOffset? published = null;
        var depth = x.Depth;
        while (x.NextChild(depth))
        {
            var ns = x.Namespace;
            var name = x.Name;
            if (!IsCore(ns))
            {
                if (!ExtensionElements.ReadFeedChild(x, b, ns, name))
                {
                    x.Skip();
                }
                continue;
            }
            switch (name)
            {
                case "item":
                    ReadItem(x, b);
                    break;
                case "title":
                    feed.Title ??= FeedBuilder.RssTitle(x.ReadText());
                    break;
                case "link":
                    feed.Link ??= ReadAlternateLink(x, feed.Links);
                    break;
                case "description":
                    feed.Subtitle ??= FeedBuilder.PlainTitle(x.ReadText(), TextKind.Html);
                    break;
                case "language":
                    feed.Language ??= FeedBuilder.Language(x.ReadText());
                    break;
                case "copyright":
                    feed.Rights ??= FeedBuilder.PlainTitle(x.ReadText(), TextKind.Text);
                    break;
                case "managingeditor" or "author":
                    FeedBuilder.AddPerson(feed.Authors, FeedBuilder.Person(x.ReadText()));
                    break;
                case "abstract" when b.Feed.Format == FeedFormat.Cdf:
                    feed.Subtitle ??= FeedBuilder.PlainTitle(x.ReadText(), TextKind.Html);
                    break;
                case "logo" when b.Feed.Format == FeedFormat.Cdf:
                    feed.Image ??= FeedBuilder.Url(x.Base, x.AnyAttribute("href"));
                    x.Skip();
                    break;
                case "lastbuilddate":
                    b.SetFeedUpdated(b.Date(x.ReadText(), "lastBuildDate"), standard: true);
                    break;
                case "pubdate":
                    published = b.Date(x.ReadText(), "pubDate");
                    break;
                case "category":
                    var domain = FeedBuilder.Clean(x.Attribute("domain"));
                    FeedBuilder.AddCategory(feed.Categories, x.ReadText(), domain);
                    break;
                case "generator":
                    feed.Generator ??= FeedBuilder.Clean(x.ReadText());
                    break;
                case "ttl":
                    if (int.TryParse(x.ReadText().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ttl) && ttl >= 0)
                    {
                        feed.Ttl = ttl;
                    }
                    break;
                case "image":
                    ReadImage(x, b);
                    break;
                default:
                    x.Skip();
                    break;
            }
        }
        b.SetFeedUpdated(published, standard: true);
    }

    private static void ReadImage(FeedXmlReader x, FeedBuilder b)
    {
        // RSS 1.0 channels point at the image with rdf:resource; the image element follows.
        var resource = x.Attribute("resource", Namespaces.RdfUri);
        var depth = x.Depth;
        string? url = null;
        while (x.NextChild(depth))
        {
            if (x.Name == "url" && IsCore(x.Namespace))
            {
                url = FeedBuilder.Url(x.Base, x.ReadText());
            }
            else
            {
                x.Skip();
            }
        }
        b.Feed.Image ??= url ?? FeedBuilder.Url(x.Base, resource);
    }

    private static void ReadItem(FeedXmlReader x, FeedBuilder b)
    {
        var draft = new EntryDraft();
        var entry = draft.Entry;
        var about = x.Attribute("about", Namespaces.RdfUri);
        var isCdf = b.Feed.Format == FeedFormat.Cdf;
        var cdfHref = isCdf ? x.AnyAttribute("href") : null;
        var cdfLastMod = isCdf ? x.AnyAttribute("lastmod") : null;
        var depth = x.Depth;
        while (x.NextChild(depth))
        {
            var ns = x.Namespace;
            var name = x.Name;
            if (!IsCore(ns))
            {
                if (!ExtensionElements.ReadEntryChild(x, b, draft, ns, name))
                {
                    x.Skip();
                }
                continue;
            }
            switch (name)
            {
                case "title":
                    entry.Title ??= FeedBuilder.RssTitle(x.ReadText());
                    break;
                case "link":
                    entry.Link ??= ReadAlternateLink(x, entry.Links);
                    break;
                case "description" or "abstract":
                    draft.Summary ??= new RawHtml(FeedBuilder.DecodeDoubleEscaped(x.ReadText()), x.HasExplicitBase ? x.Base : null);
                    break;
                case "body" or "fullitem":
                    // Full content without the content module: <body> (inline XHTML, no namespace) and <fullitem>.
                    draft.SetContent(new RawHtml(name == "body" ? x.ReadMarkup() : x.ReadText(), x.HasExplicitBase ? x.Base : null),
                        name == "body" ? ContentRank.Body : ContentRank.FullItem);
                    break;
                case "guid":
                    var isPermaLink = x.Attribute("isPermaLink") ?? x.AnyAttribute("isPermaLink");
                    var guid = FeedBuilder.Clean(x.ReadText());
                    if (guid is not null && entry.Id is null)
                    {
                        entry.Id = guid;
                        if (!string.Equals(isPermaLink?.Trim(), "false", StringComparison.OrdinalIgnoreCase) && LooksLikeWebUrl(guid))
                        {
                            draft.PermalinkGuid = FeedBuilder.Url(x.Base, guid);
                        }
                    }
                    break;
                case "pubdate":
                    draft.SetPublished(b.Date(x.ReadText(), "pubDate"), standard: true);
                    break;
                case "author":
                    FeedBuilder.AddPerson(entry.Authors, FeedBuilder.Person(x.ReadText()));
                    break;
                case "category":
                    var domain = FeedBuilder.Clean(x.Attribute("domain"));
                    FeedBuilder.AddCategory(entry.Categories, x.ReadText(), domain);
                    break;
                case "comments":
                    entry.Comments ??= FeedBuilder.Url(x.Base, x.ReadText());
                    break;
                case "enclosure":
                    FeedBuilder.AddEnclosure(entry, FeedBuilder.Url(x.Base, x.AnyAttribute("url")), x.AnyAttribute("type"), x.AnyAttribute("length"));
                    x.Skip();
                    break;
                case "updated" or "lastbuilddate":
                    draft.SetUpdated(b.Date(x.ReadText(), name), standard: true);
                    break;
                default:
                    x.Skip();
                    break;
            }
        }
        if (about is not null)
        {
            // RSS 1.0: rdf:about names the item (its id when it has no guid), usually its page.
            entry.Id ??= FeedBuilder.Clean(about);
            if (entry.Link is null && LooksLikeWebUrl(about))
            {
                entry.Link = FeedBuilder.Url(x.Base, about);
            }
        }
        if (cdfHref is not null)
        {
            entry.Link ??= FeedBuilder.Url(x.Base, cdfHref);
            draft.SetUpdated(b.Date(cdfLastMod, "LASTMOD"), standard: true);
        }
        b.FinishEntry(draft);
    }

    /// <summary>
    /// An RSS &lt;link&gt; (its text, or an href on a self-closed one) made absolute and added to
    /// <paramref name="links"/> as the alternate link; null when it holds none.
    /// </summary>
    private static string? ReadAlternateLink(FeedXmlReader x, List<FeedLink> links)
    {
        var href = x.IsEmpty ? x.AnyAttribute("href") : x.ReadText();
        var link = FeedBuilder.Url(x.Base, href);
        if (link is not null)
        {
            FeedBuilder.AddLink(links, new FeedLink("alternate", link));
        }
        return link;
    }

    private static void Finish(FeedBuilder b)
    {
        var feed = b.Feed;
        feed.Link ??= FeedBuilder.AlternateLink(feed.Links);
    }

    private static bool LooksLikeWebUrl(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith('/');
}
