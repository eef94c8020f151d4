using Feedstand.Feeds.Atom;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Xml;

/// <summary>
/// The namespaced vocabularies real feeds mix into RSS and Atom: content, Dublin Core,
/// Media RSS, iTunes, Atom-in-RSS, FeedBurner, admin. Each method returns false for an
/// element it does not know, leaving it to the caller to skip.
/// </summary>
internal static class ExtensionElements
{
    /// <summary>The scheme of iTunes categories and keywords (as feedparser and Apple name it).</summary>
    public const string ItunesScheme = "http://www.itunes.com/";

    public static bool ReadFeedChild(FeedXmlReader x, FeedBuilder b, Ns ns, string name)
    {
        var feed = b.Feed;
        switch (ns)
        {
            case Ns.Atom10 or Ns.Atom03:
                return AtomParser.ReadFeedChild(x, b, name);
            case Ns.DublinCore:
                switch (name)
                {
                    case "title":
                        feed.Title ??= FeedBuilder.RssTitle(x.ReadText());
                        return true;
                    case "description":
                        feed.Subtitle ??= FeedBuilder.PlainTitle(x.ReadText(), TextKind.Html);
                        return true;
                    case "creator" or "author" or "publisher":
                        FeedBuilder.AddPerson(feed.Authors, FeedBuilder.Person(x.ReadText()));
                        return true;
                    case "subject":
                        FeedBuilder.AddCategory(feed.Categories, x.ReadText());
                        return true;
                    case "date":
                        b.SetFeedUpdated(b.Date(x.ReadText(), "dc:date"), standard: false);
                        return true;
                    case "language":
                        feed.Language ??= FeedBuilder.Language(x.ReadText());
                        return true;
                    case "rights":
                        feed.Rights ??= FeedBuilder.PlainTitle(x.ReadText(), TextKind.Text);
                        return true;
                }
                return false;
            case Ns.DcTerms when name is "modified" or "updated":
                b.SetFeedUpdated(b.Date(x.ReadText(), "dcterms:" + name), standard: false);
                return true;
            case Ns.DcTerms when name is "created" or "issued":
                // A feed has no published date in the contract: its creation stands in for updated when nothing else does.
                b.SetFeedUpdated(b.Date(x.ReadText(), "dcterms:" + name), standard: false);
                return true;
            case Ns.Itunes:
                switch (name)
                {
                    case "author":
                        if (feed.Authors.Count == 0)
                        {
                            FeedBuilder.AddPerson(feed.Authors, FeedBuilder.Person(x.ReadText()));
                        }
                        return true;
                    case "subtitle" or "summary":
                        feed.Subtitle ??= FeedBuilder.PlainTitle(x.ReadText(), TextKind.Text);
                        return true;
                    case "image":
                        feed.Image ??= FeedBuilder.Url(x.Base, x.Attribute("href") ?? x.Attribute("url") ?? x.ReadText());
                        return true;
                    case "category":
                        ReadItunesCategory(x, feed.Categories);
                        return true;
                    case "keywords":
                        AddKeywords(feed.Categories, x.ReadText());
                        return true;
                }
                return false;
            case Ns.GooglePlay when name == "image":
                feed.Image ??= FeedBuilder.Url(x.Base, x.Attribute("href"));
                return true;
            case Ns.Media:
                switch (name)
                {
                    case "thumbnail":
                        feed.Image ??= FeedBuilder.Url(x.Base, x.Attribute("url"));
                        return true;
                    case "category":
                        var scheme = FeedBuilder.Clean(x.Attribute("scheme"));
                        var label = x.Attribute("label");
                        FeedBuilder.AddCategory(feed.Categories, x.ReadText(), scheme, label);
                        return true;
                }
                return false;
            case Ns.Admin when name == "generatoragent":
                feed.Generator ??= FeedBuilder.Clean(x.AnyAttribute("resource"));
                return true;
            default:
                return false;
        }
    }

    public static bool ReadEntryChild(FeedXmlReader x, FeedBuilder b, EntryDraft draft, Ns ns, string name)
    {
        var entry = draft.Entry;
        switch (ns)
        {
            case Ns.Content when name == "encoded":
                draft.SetContent(new RawHtml(x.ReadText(), x.HasExplicitBase ? x.Base : null), ContentRank.Full);
                return true;
            case Ns.Atom10 or Ns.Atom03:
                return AtomParser.ReadEntryChild(x, b, draft, name);
            case Ns.DublinCore:
                switch (name)
                {
                    case "title":
                        draft.DcTitle ??= FeedBuilder.RssTitle(x.ReadText());
                        return true;
                    case "creator" or "contributor" or "author":
                        FeedBuilder.AddPerson(entry.Authors, FeedBuilder.Person(x.ReadText()));
                        return true;
                    case "subject":
                        FeedBuilder.AddCategory(entry.Categories, x.ReadText());
                        return true;
                    case "date":
                        // dc:date is the one date of RSS 1.0 items: when it was published and last changed.
                        var date = b.Date(x.ReadText(), "dc:date");
                        draft.SetPublished(date, standard: false);
                        draft.SetUpdated(date, standard: false);
                        return true;
                    case "description":
                        draft.FallbackSummary ??= new RawHtml(x.ReadText(), x.HasExplicitBase ? x.Base : null);
                        return true;
                    case "identifier":
                        entry.Id ??= FeedBuilder.Clean(x.ReadText());
                        return true;
                }
                return false;
            case Ns.DcTerms:
                switch (name)
                {
                    case "modified" or "updated":
                        draft.SetUpdated(b.Date(x.ReadText(), "dcterms:" + name), standard: false);
                        return true;
                    case "created" or "issued" or "available":
                        draft.SetPublished(b.Date(x.ReadText(), "dcterms:" + name), standard: false);
                        return true;
                }
                return false;
            case Ns.Media:
                return ReadMediaChild(x, b, draft, name);
            case Ns.Itunes:
                switch (name)
                {
                    case "author":
                        if (entry.Authors.Count == 0)
                        {
                            FeedBuilder.AddPerson(entry.Authors, FeedBuilder.Person(x.ReadText()));
                        }
                        return true;
                    case "summary" or "subtitle":
                        draft.FallbackSummary ??= new RawHtml(FeedBuilder.HtmlOf(x.ReadText(), TextKind.Text), null);
                        return true;
                    case "image":
                        entry.Image ??= FeedBuilder.Url(x.Base, x.Attribute("href") ?? x.Attribute("url") ?? x.ReadText());
                        return true;
                    case "keywords":
                        AddKeywords(entry.Categories, x.ReadText());
                        return true;
                    case "category":
                        ReadItunesCategory(x, entry.Categories);
                        return true;
                    case "title":
                        draft.MediaTitle ??= FeedBuilder.PlainTitle(x.ReadText(), TextKind.Text);
                        return true;
                }
                return false;
            case Ns.Feedburner when name == "origlink":
                draft.OriginalLink = FeedBuilder.Url(x.Base, x.ReadText());
                return true;
            case Ns.Xhtml when name is "body" or "div":
                draft.SetContent(new RawHtml(x.ReadMarkup(), x.HasExplicitBase ? x.Base : null), ContentRank.Body);
                return true;
            default:
                return false;
        }
    }

    private static bool ReadMediaChild(FeedXmlReader x, FeedBuilder b, EntryDraft draft, string name)
    {
        var entry = draft.Entry;
        switch (name)
        {
            case "content":
                var url = FeedBuilder.Url(x.Base, x.Attribute("url"));
                var type = x.Attribute("type");
                var medium = x.Attribute("medium");
                if (url is not null)
                {
                    if (type is null && medium == "image")
                    {
                        entry.Image ??= url;
                    }
                    else
                    {
                        FeedBuilder.AddEnclosure(entry, url, type, x.Attribute("fileSize") ?? x.Attribute("filesize"));
                    }
                }
                // media:content may hold its own title, description and thumbnail.
                ReadChildren(x, b, draft);
                return true;
            case "group":
                ReadChildren(x, b, draft);
                return true;
            case "thumbnail":
                entry.Image ??= FeedBuilder.Url(x.Base, x.Attribute("url"));
                return true;
            case "description":
                var kind = x.Attribute("type") == "html" ? TextKind.Html : TextKind.Text;
                draft.FallbackSummary ??= new RawHtml(FeedBuilder.HtmlOf(x.ReadText(), kind), x.HasExplicitBase ? x.Base : null);
                return true;
            case "title":
                draft.MediaTitle ??= FeedBuilder.PlainTitle(x.ReadText(), x.Attribute("type") == "html" ? TextKind.Html : TextKind.Text);
                return true;
            case "category":
                var entryScheme = FeedBuilder.Clean(x.Attribute("scheme"));
                var entryLabel = x.Attribute("label");
                FeedBuilder.AddCategory(entry.Categories, x.ReadText(), entryScheme, entryLabel);
                return true;
            default:
                return false;
        }
    }

    private static void ReadChildren(FeedXmlReader x, FeedBuilder b, EntryDraft draft)
    {
        var depth = x.Depth;
        while (x.NextChild(depth))
        {
            if (x.Namespace != Ns.Media || !ReadMediaChild(x, b, draft, x.Name))
            {
                x.Skip();
            }
        }
    }

    /// <summary>itunes:keywords: a comma-separated list (some feeds use spaces only: then one keyword per word).</summary>
    private static void AddKeywords(List<Category> categories, string text)
    {
        var separator = text.Contains(',', StringComparison.Ordinal) ? ',' : ' ';
        foreach (var keyword in text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            FeedBuilder.AddCategory(categories, keyword, ItunesScheme);
        }
    }

    private static void ReadItunesCategory(FeedXmlReader x, List<Category> categories)
    {
        FeedBuilder.AddCategory(categories, x.Attribute("text"), ItunesScheme);
        var depth = x.Depth;
        while (x.NextChild(depth))
        {
            if (x.Namespace == Ns.Itunes && x.Name == "category")
            {
                ReadItunesCategory(x, categories);
            }
            else
            {
                x.Skip();
            }
        }
    }
}
