using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using AngleSharp.Html.Parser;

namespace Feedstand.Feeds.Tests.Writers;

/// <summary>One message of the checker: the W3C Feed Validator's class name, its level and where.</summary>
internal sealed record Finding(string Id, string Level, string Where)
{
    public override string ToString() => $"{Id} ({Level}) at {Where}";
}

/// <summary>
/// A test-side checker that reports, for RSS 2.0 and Atom 1.0 documents, the W3C Feed Validator's
/// messages (same class names and levels, see feedvalidator's validators.py, feed.py, entry.py,
/// item.py, channel.py, image.py, link.py and content.py) for the rules a writer can break:
/// required and duplicate elements, ids and links (RFC 2396 characters, IRIs, tag:/urn: forms,
/// canonical ids), RFC 3339 / RFC 822 dates and implausible ones, duplicate <c>updated</c>, blank and
/// markup-carrying text, unsafe HTML (elements, attributes, style), relative references, RSS images,
/// guids, enclosures, self links, RFC 5005 archives. Not a full validator: it does not check
/// namespaces of unknown extensions, iTunes/Media RSS, or strict HTML5 parse errors.
/// </summary>
internal static partial class FeedChecker
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string HistoryNs = "http://purl.org/syndication/history/1.0";
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";

    public static List<Finding> Check(byte[] document, DateTimeOffset now)
    {
        var findings = new List<Finding>();
        XDocument xml;
        try
        {
            using var stream = new MemoryStream(document);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            xml = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            findings.Add(new Finding("SAXError", "error", ex.Message));
            return findings;
        }
        var root = xml.Root!;
        var check = new Run(findings, now);
        if (root.Name == XName.Get("feed", AtomNs))
        {
            check.Atom(root);
        }
        else if (root.Name.LocalName == "rss" && root.Name.NamespaceName.Length == 0)
        {
            check.Rss(root);
        }
        else
        {
            findings.Add(new Finding("UndefinedElement", "error", root.Name.ToString()));
        }
        return findings;
    }

    private sealed class Run(List<Finding> findings, DateTimeOffset now)
    {
        private void Add(string id, string level, string where) => findings.Add(new Finding(id, level, where));
        private void Error(string id, string where) => Add(id, "error", where);
        private void Warn(string id, string where) => Add(id, "warning", where);

        // ---------------------------------------------------------------- Atom

        public void Atom(XElement feed)
        {
            var names = feed.Elements().Select(e => e.Name).ToList();
            var firstEntry = names.FindIndex(n => n == A("entry"));
            if (firstEntry >= 0 && names.Skip(firstEntry).Any(n => n != A("entry") && n.NamespaceName == AtomNs))
            {
                Error("MisplacedMetadata", "feed");
            }
            foreach (var required in new[] { "title", "id", "updated" })
            {
                if (feed.Element(A(required)) is null)
                {
                    Error("MissingElement", "feed/" + required);
                }
            }
            foreach (var single in new[] { "title", "subtitle", "rights", "id", "updated", "generator", "icon", "logo" })
            {
                if (feed.Elements(A(single)).Count() > 1)
                {
                    Error("DuplicateElement", "feed/" + single);
                }
            }
            foreach (var text in new[] { "title", "subtitle", "rights" })
            {
                if (feed.Element(A(text)) is { } element)
                {
                    TextConstruct(element, "feed/" + text, blankAllowed: text != "title");
                }
            }
            if (feed.Element(A("id")) is { } id)
            {
                AtomId(id.Value, "feed/id");
            }
            if (feed.Element(A("updated")) is { } updated)
            {
                Rfc3339(updated.Value, "feed/updated");
            }
            foreach (var uri in new[] { "icon", "logo" })
            {
                if (feed.Element(A(uri)) is { } element)
                {
                    Reference(element.Value, "feed/" + uri);
                }
            }
            if (feed.Element(A("generator")) is { } generator && generator.Value.Trim().Length == 0)
            {
                Warn("NotBlank", "feed/generator");
            }
            var links = feed.Elements(A("link")).ToList();
            Links(links, "feed");
            if (!links.Any(l => Rel(l) == "self"))
            {
                Warn("MissingSelf", "feed");
            }
            History(feed, links);
            var feedHasAuthor = false;
            foreach (var author in feed.Elements(A("author")))
            {
                feedHasAuthor |= Person(author, "feed/author");
            }
            foreach (var category in feed.Elements(A("category")))
            {
                Category(category, "feed/category");
            }
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var updates = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var entry in feed.Elements(A("entry")))
            {
                Entry(entry, $"entry[{index++}]", feedHasAuthor, ids, updates);
            }
        }

        private void Entry(XElement entry, string where, bool feedHasAuthor, HashSet<string> ids, HashSet<string> updates)
        {
            foreach (var required in new[] { "title", "id", "updated" })
            {
                if (entry.Element(A(required)) is null)
                {
                    Error("MissingElement", where + "/" + required);
                }
            }
            foreach (var single in new[] { "title", "id", "updated", "published", "summary", "content", "rights", "source" })
            {
                if (entry.Elements(A(single)).Count() > 1)
                {
                    Error("DuplicateElement", where + "/" + single);
                }
            }
            var hasAuthor = false;
            foreach (var author in entry.Elements(A("author")))
            {
                hasAuthor |= Person(author, where + "/author");
            }
            if (!hasAuthor && !feedHasAuthor)
            {
                Error("MissingElement", where + "/author");
            }
            if (entry.Element(A("title")) is { } title)
            {
                TextConstruct(title, where + "/title", blankAllowed: false);
            }
            if (entry.Element(A("id")) is { } id)
            {
                AtomId(id.Value, where + "/id");
                if (!ids.Add(id.Value))
                {
                    Warn("DuplicateEntries", where + "/id");
                }
            }
            if (entry.Element(A("updated")) is { } updated)
            {
                Rfc3339(updated.Value, where + "/updated");
                if (!updates.Add(updated.Value))
                {
                    Warn("DuplicateUpdated", where + "/updated");
                }
            }
            if (entry.Element(A("published")) is { } published)
            {
                Rfc3339(published.Value, where + "/published");
            }
            var links = entry.Elements(A("link")).ToList();
            Links(links, where);
            foreach (var category in entry.Elements(A("category")))
            {
                Category(category, where + "/category");
            }
            var content = entry.Element(A("content"));
            var summary = entry.Element(A("summary"));
            if (summary is not null)
            {
                TextConstruct(summary, where + "/summary", blankAllowed: false);
            }
            if (content is not null)
            {
                TextConstruct(content, where + "/content", blankAllowed: true);
            }
            else
            {
                if (summary is null)
                {
                    Warn("MissingTextualContent", where);
                }
                if (!links.Any(l => Rel(l) == "alternate"))
                {
                    Error("MissingContentOrAlternate", where);
                }
            }
        }

        private void History(XElement feed, List<XElement> links)
        {
            var isArchive = feed.Element(XName.Get("archive", HistoryNs)) is not null;
            var isComplete = feed.Element(XName.Get("complete", HistoryNs)) is not null;
            var rels = links.Select(Rel).ToList();
            if (isArchive && !isComplete)
            {
                if (!rels.Contains("prev-archive") && !rels.Contains("next-archive"))
                {
                    Warn("ArchiveIncomplete", "feed");
                }
                if (!rels.Contains("current"))
                {
                    Warn("MissingCurrentInArchive", "feed");
                }
            }
            var self = links.FirstOrDefault(l => Rel(l) == "self")?.Attribute("href")?.Value;
            if (self is not null)
            {
                if (links.Any(l => Rel(l) == "first" && l.Attribute("href")?.Value == self) && rels.Contains("previous"))
                {
                    Error("LinkPastEnd", "feed/link[@rel=previous]");
                }
                if (links.Any(l => Rel(l) == "last" && l.Attribute("href")?.Value == self) && rels.Contains("next"))
                {
                    Error("LinkPastEnd", "feed/link[@rel=next]");
                }
            }
        }

        private static readonly string[] ValidRelations =
        [
            "alternate", "current", "describedby", "edit", "edit-media", "enclosure", "first", "hub", "last", "license",
            "next", "next-archive", "payment", "prev-archive", "previous", "related", "replies", "search", "self",
            "service", "up", "via",
        ];

        private static readonly string[] HistoryRelations = ["current", "first", "last", "next", "next-archive", "prev-archive", "previous"];

        private void Links(List<XElement> links, string where)
        {
            var alternates = new HashSet<string>(StringComparer.Ordinal);
            foreach (var link in links)
            {
                var rel = Rel(link);
                if (!ValidRelations.Contains(rel) && !UriPattern().IsMatch(rel))
                {
                    Warn("UnregisteredAtomLinkRel", where + "/link");
                }
                if (where != "feed" && HistoryRelations.Contains(rel))
                {
                    Warn("FeedHistoryRelInEntry", where + "/link");
                }
                var type = link.Attribute("type")?.Value;
                if (type is not null && !Mime().IsMatch(type))
                {
                    Error("InvalidMIMEType", where + "/link/@type");
                }
                else if (type is not null && rel == "self" && type.Split(';')[0] is not ("application/atom+xml" or "application/rss+xml" or "application/rdf+xml"))
                {
                    Warn("SelfNotAtom", where + "/link/@type");
                }
                if (link.Attribute("length")?.Value is { } length && !long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    Error("InvalidNonNegativeInteger", where + "/link/@length");
                }
                if (link.Attribute("title")?.Value is { Length: 0 })
                {
                    Warn("AttrNotBlank", where + "/link/@title");
                }
                if (link.Attribute("href")?.Value is not { } href)
                {
                    Error("MissingHref", where + "/link");
                    continue;
                }
                Reference(href, where + "/link/@href");
                if (rel == "self" && !Uri.TryCreate(href, UriKind.Absolute, out _))
                {
                    Warn("RelativeSelf", where + "/link");
                }
                if (rel == "alternate" && !alternates.Add((type ?? "") + "|" + link.Attribute("hreflang")?.Value))
                {
                    Error("DuplicateAtomLink", where + "/link");
                }
                if (link.Value.Trim().Length > 0)
                {
                    Warn("AtomLinkNotEmpty", where + "/link");
                }
            }
        }

        private bool Person(XElement person, string where)
        {
            var name = person.Element(A("name"));
            if (name is null)
            {
                Error("MissingElement", where + "/name");
            }
            else if (name.Value.Trim().Length == 0)
            {
                Warn("NotBlank", where + "/name");
            }
            if (person.Element(A("email"))?.Value is { } email && !EmailPattern().IsMatch(email))
            {
                Error("InvalidContact", where + "/email");
            }
            if (person.Element(A("uri"))?.Value is { } uri)
            {
                Full(uri, where + "/uri");
            }
            return name is not null;
        }

        private void Category(XElement category, string where)
        {
            if (category.Attribute("term") is null)
            {
                Error("MissingAttribute", where + "/@term");
            }
            if (category.Attribute("scheme")?.Value is { } scheme)
            {
                Reference(scheme, where + "/@scheme");
            }
        }

        /// <summary>Atom text constructs (content.py textConstruct).</summary>
        private void TextConstruct(XElement element, string where, bool blankAllowed)
        {
            var type = element.Attribute("type")?.Value ?? "text";
            if (element.Attribute("src") is not null)
            {
                return;
            }
            if (type is not ("text" or "html" or "xhtml") && !Mime().IsMatch(type))
            {
                Error("InvalidMIMEType", where + "/@type");
            }
            if (type is "text" or "html" && element.Elements().Any())
            {
                Error("UndefinedElement", where);
            }
            if (type == "html")
            {
                Html(element.Value, where);
            }
            else if (type == "text")
            {
                NonHtml(element, where, "ContainsUndeclaredHTML", rss: false);
            }
            if (!blankAllowed && element.Value.Length == 0 && !element.Elements().Any())
            {
                Warn("NotBlank", where);
            }
        }

        private void AtomId(string value, string where)
        {
            if (value != value.Trim())
            {
                Error("UnexpectedWhitespace", where);
            }
            if (Full(value.Trim(), where) && Canonical(value) != value)
            {
                Warn("NonCanonicalURI", where + " = " + value);
            }
        }

        // ---------------------------------------------------------------- RSS

        public void Rss(XElement rss)
        {
            if (rss.Attribute("version")?.Value != "2.0")
            {
                Error("InvalidRSSVersion", "rss");
            }
            if (rss.Element("channel") is not { } channel)
            {
                Error("MissingElement", "rss/channel");
                return;
            }
            var title = channel.Element("title");
            var link = channel.Element("link");
            if (title is null)
            {
                Error("MissingTitle", "channel/title");
            }
            else
            {
                NonHtml(title, "channel/title", "ContainsHTML", rss: true);
                if (title.Value.Length == 0)
                {
                    Warn("NotBlank", "channel/title");
                }
            }
            if (link is null)
            {
                Error("MissingLink", "channel/link");
            }
            else
            {
                Full(link.Value, "channel/link");
            }
            if (channel.Element("description") is not { } description)
            {
                Error("MissingDescription", "channel/description");
            }
            else
            {
                NonHtml(description, "channel/description", "ContainsHTML", rss: true);
            }
            foreach (var single in new[] { "title", "link", "description", "language", "copyright", "lastBuildDate", "pubDate", "ttl", "generator", "image", "docs" })
            {
                if (channel.Elements(single).Count() > 1)
                {
                    Error("DuplicateElement", "channel/" + single);
                }
            }
            if (channel.Element("language") is { } language && !LanguagePattern().IsMatch(language.Value))
            {
                Error("InvalidLanguage", "channel/language");
            }
            if (channel.Element("copyright") is { } copyright)
            {
                NonHtml(copyright, "channel/copyright", "ContainsHTML", rss: true);
            }
            foreach (var date in new[] { "lastBuildDate", "pubDate" })
            {
                if (channel.Element(date) is { } element)
                {
                    Rfc822(element.Value, "channel/" + date);
                }
            }
            if (channel.Element("ttl") is { } ttl && !(int.TryParse(ttl.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes > 0))
            {
                Error("InvalidPositiveInteger", "channel/ttl");
            }
            var atomLinks = channel.Elements(A("link")).ToList();
            Links(atomLinks, "feed");
            if (!atomLinks.Any(l => Rel(l) == "self"))
            {
                Warn("MissingAtomSelfLink", "channel");
            }
            if (channel.Element("image") is { } image)
            {
                Image(image, title?.Value, link?.Value);
            }
            var items = channel.Elements("item").ToList();
            if (items.Count > 0 && channel.Elements().SkipWhile(e => e.Name.LocalName != "item").Any(e => e.Name.LocalName != "item"))
            {
                Warn("MisplacedItem", "channel");
            }
            var guids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                Item(items[i], $"item[{i}]", guids);
            }
        }

        private void Image(XElement image, string? channelTitle, string? channelLink)
        {
            if (image.Element("url") is not { } url)
            {
                Error("MissingElement", "image/url");
            }
            else
            {
                Full(url.Value, "image/url");
                var extension = url.Value.Split('.')[^1].ToLowerInvariant();
                if (WordPattern().IsMatch(extension) && extension is not ("jpg" or "jpeg" or "gif" or "png"))
                {
                    Warn("ImageUrlFormat", "image/url");
                }
            }
            if (image.Element("title") is not { } title)
            {
                Error("MissingTitle", "image/title");
            }
            else if (title.Value.Trim().Length == 0)
            {
                Warn("NotBlank", "image/title");
            }
            else if (channelTitle is not null && channelTitle != title.Value)
            {
                Warn("ImageTitleDoesntMatch", "image/title");
            }
            if (image.Element("link") is not { } link)
            {
                Error("MissingLink", "image/link");
            }
            else
            {
                Full(link.Value, "image/link");
                if (channelLink is not null && channelLink != link.Value)
                {
                    Warn("ImageLinkDoesntMatch", "image/link");
                }
            }
        }

        private void Item(XElement item, string where, HashSet<string> guids)
        {
            var title = item.Element("title");
            var description = item.Element("description");
            if (title is null && description is null)
            {
                Error("ItemMustContainTitleOrDescription", where);
            }
            foreach (var single in new[] { "title", "link", "description", "guid", "pubDate", "comments", "source", "author" })
            {
                if (item.Elements(single).Count() > 1)
                {
                    Error("DuplicateElement", where + "/" + single);
                }
            }
            if (item.Elements(XName.Get("encoded", ContentNs)).Count() > 1)
            {
                Error("DuplicateElement", where + "/content:encoded");
            }
            if (title is not null)
            {
                NonHtml(title, where + "/title", "ContainsHTML", rss: true);
                if (title.Value.Length == 0)
                {
                    Warn("NotBlank", where + "/title");
                }
            }
            if (item.Element("link") is { } link)
            {
                Full(link.Value, where + "/link");
            }
            if (item.Element("comments") is { } comments)
            {
                Full(comments.Value, where + "/comments");
            }
            if (description is not null)
            {
                Html(description.Value, where + "/description");
            }
            var elements = item.Elements().ToList();
            var encodedAt = elements.FindIndex(e => e.Name == XName.Get("encoded", ContentNs));
            if (encodedAt >= 0)
            {
                if (!elements.Take(encodedAt).Any(e => e.Name.LocalName == "description" && e.Name.NamespaceName.Length == 0))
                {
                    Warn("NeedDescriptionBeforeContent", where + "/content:encoded");
                }
                Html(elements[encodedAt].Value, where + "/content:encoded");
            }
            if (item.Element("pubDate") is { } pubDate)
            {
                Rfc822(pubDate.Value, where + "/pubDate");
            }
            if (item.Element("guid") is not { } guid)
            {
                Warn("MissingGuid", where);
            }
            else
            {
                Guid(guid, where + "/guid", guids);
            }
            foreach (var category in item.Elements("category"))
            {
                NonHtml(category, where + "/category", "ContainsHTML", rss: true);
                if (category.Value.Length == 0)
                {
                    Warn("NotBlank", where + "/category");
                }
            }
            var enclosures = item.Elements("enclosure").ToList();
            if (enclosures.Count > 1)
            {
                Warn("DuplicateEnclosure", where + "/enclosure");
            }
            foreach (var enclosure in enclosures)
            {
                Enclosure(enclosure, where + "/enclosure");
            }
            foreach (var atomLink in item.Elements(A("link")))
            {
                Links([atomLink], where);
            }
        }

        private void Guid(XElement guid, string where, HashSet<string> guids)
        {
            var value = guid.Value;
            var permaLink = guid.Attribute("isPermaLink")?.Value;
            if (permaLink is not (null or "true" or "false"))
            {
                Error("InvalidBooleanAttribute", where + "/@isPermaLink");
            }
            if (permaLink is null or "true")
            {
                if (!IsFullUri(value))
                {
                    Error("InvalidHttpGUID", where);
                }
                else if (value.StartsWith("tag:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
                {
                    Error("InvalidPermalink", where);
                }
            }
            else if (value.Length < 9 && value.All(char.IsAsciiDigit))
            {
                Warn("NotSufficientlyUnique", where);
            }
            if (value.Length == 0)
            {
                Warn("NotBlank", where);
            }
            else if (!guids.Add(value))
            {
                Error("DuplicateValue", where);
            }
        }

        private void Enclosure(XElement enclosure, string where)
        {
            if (enclosure.Attribute("length")?.Value is not { } length)
            {
                Error("MissingAttribute", where + "/@length");
            }
            else if (!long.TryParse(length, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bytes))
            {
                Error("InvalidIntegerAttribute", where + "/@length");
            }
            else if (bytes < 0)
            {
                Error(bytes == -1 ? "UseZeroForUnknown" : "InvalidNonNegativeInteger", where + "/@length");
            }
            if (enclosure.Attribute("type")?.Value is not { } type)
            {
                Error("MissingAttribute", where + "/@type");
            }
            else if (!Mime().IsMatch(type))
            {
                Error("InvalidMIMEAttribute", where + "/@type");
            }
            if (enclosure.Attribute("url")?.Value is not { } url)
            {
                Error("MissingAttribute", where + "/@url");
            }
            else if (!HttpUrlPattern().IsMatch(url) || !FullUriPattern().IsMatch(url))
            {
                Error("InvalidURLAttribute", where + "/@url");
            }
        }

        // ---------------------------------------------------------------- values

        private void Rfc3339(string value, string where)
        {
            if (!Rfc3339Pattern().IsMatch(value) || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Error("InvalidRFC3339Date", where);
                return;
            }
            if (date < new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero) || date > now.AddMinutes(10))
            {
                Warn("ImplausibleDate", where);
            }
        }

        private void Rfc822(string value, string where)
        {
            var match = Rfc2822Pattern().Match(value);
            if (!match.Success)
            {
                Error("InvalidRFC2822Date", where);
                return;
            }
            var core = value.Contains(',', StringComparison.Ordinal) ? value[(value.IndexOf(',', StringComparison.Ordinal) + 2)..] : value;
            if (!DateTimeOffset.TryParseExact(core, ["d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && !DateTimeOffset.TryParseExact(core.Replace("+0000", "+00:00", StringComparison.Ordinal).Replace("GMT", "+00:00", StringComparison.Ordinal),
                    ["d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                date = DateTimeOffset.MinValue;
            }
            if (date == DateTimeOffset.MinValue)
            {
                Error("InvalidRFC2822Date", where);
                return;
            }
            if (value.Contains(',', StringComparison.Ordinal)
                && !string.Equals(date.ToString("ddd", CultureInfo.InvariantCulture), value[..3], StringComparison.OrdinalIgnoreCase))
            {
                Error("IncorrectDOW", where);
                return;
            }
            if (date.Year < 1990 || date > now.AddMinutes(10))
            {
                Warn("ImplausibleDate", where);
            }
        }

        /// <summary>A full (absolute) URI: rfc2396_full. True when it is one.</summary>
        private bool Full(string value, string where)
        {
            var scheme = value.Split(':')[0].ToLowerInvariant();
            if (scheme == "tag")
            {
                if (!TagPattern().IsMatch(value))
                {
                    Error("InvalidTAG", where);
                    return false;
                }
                return true;
            }
            if (scheme == "urn")
            {
                if (value.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) && !UuidPattern().IsMatch(value))
                {
                    Error("InvalidUUID", where);
                    return false;
                }
                if (!UrnPattern().IsMatch(value))
                {
                    Error("InvalidURN", where);
                    return false;
                }
                return true;
            }
            if (!FullUriPattern().IsMatch(value))
            {
                UriError(value, where, "InvalidFullLink");
                return false;
            }
            if (scheme is "http" or "ftp" or "https" && !HostPattern().IsMatch(value))
            {
                Error("InvalidFullLink", where);
                return false;
            }
            if (value.Contains(':', StringComparison.Ordinal) && scheme.All(char.IsAsciiLetter) && !IanaSchemes.Contains(scheme))
            {
                Warn("SchemeNotIANARegistered", where);
                return false;
            }
            return true;
        }

        /// <summary>A URI reference (relative allowed), as xmlbase / rfc3987 check it.</summary>
        private void Reference(string value, string where)
        {
            if (value.Length == 0)
            {
                Warn("AttrNotBlank", where);
                return;
            }
            var ascii = IdnLabels(value);
            if (!ReferencePattern().IsMatch(ascii))
            {
                UriError(value, where, "InvalidIRI");
            }
        }

        private void UriError(string value, string where, string otherwise)
        {
            foreach (var c in value)
            {
                if (c < 128 && !UriCharPattern().IsMatch(c.ToString()))
                {
                    Error("InvalidUriChar", where);
                    return;
                }
            }
            Error(value.Any(c => c >= 128) ? "UriNotIri" : otherwise, where);
        }

        /// <summary>nonhtml: plain text that must not carry HTML (validators.py nonhtml).</summary>
        private void NonHtml(XElement element, string where, string message, bool rss)
        {
            var value = element.Value;
            var inCData = element.Nodes().OfType<XCData>().Any();
            var tags = EndTagPattern().Matches(value).Select(m => m.Groups[1].Value.ToLowerInvariant()).Where(HtmlTags.Contains).ToList();
            if (tags.Count > 0)
            {
                Warn(message, where + " (end tag </" + tags[0] + ">)");
                return;
            }
            var entities = EntityPattern().Matches(value).Select(m => m.Groups[1].Value).ToList();
            if (entities.Count > 0)
            {
                if (!inCData && entities.Any(e => !e.All(char.IsAsciiLetter) || e == "apos" || IsEntityName(e)))
                {
                    Warn(message, where);
                }
                return;
            }
            if (rss && !inCData && CharacterDataPattern().IsMatch(value))
            {
                Warn("CharacterData", where);
            }
        }

        private static bool IsEntityName(string name) => WebUtility.HtmlDecode("&" + name + ";") != "&" + name + ";";

        /// <summary>safeHtml: HTML that a validator scans for unsafe markup and relative references.</summary>
        private void Html(string html, string where)
        {
            var document = new HtmlParser().ParseDocument("<!doctype html><html><body>" + html);
            foreach (var element in document.Body!.QuerySelectorAll("*"))
            {
                var tag = element.LocalName.ToLowerInvariant();
                if (element.NamespaceUri == AngleSharp.Dom.NamespaceNames.SvgUri || element.NamespaceUri == AngleSharp.Dom.NamespaceNames.MathMlUri)
                {
                    continue; // inline SVG and MathML: the validator's safe-HTML lists accept both
                }
                if (!HtmlTags.Contains(tag))
                {
                    Warn("NotHtml", where + " <" + tag + ">");
                    continue;
                }
                if (!AcceptableElements.Contains(tag))
                {
                    Warn("SecurityRisk", where + " <" + tag + ">");
                    continue;
                }
                foreach (var attribute in element.Attributes)
                {
                    var name = attribute.Name.ToLowerInvariant();
                    if (name == "style")
                    {
                        if (IsDangerousStyle(attribute.Value))
                        {
                            Warn("DangerousStyleAttr", where + " <" + tag + " style=\"" + attribute.Value + "\">");
                        }
                    }
                    else if (!AcceptableAttributes.Contains(name) && !name.StartsWith("data-", StringComparison.Ordinal))
                    {
                        Warn("SecurityRiskAttr", where + " <" + tag + " " + name + ">");
                    }
                }
            }
            foreach (Match match in RelativeRefPattern().Matches(html))
            {
                var reference = WebUtility.HtmlDecode(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value).Trim();
                if (!AbsoluteRefPattern().IsMatch(reference))
                {
                    if (reference.Any(c => c < 128 && !UriCharPattern().IsMatch(c.ToString())))
                    {
                        Error("InvalidUriChar", where + " " + reference);
                    }
                    else
                    {
                        Warn("ContainsRelRef", where + " " + reference);
                    }
                }
            }
        }

        private static bool IsDangerousStyle(string style)
        {
            if (!StyleCharsPattern().IsMatch(style) || !StyleShapePattern().IsMatch(style))
            {
                return true;
            }
            foreach (Match declaration in StyleDeclarationPattern().Matches(style.ToLowerInvariant()))
            {
                var property = declaration.Groups[1].Value;
                if (!CssProperties.Contains(property))
                {
                    return true;
                }
                if (property.Split('-')[0] is "background" or "border" or "margin" or "padding")
                {
                    foreach (var keyword in declaration.Groups[2].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!CssKeywords.Contains(keyword) && !CssValuePattern().IsMatch(keyword))
                        {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private static string Rel(XElement link) => link.Attribute("rel")?.Value ?? "alternate";

        private static XName A(string name) => XName.Get(name, AtomNs);
    }

    /// <summary>True when the value passes rfc2396_full (used for RSS permalinks).</summary>
    private static bool IsFullUri(string value) =>
        FullUriPattern().IsMatch(value) && (!(value.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) || HostPattern().IsMatch(value));

    /// <summary>Labels of the host made punycode, as Python's idna codec does before the IRI check.</summary>
    private static string IdnLabels(string value)
    {
        if (value.All(c => c < 128))
        {
            return value;
        }
        try
        {
            var builder = new StringBuilder();
            var start = value.IndexOf("://", StringComparison.Ordinal);
            if (start < 0)
            {
                return value;
            }
            var hostEnd = value.IndexOfAny(['/', '?', '#'], start + 3);
            hostEnd = hostEnd < 0 ? value.Length : hostEnd;
            builder.Append(value, 0, start + 3).Append(new IdnMapping().GetAscii(value[(start + 3)..hostEnd])).Append(value, hostEnd, value.Length - hostEnd);
            return builder.ToString();
        }
        catch (ArgumentException)
        {
            return value;
        }
    }

    // ------------------------------------------------------------------ canonical URIs (uri.py)

    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";
    private const string PChar = "-._~!$&'()*+,;=:@";

    private static readonly Dictionary<string, string> DefaultPorts = new(StringComparer.Ordinal)
    {
        ["ftp"] = "21", ["http"] = "80", ["https"] = "443", ["telnet"] = "23", ["gopher"] = "70", ["news"] = "119", ["nntp"] = "119",
    };

    /// <summary>The canonical form of a URI for the NonCanonicalURI test, or null when it has none.</summary>
    internal static string? Canonical(string value)
    {
        var match = UriPartsPattern().Match(value);
        if (!match.Success)
        {
            return null;
        }
        var scheme = match.Groups[2].Success ? match.Groups[2].Value.ToLowerInvariant() : null;
        var path = match.Groups[5].Value;
        string? authority = null;
        if (match.Groups[4].Success)
        {
            authority = match.Groups[4].Value.ToLowerInvariant();
            var port = PortPattern().Match(authority);
            if (port.Success)
            {
                var host = authority[..port.Index];
                authority = port.Groups[1].Value.Length == 0 || (scheme is not null && DefaultPorts.TryGetValue(scheme, out var standard) && standard == port.Groups[1].Value)
                    ? host
                    : authority;
            }
            path = NormalizePath(path);
        }
        else if (scheme == "mailto")
        {
            return value;
        }
        else if (scheme is null && !path.StartsWith('/'))
        {
            return null;
        }
        else
        {
            path = scheme is null || path.StartsWith('/') ? NormalizePath(path) : Requote(path, PChar + "/");
        }
        if (path is null)
        {
            return null;
        }
        var result = new StringBuilder();
        if (scheme is not null)
        {
            result.Append(scheme).Append(':');
        }
        if (authority is not null)
        {
            result.Append("//").Append(authority);
        }
        result.Append(path);
        if (match.Groups[6].Success)
        {
            result.Append('?').Append(Requote(match.Groups[7].Value, PChar + "/?"));
        }
        if (match.Groups[8].Success)
        {
            result.Append('#').Append(Requote(match.Groups[9].Value, PChar + "/?"));
        }
        return result.ToString();
    }

    private static string? NormalizePath(string path)
    {
        var segments = path.Split('/').ToList();
        var i = segments.Count > 0 && segments[0].Length > 0 ? segments.Count : 0;
        while (i < segments.Count)
        {
            var segment = segments[i];
            if (segment == ".")
            {
                if (i < segments.Count - 1)
                {
                    segments.RemoveAt(i);
                }
                else
                {
                    segments[i] = "";
                }
            }
            else if (segment == "..")
            {
                if (i < segments.Count - 1)
                {
                    segments.RemoveAt(i);
                }
                else
                {
                    segments[i] = "";
                }
                if (i > 1 || (i > 0 && segments[0].Length > 0))
                {
                    i--;
                    segments.RemoveAt(i);
                }
            }
            else
            {
                i++;
            }
        }
        if (segments.Count == 1 && segments[0].Length == 0)
        {
            segments = ["", ""];
        }
        return string.Join('/', segments.Select(s => Requote(s, PChar)));
    }

    /// <summary>Percent-decodes, then encodes every character outside unreserved and <paramref name="safe"/> (uppercase hex).</summary>
    private static string Requote(string text, string safe)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }
        var decoded = Encoding.UTF8.GetString(bytes.ToArray()).Normalize(NormalizationForm.FormC);
        var result = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(decoded))
        {
            var c = (char)b;
            if (b < 128 && (Unreserved.Contains(c, StringComparison.Ordinal) || safe.Contains(c, StringComparison.Ordinal)))
            {
                result.Append(c);
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return result.ToString();
    }

    // ------------------------------------------------------------------ vocabularies (validators.py)

    private static readonly HashSet<string> IanaSchemes =
    [
        "ftp", "http", "gopher", "mailto", "news", "nntp", "telnet", "wais", "file", "prospero", "z39.50s", "z39.50r", "cid", "mid",
        "vemmi", "service", "imap", "nfs", "acap", "rtsp", "tip", "pop", "data", "dav", "opaquelocktoken", "sip", "sips", "tel", "fax",
        "modem", "ldap", "https", "soap.beep", "soap.beeps", "xmlrpc.beep", "xmlrpc.beeps", "urn", "go", "h323", "ipp", "tftp",
        "mupdate", "pres", "im", "mtqp", "iris.beep", "dict", "snmp", "crid", "tag", "dns", "info", "aaa", "aaas", "cap", "iax",
        "icap", "iris", "iris.xpc", "iris.xpcs", "iris.lwz", "msrp", "msrps", "shttp", "thismessage", "tv", "xmpp",
    ];

    private static readonly HashSet<string> HtmlTags =
    [
        "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base", "basefont", "bdi", "bdo",
        "big", "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "command",
        "data", "datagrid", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "eventsource",
        "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
        "head", "header", "hgroup", "hr", "html", "i", "iframe", "img", "input", "ins", "isindex", "kbd", "label", "legend", "li",
        "link", "m", "main", "mark", "map", "menu", "meta", "meter", "nav", "noframes", "noscript", "object", "ol", "optgroup",
        "option", "output", "p", "param", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script", "section",
        "select", "slot", "small", "source", "span", "strike", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td",
        "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "xmp", "plaintext",
        "embed", "comment", "listing", "video", "wbr",
    ];

    private static readonly HashSet<string> AcceptableElements =
    [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "big", "blockquote", "br", "button",
        "canvas", "caption", "center", "cite", "code", "col", "colgroup", "command", "data", "datagrid", "datalist", "dd", "del",
        "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "eventsource", "fieldset", "figcaption", "figure", "footer",
        "font", "form", "header", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "hr", "i", "img", "input", "ins", "keygen", "kbd",
        "label", "legend", "li", "m", "main", "map", "mark", "menu", "meter", "multicol", "nav", "nextid", "ol", "output",
        "optgroup", "option", "p", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "select",
        "small", "sound", "source", "spacer", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "template", "textarea", "time", "tfoot", "th", "thead", "tr", "track", "tt", "u", "ul", "var", "video", "noscript", "wbr",
    ];

    private static readonly HashSet<string> AcceptableAttributes =
    [
        "abbr", "accept", "accept-charset", "accesskey", "action", "align", "allow", "allowfullscreen", "allowpaymentrequest",
        "alt", "as", "autoplay", "autocapitalize", "autocomplete", "autofocus", "axis", "background", "balance", "bgcolor",
        "bgproperties", "border", "bordercolor", "bordercolordark", "bordercolorlight", "bottompadding", "cellpadding",
        "cellspacing", "ch", "challenge", "char", "charoff", "choff", "charset", "checked", "cite", "class", "clear", "color",
        "cols", "colspan", "compact", "contenteditable", "coords", "crossorigin", "data", "datafld", "datapagesize", "datasrc",
        "datetime", "decoding", "default", "delay", "dir", "dirname", "disabled", "download", "draggable", "dynsrc", "enctype",
        "end", "enterkeyhint", "face", "for", "form", "formenctype", "frame", "galleryimg", "gutter", "headers", "height",
        "hidefocus", "hidden", "high", "href", "hreflang", "hspace", "icon", "id", "inputmode", "is", "ismap", "itemid",
        "itemprop", "itemref", "itemscope", "itemtype", "kind", "keytype", "label", "lang", "leftspacing", "loading", "list",
        "longdesc", "loop", "loopcount", "loopend", "loopstart", "low", "lowsrc", "max", "maxlength", "media", "method", "min",
        "minlength", "multiple", "muted", "name", "nohref", "nonce", "noshade", "nowrap", "open", "optimum", "pattern", "ping",
        "placeholder", "playsinline", "point-size", "poster", "preload", "prompt", "pqg", "radiogroup", "readonly",
        "referrerpolicy", "rel", "repeat-max", "repeat-min", "replace", "required", "rev", "reversed", "rightspacing", "rows",
        "rowspan", "rules", "scope", "selected", "shape", "size", "sizes", "span", "spellcheck", "src", "srclang", "srcset",
        "start", "step", "summary", "suppress", "tabindex", "target", "template", "title", "toppadding", "translate", "type",
        "unselectable", "usemap", "urn", "valign", "value", "variable", "volume", "vspace", "vrml", "width", "wrap", "xml:lang",
        "xmlns",
    ];

    private static readonly HashSet<string> CssProperties =
    [
        "azimuth", "background", "background-color", "border", "border-bottom", "border-bottom-color", "border-bottom-style",
        "border-bottom-width", "border-collapse", "border-color", "border-left", "border-left-color", "border-left-style",
        "border-left-width", "border-right", "border-right-color", "border-right-style", "border-right-width", "border-spacing",
        "border-style", "border-top", "border-top-color", "border-top-style", "border-top-width", "border-width", "clear",
        "color", "cursor", "direction", "display", "elevation", "float", "font", "font-family", "font-size", "font-style",
        "font-variant", "font-weight", "height", "letter-spacing", "line-height", "list-style-type", "margin", "margin-bottom",
        "margin-left", "margin-right", "margin-top", "overflow", "padding", "padding-bottom", "padding-left", "padding-right",
        "padding-top", "pause", "pause-after", "pause-before", "pitch", "pitch-range", "richness", "speak", "speak-header",
        "speak-numeral", "speak-punctuation", "speech-rate", "stress", "text-align", "text-decoration", "text-indent",
        "unicode-bidi", "vertical-align", "voice-family", "volume", "white-space", "width",
    ];

    private static readonly HashSet<string> CssKeywords =
    [
        "aqua", "auto", "black", "block", "blue", "bold", "both", "bottom", "brown", "center", "collapse", "dashed", "dotted",
        "fuchsia", "gray", "green", "!important", "italic", "left", "lime", "maroon", "medium", "none", "navy", "normal",
        "nowrap", "olive", "pointer", "purple", "red", "right", "solid", "silver", "teal", "top", "transparent", "underline",
        "white", "yellow",
    ];

    // ------------------------------------------------------------------ patterns

    [GeneratedRegex(@"^[a-zA-Z][0-9a-zA-Z+\-\.]*:(//)?[0-9a-zA-Z;/?:@&=+$\.\-_!~*'()%,#]+$")]
    private static partial Regex FullUriPattern();

    [GeneratedRegex(@"^([a-zA-Z][0-9a-zA-Z+\-\.]*:)?/{0,2}(\[[0-9A-Fa-f:]+\])?[0-9a-zA-Z;/?:@&=+$\.\-_!~*'()%,#]*$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^\w+://[^/].*")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"[0-9a-zA-Z;/?:@&=+$\.\-_!~*'()%,#]")]
    private static partial Regex UriCharPattern();

    [GeneratedRegex(@"^[a-zA-Z][0-9a-zA-Z+\-\.]*:")]
    private static partial Regex UriPattern();

    [GeneratedRegex(@"^tag:([a-z0-9\-\._]+?@)?[a-z0-9\.\-]+?,\d{4}(-\d{2}(-\d{2})?)?:[0-9a-zA-Z;/\?:@&=+$\.\-_!~*'\(\)%,]*(#[0-9a-zA-Z;/\?:@&=+$\.\-_!~*'\(\)%,]*)?$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[Uu][Rr][Nn]:[a-zA-Z0-9][a-zA-Z0-9-]{1,31}:([a-zA-Z0-9()+,\.:=@;$_!*'\-]|%[0-9A-Fa-f]{2})+$")]
    private static partial Regex UrnPattern();

    [GeneratedRegex(@"^[Uu][Rr][Nn]:[Uu][Uu][Ii][Dd]:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$")]
    private static partial Regex UuidPattern();

    [GeneratedRegex(@"^(http|https)://(([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([A-Z0-9\-]+\.)+))([A-Z0-9][-A-Z0-9]*)(?::\d+)?(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex HttpUrlPattern();

    [GeneratedRegex(@"^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*)?(Z|([+-]\d\d:\d\d))$")]
    private static partial Regex Rfc3339Pattern();

    [GeneratedRegex(@"^(((Mon)|(Tue)|(Wed)|(Thu)|(Fri)|(Sat)|(Sun)), )?\d\d? ((Jan)|(Feb)|(Mar)|(Apr)|(May)|(Jun)|(Jul)|(Aug)|(Sep)|(Oct)|(Nov)|(Dec)) \d\d\d\d \d\d:\d\d(:\d\d)? (([+-]?\d\d[03]0)|(UT)|(GMT)|(EST)|(EDT)|(CST)|(CDT)|(MST)|(MDT)|(PST)|(PDT)|Z)$")]
    private static partial Regex Rfc2822Pattern();

    [GeneratedRegex("""^[^\s()<>,;:\\"/\[\]?=]+/[^\s()<>,;:\\"/\[\]?=]+(\s*;\s*[^\s()<>,;:\\"/\[\]?=]+=("(\\"|[^"])*"|[^\s()<>,;:\\"/\[\]?=]+))*$""")]
    private static partial Regex Mime();

    [GeneratedRegex(@"^[A-Z0-9_\-\+\.\']+@(([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([A-Z0-9\-]+\.)+))([A-Z0-9][-A-Z0-9]*)$", RegexOptions.IgnoreCase)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"^\w+$")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"</(\w+)>")]
    private static partial Regex EndTagPattern();

    [GeneratedRegex(@"&(#?\w+)")]
    private static partial Regex EntityPattern();

    [GeneratedRegex(@"&#[x0-9]|<[/a-zA-Z]")]
    private static partial Regex CharacterDataPattern();

    [GeneratedRegex("""<(?:a\s+href|img\s+[^>]*src)=(?:"(.*?)"|'(.*?)'|([\w-]+))[\s>]""", RegexOptions.IgnoreCase)]
    private static partial Regex RelativeRefPattern();

    [GeneratedRegex(@"^\w+:")]
    private static partial Regex AbsoluteRefPattern();

    [GeneratedRegex("""^([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*$""")]
    private static partial Regex StyleCharsPattern();

    [GeneratedRegex(@"^(\s*[-\w]+\s*:\s*[^:;]*(;|$))*$")]
    private static partial Regex StyleShapePattern();

    [GeneratedRegex(@"([-\w]+)\s*:\s*([^:;]*)")]
    private static partial Regex StyleDeclarationPattern();

    [GeneratedRegex(@"^(#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d?\.?\d?\d(cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$")]
    private static partial Regex CssValuePattern();

    [GeneratedRegex(@"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$")]
    private static partial Regex UriPartsPattern();

    [GeneratedRegex(@":(\d*)$")]
    private static partial Regex PortPattern();
}
