using System.Collections.Frozen;

namespace Feedstand.Feeds.Checking;

/// <summary>The tables of <see cref="XmlValidity"/>: where each element may appear, how often, what its value is.</summary>
internal sealed partial class XmlValidity
{
    private enum Kind
    {
        Unknown,
        Rss,
        Channel,
        Item,
        Image,
        TextInput,
        Cloud,
        SkipDays,
        SkipHours,
        Rdf,
        Rss1Channel,
        Rss1Item,
        Rss1Image,
        Rss1TextInput,
        Rss1Items,
        AtomFeed,
        AtomEntry,
        AtomSource,
        AtomPerson,
        AtomText,
        AtomContent,
        Xhtml,
        Extension,
        Leaf,
        MediaContainer,
        ItunesOwner,
        ItunesCategory,
    }

    private enum Value
    {
        None,
        Text,
        NonBlankText,
        Rfc822,
        Rfc3339,
        W3cDtf,
        Url,
        FullUrl,
        RssContact,
        AtomEmail,
        Language,
        Html,
        Integer,
        Guid,
        AtomId,
        UpdatePeriod,
        Day,
        Hour,
        MediaText,
        MediaRestriction,
        Choice,
        PositiveInteger,
        Duration,
    }

    /// <summary>Elements whose value is one of a few words, and the validator's class when it is not.</summary>
    private static readonly FrozenDictionary<string, (string Id, string[] Allowed)> Choices = new Dictionary<string, (string, string[])>(StringComparer.Ordinal)
    {
        ["itunes:explicit"] = ("InvalidTrueFalse", ["yes", "no", "clean", "true", "false"]),
        ["itunes:block"] = ("InvalidYesNo", ["yes", "no"]),
        ["itunes:complete"] = ("InvalidYesNo", ["yes", "no"]),
        ["itunes:isClosedCaptioned"] = ("InvalidYesNo", ["yes", "no"]),
        ["itunes:type"] = ("InvalidItunesChannelType", ["episodic", "serial"]),
        ["itunes:episodeType"] = ("InvalidItunesEpisodeType", ["full", "trailer", "bonus"]),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static class Ns
    {
        public const string Atom = "http://www.w3.org/2005/Atom";
        public const string Atom03 = "http://purl.org/atom/ns#";
        public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        public const string Rss1 = "http://purl.org/rss/1.0/";
        public const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
        public const string Rss11 = "http://purl.org/net/rss1.1#";
        public const string Dc = "http://purl.org/dc/elements/1.1/";
        public const string DcTerms = "http://purl.org/dc/terms/";
        public const string Content = "http://purl.org/rss/1.0/modules/content/";
        public const string Sy = "http://purl.org/rss/1.0/modules/syndication/";
        public const string Admin = "http://webns.net/mvcb/";
        public const string BlogChannel = "http://backend.userland.com/blogChannelModule";
        public const string CreativeCommons = "http://backend.userland.com/creativeCommonsRssModule";
        public const string Trackback = "http://madskills.com/public/xml/rss/module/trackback/";
        public const string Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
        public const string Media = "http://search.yahoo.com/mrss/";
        public const string Xhtml = "http://www.w3.org/1999/xhtml";
        public const string MathMl = "http://www.w3.org/1998/Math/MathML";

        public static readonly FrozenDictionary<string, string> Prefixes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Atom] = "", [Atom03] = "", [Rss1] = "", [Rss090] = "", [Rss11] = "", [Rdf] = "rdf", [Dc] = "dc", [DcTerms] = "dcterms",
            [Content] = "content", [Sy] = "sy", [Admin] = "admin", [BlogChannel] = "blogChannel", [CreativeCommons] = "creativeCommons",
            [Trackback] = "trackback", [Itunes] = "itunes", [Media] = "media", [Xhtml] = "xhtml",
            ["http://www.w3.org/2005/Atom/"] = "atom",
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static bool IsAtom(string ns) => ns is Ns.Atom or Ns.Atom03;

    private static bool IsRss1(string ns) => ns is Ns.Rss1 or Ns.Rss090 or Ns.Rss11;

    private static readonly FrozenDictionary<string, (Kind Kind, Value Value)> ChannelChildren = new Dictionary<string, (Kind, Value)>(StringComparer.Ordinal)
    {
        ["title"] = (Kind.Leaf, Value.NonBlankText), ["link"] = (Kind.Leaf, Value.FullUrl), ["description"] = (Kind.Leaf, Value.None),
        ["language"] = (Kind.Leaf, Value.Language), ["copyright"] = (Kind.Leaf, Value.None), ["managingEditor"] = (Kind.Leaf, Value.RssContact),
        ["webMaster"] = (Kind.Leaf, Value.RssContact), ["pubDate"] = (Kind.Leaf, Value.Rfc822), ["lastBuildDate"] = (Kind.Leaf, Value.Rfc822),
        ["category"] = (Kind.Leaf, Value.Text), ["generator"] = (Kind.Leaf, Value.None), ["docs"] = (Kind.Leaf, Value.FullUrl),
        ["cloud"] = (Kind.Cloud, Value.None), ["ttl"] = (Kind.Leaf, Value.Integer), ["image"] = (Kind.Image, Value.None),
        ["rating"] = (Kind.Leaf, Value.None), ["textInput"] = (Kind.TextInput, Value.None), ["skipHours"] = (Kind.SkipHours, Value.None),
        ["skipDays"] = (Kind.SkipDays, Value.None), ["item"] = (Kind.Item, Value.None),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, (Kind Kind, Value Value)> ItemChildren = new Dictionary<string, (Kind, Value)>(StringComparer.Ordinal)
    {
        ["title"] = (Kind.Leaf, Value.Text), ["link"] = (Kind.Leaf, Value.FullUrl), ["description"] = (Kind.Leaf, Value.Html),
        ["author"] = (Kind.Leaf, Value.RssContact), ["category"] = (Kind.Leaf, Value.Text), ["comments"] = (Kind.Leaf, Value.FullUrl),
        ["enclosure"] = (Kind.Leaf, Value.None), ["guid"] = (Kind.Leaf, Value.Guid), ["pubDate"] = (Kind.Leaf, Value.Rfc822),
        ["source"] = (Kind.Leaf, Value.None),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> ChannelSingles = FrozenSet.Create(StringComparer.Ordinal,
        "title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate", "lastBuildDate", "generator",
        "docs", "cloud", "ttl", "image", "rating", "textInput", "skipHours", "skipDays", "sy:updatePeriod", "sy:updateFrequency",
        "sy:updateBase", "admin:errorReportsTo", "admin:generatorAgent", "blogChannel:blogRoll", "blogChannel:mySubscriptions",
        "blogChannel:blink", "itunes:explicit", "itunes:block", "itunes:complete", "itunes:new-feed-url", "itunes:owner", "itunes:subtitle",
        "itunes:summary", "itunes:image", "itunes:author", "itunes:type", "dc:language", "dc:date", "items", "channel", "Channel");

    private static readonly FrozenSet<string> ItemSingles = FrozenSet.Create(StringComparer.Ordinal,
        "title", "link", "description", "author", "comments", "guid", "pubDate", "source", "content:encoded", "itunes:explicit",
        "itunes:duration", "itunes:block", "itunes:subtitle", "itunes:summary", "itunes:image", "itunes:author", "itunes:episode",
        "itunes:season", "itunes:episodeType", "itunes:isClosedCaptioned", "itunes:order", "dc:date", "media:title", "media:description");

    private static readonly FrozenSet<string> ImageSingles = FrozenSet.Create(StringComparer.Ordinal, "url", "title", "link", "width", "height", "description");

    private static readonly FrozenSet<string> TextInputSingles = FrozenSet.Create(StringComparer.Ordinal, "title", "description", "name", "link");

    private static readonly FrozenSet<string> AtomFeedSingles = FrozenSet.Create(StringComparer.Ordinal,
        "generator", "icon", "id", "logo", "rights", "subtitle", "title", "updated", "tagline", "copyright", "modified", "info");

    private static readonly FrozenSet<string> AtomEntrySingles = FrozenSet.Create(StringComparer.Ordinal,
        "content", "id", "published", "rights", "source", "summary", "title", "updated", "issued", "modified", "created");

    private static readonly FrozenSet<string> MediaSingles = FrozenSet.Create(StringComparer.Ordinal,
        "media:title", "media:description", "media:keywords", "media:thumbnail", "media:rating", "media:copyright");

    private static IReadOnlySet<string> SinglesOf(Kind kind) => kind switch
    {
        Kind.Channel or Kind.Rss1Channel => ChannelSingles,
        Kind.Item or Kind.Rss1Item => ItemSingles,
        Kind.Image or Kind.Rss1Image => ImageSingles,
        Kind.TextInput or Kind.Rss1TextInput => TextInputSingles,
        Kind.AtomFeed or Kind.AtomSource => AtomFeedSingles,
        Kind.AtomEntry => AtomEntrySingles,
        Kind.MediaContainer => MediaSingles,
        Kind.Rdf => RdfSingles,
        _ => EmptySet,
    };

    private static readonly FrozenSet<string> RdfSingles = FrozenSet.Create(StringComparer.Ordinal, "channel", "image", "textinput");

    private static readonly FrozenSet<string> ItunesChannel = FrozenSet.Create(StringComparer.Ordinal,
        "author", "block", "category", "image", "explicit", "complete", "new-feed-url", "owner", "subtitle", "summary", "keywords", "type", "title", "link");

    private static readonly FrozenSet<string> ItunesItem = FrozenSet.Create(StringComparer.Ordinal,
        "author", "block", "image", "duration", "explicit", "isClosedCaptioned", "order", "subtitle", "summary", "keywords", "episode",
        "season", "episodeType", "title");

    private static readonly FrozenSet<string> DcElements = FrozenSet.Create(StringComparer.Ordinal,
        "title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format", "identifier", "source",
        "language", "relation", "coverage", "rights");

    /// <summary>What the child is, given its parent; reports elements that do not belong there.</summary>
    private Kind ChildKind(Frame parent, Frame child)
    {
        var ns = child.Ns;
        var local = child.Local;
        switch (parent.Kind)
        {
            case Kind.Rss:
                if (ns.Length == 0 && local == "channel")
                {
                    return Kind.Channel;
                }
                break;
            case Kind.Channel:
                if (ns.Length == 0 && ChannelChildren.TryGetValue(local, out var channelChild))
                {
                    child.Value = channelChild.Value;
                    return channelChild.Kind;
                }
                break;
            case Kind.Item:
                if (ns.Length == 0 && ItemChildren.TryGetValue(local, out var itemChild))
                {
                    child.Value = itemChild.Value;
                    if (local == "guid")
                    {
                        parent.HasGuid = true;
                    }
                    return itemChild.Kind;
                }
                break;
            case Kind.Image or Kind.Rss1Image:
                if ((ns.Length == 0 || IsRss1(ns)) && local is "url" or "title" or "link" or "width" or "height" or "description")
                {
                    child.Value = local switch { "url" or "link" => Value.FullUrl, "width" or "height" => Value.Integer, "title" => Value.Text, _ => Value.None };
                    return Kind.Leaf;
                }
                break;
            case Kind.TextInput or Kind.Rss1TextInput:
                if ((ns.Length == 0 || IsRss1(ns)) && local is "title" or "description" or "name" or "link")
                {
                    child.Value = local == "link" ? Value.FullUrl : Value.None;
                    return Kind.Leaf;
                }
                break;
            case Kind.SkipDays:
                if (ns.Length == 0 && local == "day")
                {
                    child.Value = Value.Day;
                    return Kind.Leaf;
                }
                break;
            case Kind.SkipHours:
                if (ns.Length == 0 && local == "hour")
                {
                    child.Value = Value.Hour;
                    return Kind.Leaf;
                }
                break;
            case Kind.Rdf:
                if (IsRss1(ns))
                {
                    switch (local)
                    {
                        case "channel":
                            return Kind.Rss1Channel;
                        case "item":
                            return Kind.Rss1Item;
                        case "image":
                            return Kind.Rss1Image;
                        case "textinput" or "textInput":
                            return Kind.Rss1TextInput;
                        default:
                            break;
                    }
                }
                break;
            case Kind.Rss1Channel:
                if (IsRss1(ns))
                {
                    switch (local)
                    {
                        case "title":
                            child.Value = Value.NonBlankText;
                            return Kind.Leaf;
                        case "link":
                            child.Value = Value.FullUrl;
                            return Kind.Leaf;
                        case "description":
                            return Kind.Leaf;
                        case "items":
                            return Kind.Rss1Items;
                        case "image" when ns == Ns.Rss11:
                            return Kind.Rss1Image;
                        case "image" or "textinput" or "textInput":
                            return Kind.Leaf;
                        default:
                            break;
                    }
                }
                break;
            case Kind.Rss1Items:
                if (ns == Ns.Rdf || (ns == Ns.Rss11 && local == "item"))
                {
                    return ns == Ns.Rss11 ? Kind.Rss1Item : Kind.Extension;
                }
                break;
            case Kind.Rss1Item:
                if (IsRss1(ns) && local is "title" or "link" or "description")
                {
                    child.Value = local == "link" ? Value.FullUrl : local == "title" ? Value.Text : Value.Html;
                    return Kind.Leaf;
                }
                break;
            case Kind.AtomFeed or Kind.AtomSource or Kind.AtomEntry:
                if (IsAtom(ns))
                {
                    if (AtomChild(parent, child) is { } atomKind)
                    {
                        return atomKind;
                    }
                    Report("UndefinedElement", child.Name, parent.Name);
                    return Kind.Unknown;
                }
                break;
            case Kind.AtomPerson:
                if (IsAtom(ns))
                {
                    switch (local)
                    {
                        case "name":
                            child.Value = Value.NonBlankText;
                            return Kind.Leaf;
                        case "uri" or "url":
                            child.Value = Value.Url;
                            return Kind.Leaf;
                        case "email":
                            child.Value = Value.AtomEmail;
                            return Kind.Leaf;
                        default:
                            Report("UndefinedElement", child.Name, parent.Name);
                            return Kind.Unknown;
                    }
                }
                return Kind.Extension;
            case Kind.AtomText or Kind.AtomContent:
                if (IsXhtmlType(parent))
                {
                    CheckXhtml(child, parent);
                    return Kind.Xhtml;
                }
                if (parent.Kind == Kind.AtomContent && IsXmlMediaType(parent.Attribute("type")) && parent.Attribute("src") is null)
                {
                    return Kind.Extension;
                }
                Report("UndefinedElement", child.Name, parent.Local);
                return Kind.Unknown;
            case Kind.Xhtml:
                CheckXhtml(child, parent);
                return Kind.Xhtml;
            case Kind.Extension or Kind.ItunesCategory or Kind.ItunesOwner or Kind.MediaContainer or Kind.Leaf:
                if (IsAtom(ns) && parent.Kind == Kind.Leaf && parent.Ns.Length == 0)
                {
                    break;
                }
                if ((IsAtom(ns) && !IsAtom(parent.Ns)) || (IsRss1(ns) && !IsRss1(parent.Ns)))
                {
                    Report("UndefinedElement", child.Name, parent.Local);
                    return Kind.Unknown;
                }
                if (parent.Kind is Kind.MediaContainer or Kind.ItunesCategory or Kind.ItunesOwner)
                {
                    return ExtensionKind(parent, child);
                }
                return Kind.Extension;
            case Kind.Unknown:
                return Kind.Unknown;
            default:
                break;
        }

        if (ns.Length > 0 && !IsRss1(ns) && !(IsAtom(ns) && parent.Kind is Kind.AtomFeed or Kind.AtomEntry or Kind.AtomSource))
        {
            return ExtensionKind(parent, child);
        }
        Report("UndefinedElement", child.Name, parent.Local);
        return Kind.Unknown;
    }

    private static Kind? AtomChild(Frame parent, Frame child)
    {
        var isFeed = parent.Kind is Kind.AtomFeed or Kind.AtomSource;
        switch (child.Local)
        {
            case "author" or "contributor":
                return Kind.AtomPerson;
            case "category":
                return Kind.Leaf;
            case "link":
                return Kind.Leaf;
            case "id":
                child.Value = Value.AtomId;
                return Kind.Leaf;
            case "updated" or "published" or "modified" or "issued" or "created":
                if (child.Local == "published" && isFeed)
                {
                    return null;
                }
                child.Value = Value.Rfc3339;
                return Kind.Leaf;
            case "title" or "rights" or "subtitle" or "summary" or "tagline" or "copyright" or "info":
                if ((child.Local is "subtitle" or "tagline" or "info" && !isFeed) || (child.Local == "summary" && isFeed))
                {
                    return null;
                }
                return Kind.AtomText;
            case "content" when !isFeed:
                return Kind.AtomContent;
            case "source" when !isFeed:
                return Kind.AtomSource;
            case "entry" when parent.Kind == Kind.AtomFeed:
                return Kind.AtomEntry;
            case "generator" or "icon" or "logo" when isFeed:
                child.Value = child.Local == "generator" ? Value.None : Value.Url;
                return Kind.Leaf;
            default:
                return null;
        }
    }

    private Kind ExtensionKind(Frame parent, Frame child)
    {
        var ns = child.Ns;
        var local = child.Local;
        var inChannel = parent.Kind is Kind.Channel or Kind.Rss1Channel or Kind.AtomFeed;
        switch (ns)
        {
            case Ns.Dc:
                if (!DcElements.Contains(local))
                {
                    Report("UndefinedElement", child.Name, parent.Local);
                    return Kind.Unknown;
                }
                child.Value = local switch { "language" => Value.Language, "date" => Value.W3cDtf, "title" => Value.Text, _ => Value.None };
                return Kind.Extension;
            case Ns.DcTerms:
                child.Value = local is "created" or "modified" or "issued" or "dateAccepted" or "dateCopyrighted" or "dateSubmitted" ? Value.W3cDtf : Value.None;
                return Kind.Extension;
            case Ns.Sy:
                child.Value = local switch { "updateBase" => Value.W3cDtf, "updateFrequency" => Value.Integer, "updatePeriod" => Value.UpdatePeriod, _ => Value.None };
                if (child.Value == Value.None || !inChannel)
                {
                    Report("UndefinedElement", child.Name, parent.Local);
                    return Kind.Unknown;
                }
                return Kind.Leaf;
            case Ns.Admin:
                if (local is "errorReportsTo" or "generatorAgent")
                {
                    RequireResource(child, parent);
                    return Kind.Leaf;
                }
                Report("UndefinedElement", child.Name, parent.Local);
                return Kind.Unknown;
            case Ns.BlogChannel:
                child.Value = Value.FullUrl;
                return Kind.Leaf;
            case Ns.CreativeCommons:
                child.Value = Value.FullUrl;
                return Kind.Leaf;
            case Ns.Content:
                child.Value = local == "encoded" ? Value.Html : Value.None;
                return Kind.Extension;
            case Ns.Trackback:
                if (_format == "rdf")
                {
                    RequireResource(child, parent);
                }
                else
                {
                    child.Value = Value.Url;
                }
                return Kind.Leaf;
            case Ns.Itunes:
                var allowed = parent.Kind switch
                {
                    Kind.Channel or Kind.Rss1Channel => ItunesChannel,
                    Kind.Item or Kind.Rss1Item => ItunesItem,
                    Kind.ItunesCategory => FrozenSet.Create(StringComparer.Ordinal, "category"),
                    Kind.ItunesOwner => FrozenSet.Create(StringComparer.Ordinal, "name", "email"),
                    _ => null,
                };
                if (allowed is not null && !allowed.Contains(local))
                {
                    Report("UndefinedElement", child.Name, parent.Local);
                    return Kind.Unknown;
                }
                if (local == "category")
                {
                    CheckItunesCategory(child, parent);
                    return Kind.ItunesCategory;
                }
                if (local == "image" && child.Attribute("href") is { } href && ValueRules.UrlProblem(href, mustBeFull: true) is { } hrefProblem)
                {
                    Report(hrefProblem, child.Name, parent.Local);
                }
                child.Value = local switch
                {
                    "email" => Value.AtomEmail,
                    "episode" or "season" or "order" => Value.PositiveInteger,
                    "duration" => Value.Duration,
                    "new-feed-url" => Value.FullUrl,
                    _ when Choices.ContainsKey(child.Name) => Value.Choice,
                    _ => Value.None,
                };
                return local == "owner" ? Kind.ItunesOwner : Kind.Leaf;
            case Ns.Media:
                CheckMedia(child, parent);
                return local is "group" or "content" ? Kind.MediaContainer : Kind.Leaf;
            case Ns.Xhtml when local == "body":
                return Kind.Xhtml;
            case Ns.Atom or Ns.Atom03 or "http://www.w3.org/2005/Atom/":
                switch (local)
                {
                    case "link":
                        return Kind.Leaf;
                    case "author" or "contributor":
                        return Kind.AtomPerson;
                    case "content":
                        return Kind.AtomContent;
                    case "title" or "summary" or "rights" or "subtitle":
                        return Kind.AtomText;
                    case "id":
                        child.Value = Value.AtomId;
                        return Kind.Leaf;
                    case "updated" or "published":
                        child.Value = Value.Rfc3339;
                        return Kind.Leaf;
                    default:
                        return Kind.Extension;
                }
            default:
                return Kind.Extension;
        }
    }
}
