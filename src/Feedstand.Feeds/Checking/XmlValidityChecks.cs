using System.Collections.Frozen;

namespace Feedstand.Feeds.Checking;

/// <summary>The attribute, value and required-element checks of <see cref="XmlValidity"/>.</summary>
internal sealed partial class XmlValidity
{
    private static readonly FrozenSet<string> MathMlAttributes = FrozenSet.Create(StringComparer.Ordinal,
        "actiontype", "align", "columnalign", "columnlines", "columnspacing", "columnspan", "depth", "display", "displaystyle",
        "encoding", "equalcolumns", "equalrows", "fence", "fontstyle", "fontweight", "frame", "height", "linethickness", "lspace",
        "mathbackground", "mathcolor", "mathvariant", "maxsize", "minsize", "open", "close", "other", "rowalign", "rowlines",
        "rowspacing", "rowspan", "rspace", "scriptlevel", "selection", "separator", "separators", "stretchy", "width", "xlink:href",
        "xlink:show", "xlink:type", "xmlns", "xmlns:xlink", "class", "id", "style", "href", "accent", "accentunder", "notation", "subscriptshift", "superscriptshift");

    private static readonly FrozenSet<string> ItunesCategories = FrozenSet.Create(StringComparer.Ordinal,
        "Arts", "Business", "Comedy", "Education", "Fiction", "Government", "History", "Health & Fitness", "Kids & Family", "Leisure",
        "Music", "News", "Religion & Spirituality", "Science", "Society & Culture", "Sports", "Technology", "True Crime", "TV & Film",
        "Games & Hobbies", "Health", "Government & Organizations", "Science & Medicine", "Sports & Recreation", "Books", "Design",
        "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts", "Careers", "Entrepreneurship", "Investing", "Management",
        "Marketing", "Non-Profit", "Comedy Interviews", "Improv", "Stand-Up", "Courses", "How To", "Language Learning",
        "Self-Improvement", "Comedy Fiction", "Drama", "Science Fiction", "Alternative Health", "Fitness", "Medicine", "Mental Health",
        "Nutrition", "Sexuality", "Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids", "Animation & Manga",
        "Automotive", "Aviation", "Crafts", "Home & Garden", "Video Games", "Music Commentary", "Music History", "Music Interviews",
        "Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News", "Tech News", "Buddhism",
        "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality", "Astronomy", "Chemistry", "Earth Sciences",
        "Life Sciences", "Mathematics", "Natural Sciences", "Nature", "Physics", "Social Sciences", "Documentary", "Personal Journals",
        "Philosophy", "Places & Travel", "Relationships", "Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf",
        "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling", "After Shows",
        "Film History", "Film Interviews", "Film Reviews", "TV Reviews", "Gadgets", "Podcasting", "Software How-To", "Tech News",
        "Higher Education", "K-12", "Language Courses", "Training", "Educational Technology", "Hobbies", "Other Games", "Outdoor",
        "Automotive", "College & High School", "Amateur", "Professional", "Other", "Local", "National", "Regional", "Self-Help",
        "Medicine", "Natural Sciences", "Social Sciences", "Other", "Business News", "Shopping");

    private void CheckAttributes(Frame frame, Frame? parent)
    {
        var parentName = parent?.Local ?? "root";
        if (frame.Attribute("xml:lang") is { Length: > 0 } lang && !ValueRules.IsLanguage(lang))
        {
            Report("InvalidLanguage", "xml:lang", frame.Name, lang);
        }
        if (frame.Attribute("xml:base") is { } xmlBase && ValueRules.UrlProblem(xmlBase, false) is { } baseProblem)
        {
            Report(baseProblem, "xml:base", frame.Name, xmlBase);
        }

        if (IsAtom(frame.Ns))
        {
            switch (frame.Kind)
            {
                case Kind.Leaf when frame.Local == "link":
                    CheckAtomLink(frame, parent);
                    break;
                case Kind.Leaf when frame.Local == "category":
                    if (frame.Attribute("term") is null)
                    {
                        Report("MissingAttribute", "category", parentName, "term");
                    }
                    if (frame.Attribute("scheme") is { } scheme && ValueRules.UrlProblem(scheme, true) is { } schemeProblem)
                    {
                        Report(schemeProblem, "scheme", "category", scheme);
                    }
                    if (frame.Attribute("label") is { } label && ValueRules.LooksLikeHtml(label))
                    {
                        Report("ContainsHTML", "label", "category");
                    }
                    break;
                case Kind.Leaf when frame.Local == "generator":
                    var uri = frame.Attribute("uri") ?? frame.Attribute("url");
                    if (uri is not null && ValueRules.UrlProblem(uri, false) is { } uriProblem)
                    {
                        Report(uriProblem, "generator", parentName, uri);
                    }
                    break;
                case Kind.AtomText:
                    CheckTextType(frame, parentName, isContent: false);
                    break;
                case Kind.AtomContent:
                    CheckTextType(frame, parentName, isContent: true);
                    if (parent is not null && (frame.Attribute("src") is not null || !IsTextualType(frame.Attribute("type"))))
                    {
                        parent.NeedsSummary = true;
                    }
                    if (frame.Attribute("src") is { } src && ValueRules.UrlProblem(src, false) is { } srcProblem)
                    {
                        Report(srcProblem, "src", "content", src);
                    }
                    break;
                default:
                    break;
            }
            return;
        }

        if (frame.Ns == "http://www.w3.org/2005/Atom/" && frame.Local == "link")
        {
            CheckAtomLink(frame, parent);
            return;
        }

        switch (frame.Ns, frame.Local, parent?.Kind)
        {
            case ("", "enclosure", Kind.Item):
                foreach (var required in (string[])["url", "length", "type"])
                {
                    if (frame.Attribute(required) is null)
                    {
                        Report("MissingAttribute", "enclosure", "item", required);
                    }
                }
                if (frame.Attribute("url") is { } url && ValueRules.UrlProblem(url.Trim(), true) is { } urlProblem)
                {
                    Report(urlProblem, "url", "enclosure", url);
                }
                if (frame.Attribute("type") is { } type && !ValueRules.IsMimeType(type))
                {
                    Report("InvalidMIMEType", "enclosure", "item", type);
                }
                break;
            case ("", "source", Kind.Item):
                if (frame.Attribute("url") is not { } sourceUrl)
                {
                    Report("MissingAttribute", "source", "item", "url");
                }
                else if (ValueRules.UrlProblem(sourceUrl.Trim(), true) is { } sourceProblem)
                {
                    Report(sourceProblem == "InvalidUriChar" ? sourceProblem : "InvalidFullLink", "url", "source", sourceUrl);
                }
                break;
            case ("", "cloud", Kind.Channel):
                foreach (var required in (string[])["domain", "port", "path", "registerProcedure", "protocol"])
                {
                    if (frame.Attribute(required) is null)
                    {
                        Report("MissingAttribute", "cloud", "channel", required);
                    }
                }
                break;
            default:
                break;
        }

        if (frame.Kind is Kind.Rss1Channel or Kind.Rss1Item or Kind.Rss1Image or Kind.Rss1TextInput)
        {
            var about = frame.Attribute("rdf:about");
            if (about is null)
            {
                if (frame.Ns == Ns.Rss1 && (frame.Kind != Kind.Rss1Item || _format == "rdf"))
                {
                    if (frame.Kind != Kind.Rss1Channel || _format == "rdf" || parent is null)
                    {
                        if (!(frame.Kind == Kind.Rss1Item && frame.Ns == Ns.Rss11))
                        {
                            Report("MissingAttribute", frame.Name, parentName == "RDF" ? "rdf_RDF" : parentName, "rdf:about");
                        }
                    }
                }
            }
            else if (ValueRules.UrlProblem(about.Trim(), true) is { } aboutProblem)
            {
                Report(aboutProblem, frame.Name, parentName, about);
            }
        }
    }

    private void CheckAtomLink(Frame frame, Frame? parent)
    {
        var parentName = parent?.Local ?? "root";
        var href = frame.Attribute("href");
        if (href is null)
        {
            Report("MissingAttribute", "link", parentName, "href");
        }
        else if (ValueRules.UrlProblem(href, false) is { } hrefProblem)
        {
            Report(hrefProblem, "href", parentName, href);
        }
        var rel = frame.Attribute("rel") ?? "alternate";
        if (rel.StartsWith("http://www.iana.org/assignments/relation/", StringComparison.Ordinal))
        {
            rel = rel["http://www.iana.org/assignments/relation/".Length..];
        }
        if (rel == "self" && parent?.Kind is Kind.AtomFeed or Kind.Channel)
        {
            _hasSelf = true;
        }
        var type = frame.Attribute("type");
        if (type is not null && !ValueRules.IsMimeType(type))
        {
            Report("InvalidMIMEType", "link", parentName, type);
        }
        var hreflang = frame.Attribute("hreflang");
        if (hreflang is not null && !ValueRules.IsLanguage(hreflang))
        {
            Report("InvalidLanguage", "hreflang", parentName, hreflang);
        }
        if (frame.Attribute("title") is { } title)
        {
            if (ValueRules.HasBadCharacters(title))
            {
                Report("BadCharacters", "title", "link");
            }
            if (ValueRules.LooksLikeHtml(title))
            {
                Report("ContainsHTML", "link", parentName);
            }
        }
        if (frame.Attribute("length") is { } length && !length.Trim().All(char.IsAsciiDigit))
        {
            Report("InvalidNonNegativeInteger", "length", "link", length);
        }
        if (parent is not null && rel == "alternate" && IsAtom(frame.Ns))
        {
            parent.AlternateLinks ??= new HashSet<string>(StringComparer.Ordinal);
            if (!parent.AlternateLinks.Add((type ?? "").ToLowerInvariant() + "|" + (hreflang ?? "").ToLowerInvariant()))
            {
                Report("DuplicateAtomLink", "link", parentName);
            }
        }
    }

    private void CheckTextType(Frame frame, string parentName, bool isContent)
    {
        var type = frame.Attribute("type");
        if (type is null or "text" or "html" or "xhtml")
        {
            if (isContent && type is not null && frame.Attribute("src") is not null)
            {
                Report("InvalidMIMEType", frame.Name, parentName, type);
            }
            return;
        }
        if (frame.Ns == Ns.Atom03)
        {
            if (!ValueRules.IsMimeType(type))
            {
                Report("InvalidMIMEType", frame.Name, parentName, type);
            }
            return;
        }
        if (!isContent)
        {
            Report(ValueRules.IsMimeType(type) ? "InvalidTextType" : "InvalidMIMEType", frame.Name, parentName, type);
            return;
        }
        if (!ValueRules.IsMimeType(type) || type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            Report("InvalidMIMEType", frame.Name, parentName, type);
        }
    }

    private static bool IsTextualType(string? type) =>
        type is null or "text" or "html" or "xhtml" || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || IsXmlMediaType(type);

    private static bool IsXmlMediaType(string? type) =>
        type is not null && (type.EndsWith("/xml", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase));

    private static bool IsXhtmlType(Frame frame)
    {
        var type = frame.Attribute("type");
        if (frame.Ns == Ns.Atom03)
        {
            return frame.Attribute("mode") is null or "xml";
        }
        return type is "xhtml" or "application/xhtml+xml";
    }

    private static bool IsHtmlType(Frame frame)
    {
        var type = frame.Attribute("type");
        if (frame.Ns == Ns.Atom03)
        {
            return frame.Attribute("mode") == "escaped" || type == "text/html";
        }
        return type is "html" or "text/html";
    }

    private void CheckXhtml(Frame child, Frame parent)
    {
        if (child.Ns == Ns.Xhtml)
        {
            HtmlRules.CheckElement(child.Local, child.Attributes.Select(a => (a.Key, a.Value)), (id, detail) => Report(id, child.Local, parent.Local, detail));
        }
        else if (child.Ns == Ns.MathMl)
        {
            foreach (var attribute in child.Attributes.Keys)
            {
                if (!MathMlAttributes.Contains(attribute))
                {
                    Report("SecurityRiskAttr", child.Local, parent.Local, attribute);
                }
            }
        }
    }

    private void RequireResource(Frame child, Frame parent)
    {
        if (child.Attribute("rdf:resource") is not { } resource)
        {
            Report("MissingAttribute", child.Name, parent.Local, "rdf:resource");
        }
        else if (ValueRules.UrlProblem(resource.Trim(), true) is { } problem)
        {
            Report(problem, child.Name, parent.Local, resource);
        }
    }

    private void CheckItunesCategory(Frame child, Frame parent)
    {
        if (child.Attribute("text") is not { } text)
        {
            Report("MissingAttribute", child.Name, parent.Local, "text");
        }
        else if (!ItunesCategories.Contains(text))
        {
            Report("InvalidItunesCategory", child.Name, parent.Local, text);
        }
    }

    private void CheckMedia(Frame child, Frame parent)
    {
        var name = child.Name;
        switch (child.Local)
        {
            case "content":
                if (child.Attribute("url") is { } url && ValueRules.UrlProblem(url, true) is { } urlProblem)
                {
                    Report(urlProblem, "url", name, url);
                }
                if (child.Attribute("lang") is { } lang && !ValueRules.IsLanguage(lang))
                {
                    Report("InvalidLanguage", "lang", name, lang);
                }
                if (child.Attribute("type") is { } type && !ValueRules.IsMimeType(type))
                {
                    Report("InvalidMIMEType", "type", name, type);
                }
                if (child.Attribute("medium") is { } medium && medium is not ("image" or "audio" or "video" or "document" or "executable"))
                {
                    Report("InvalidMediaMedium", "medium", name, medium);
                }
                if (child.Attribute("expression") is { } expression && expression is not ("sample" or "full" or "nonstop"))
                {
                    Report("InvalidMediaExpression", "expression", name, expression);
                }
                break;
            case "thumbnail":
                if (child.Attribute("url") is not { } thumb)
                {
                    Report("MissingAttribute", name, parent.Local, "url");
                }
                else if (ValueRules.UrlProblem(thumb, true) is { } thumbProblem)
                {
                    Report(thumbProblem, "url", name, thumb);
                }
                break;
            case "player" or "copyright" or "credit" or "community" or "license":
                if (child.Attribute("url") is { } otherUrl && ValueRules.UrlProblem(otherUrl, false) is { } otherProblem)
                {
                    Report(otherProblem, "url", name, otherUrl);
                }
                break;
            case "category":
                if (child.Attribute("label") is { } label && ValueRules.LooksLikeHtml(label))
                {
                    Report("ContainsHTML", "label", name);
                }
                break;
            case "text":
                if (child.Attribute("lang") is { } textLang && !ValueRules.IsLanguage(textLang))
                {
                    Report("InvalidLanguage", "lang", name, textLang);
                }
                break;
            case "title" or "description":
                child.Value = Value.MediaText;
                break;
            case "restriction":
                child.Value = Value.MediaRestriction;
                break;
            default:
                break;
        }
    }

    private void CheckValue(Frame frame, Frame? parent)
    {
        var parentName = parent?.Local ?? "root";
        if (frame.Kind is Kind.AtomText or Kind.AtomContent)
        {
            CheckAtomText(frame, parentName);
            return;
        }
        if (frame.Value == Value.None)
        {
            return;
        }
        var raw = frame.Text.ToString();
        var text = raw.Trim();
        var name = frame.Name;
        switch (frame.Value)
        {
            case Value.Text:
                CheckPlain(raw, name, parentName, "ContainsHTML");
                break;
            case Value.NonBlankText:
                if (text.Length == 0)
                {
                    Report("NotBlank", name, parentName);
                }
                CheckPlain(raw, name, parentName, "ContainsHTML");
                break;
            case Value.Rfc822:
                if (!ValueRules.IsRfc822(raw))
                {
                    Report("InvalidRFC2822Date", name, parentName, text);
                }
                else
                {
                    CheckPlausible(text, name, parentName);
                }
                break;
            case Value.Rfc3339:
                if (!ValueRules.IsRfc3339(raw))
                {
                    Report("InvalidRFC3339Date", name, parentName, text);
                }
                else
                {
                    CheckPlausible(text, name, parentName);
                }
                break;
            case Value.W3cDtf:
                if (!ValueRules.IsW3cDtf(raw))
                {
                    Report("InvalidW3CDTFDate", name, parentName, text);
                }
                break;
            case Value.Url or Value.FullUrl:
                if (text.Length == 0)
                {
                    Report("NotBlank", name, parentName);
                }
                else if (ValueRules.UrlProblem(text, frame.Value == Value.FullUrl) is { } problem)
                {
                    Report(problem == "InvalidFullLink" && frame.Ns.Length == 0 ? "InvalidLink" : problem, name, parentName, text);
                }
                break;
            case Value.RssContact:
                if (!ValueRules.IsRssContact(text))
                {
                    Report("InvalidContact", name, parentName, text);
                }
                break;
            case Value.AtomEmail:
                if (!ValueRules.IsEmail(text))
                {
                    Report("InvalidContact", name, parentName, text);
                }
                break;
            case Value.Language:
                if (!ValueRules.IsLanguage(text))
                {
                    Report("InvalidLanguage", name, parentName, text);
                }
                break;
            case Value.Html:
                HtmlRules.Check(raw, (id, detail) => Report(id, name, parentName, detail));
                break;
            case Value.Integer:
                if (text.Length == 0 || !text.All(char.IsAsciiDigit))
                {
                    Report("InvalidInteger", name, parentName, text);
                }
                break;
            case Value.UpdatePeriod:
                if (text is not ("hourly" or "daily" or "weekly" or "monthly" or "yearly"))
                {
                    Report("InvalidUpdatePeriod", name, parentName, text);
                }
                break;
            case Value.Day:
                if (text is not ("Monday" or "Tuesday" or "Wednesday" or "Thursday" or "Friday" or "Saturday" or "Sunday"))
                {
                    Report("InvalidDay", name, parentName, text);
                }
                break;
            case Value.Hour:
                if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hour) || hour > 24)
                {
                    Report("InvalidHour", name, parentName, text);
                }
                break;
            case Value.Guid:
                if (text.Length == 0)
                {
                    Report("NotBlank", name, parentName);
                }
                else if (frame.Attribute("isPermaLink")?.Trim() != "false"
                    && (ValueRules.UrlProblem(text, true) is not null || !(text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))))
                {
                    Report("InvalidPermalink", name, parentName, text);
                }
                break;
            case Value.AtomId:
                CheckAtomId(text, name, parentName, parent);
                break;
            case Value.MediaText:
                var mediaType = frame.Attribute("type") ?? "plain";
                if (mediaType == "html")
                {
                    if (!raw.Contains('<', StringComparison.Ordinal) && raw.Contains('&', StringComparison.Ordinal))
                    {
                        Report("NotHtml", name, parentName);
                    }
                    HtmlRules.Check(raw, (id, detail) => Report(id, name, parentName, detail));
                }
                else
                {
                    CheckPlain(raw, name, parentName, "ContainsUndeclaredHTML");
                }
                break;
            case Value.Choice:
                var (choiceId, allowed) = Choices[frame.Name];
                if (!allowed.Contains(text.ToLowerInvariant()))
                {
                    Report(choiceId, name, parentName, text);
                }
                break;
            case Value.PositiveInteger:
                if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var positive) || positive < 1)
                {
                    Report("InvalidPositiveInteger", name, parentName, text);
                }
                break;
            case Value.Duration:
                if (!IsDuration(text))
                {
                    Report("InvalidDuration", name, parentName, text);
                }
                break;
            case Value.MediaRestriction:
                if (frame.Attribute("type") == "uri" && text is not ("all" or "none"))
                {
                    foreach (var uri in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (ValueRules.UrlProblem(uri, true) is not null)
                        {
                            Report("InvalidFullLink", name, parentName, uri);
                            break;
                        }
                    }
                }
                break;
            default:
                break;
        }
    }

    private static bool IsDuration(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
        {
            return false;
        }
        return parts.Skip(1).All(p => p.Length <= 2);
    }

    private void CheckPlain(string text, string name, string parentName, string id)
    {
        if (ValueRules.LooksLikeHtml(text))
        {
            Report(id, name, parentName);
        }
        if (ValueRules.HasBadCharacters(text))
        {
            Report("BadCharacters", name, parentName);
        }
    }

    private void CheckPlausible(string text, string name, string parentName)
    {
        if (ValueRules.ParseDate(text) is not { } date)
        {
            return;
        }
        if (date.Year < 1995)
        {
            Report("ImplausibleDate", name, parentName, text);
        }
        else if (date > _now.AddDays(1))
        {
            Report("FutureDate", name, parentName, text);
        }
    }

    private void CheckAtomId(string text, string name, string parentName, Frame? parent)
    {
        if (text.Length == 0)
        {
            Report("NotBlank", name, parentName);
            Report("InvalidFullLink", name, parentName);
            return;
        }
        if (ValueRules.UrlProblem(text, true) is { } problem)
        {
            Report(problem, name, parentName, text);
            return;
        }
        if (!ValueRules.IsCanonical(text))
        {
            Report("NonCanonicalURI", name, parentName, text);
        }
        if (parent?.Kind == Kind.AtomEntry && _frames.Count == 2 && !_entryIds.Add(text))
        {
            Report("DuplicateEntries", "entry", "feed", text);
        }
    }

    private void CheckAtomText(Frame frame, string parentName)
    {
        var raw = frame.Text.ToString();
        var name = frame.Name;
        if (IsXhtmlType(frame))
        {
            if (frame.ChildElements == 0 && raw.Trim().Length > 0)
            {
                Report("NotInline", name, parentName);
            }
            return;
        }
        if (frame.Kind == Kind.AtomContent && frame.Attribute("src") is not null)
        {
            if (raw.Trim().Length > 0)
            {
                Report("UndefinedElement", name, parentName, "content with src must be empty");
            }
            return;
        }
        if (IsHtmlType(frame))
        {
            HtmlRules.Check(raw, (id, detail) => Report(id, name, parentName, detail));
            return;
        }
        var type = frame.Attribute("type");
        if (type is null or "text" or "text/plain")
        {
            if (frame.HasCData && ValueRules.LooksLikeHtml(raw) && frame.Ns == Ns.Atom03)
            {
                Report("NotInline", name, parentName);
            }
            else if (frame.Local is "name")
            {
                CheckPlain(raw, name, parentName, "ContainsHTML");
            }
            else if (ValueRules.LooksLikeHtml(raw))
            {
                Report("ContainsUndeclaredHTML", name, parentName);
            }
        }
    }

    private void CheckRequired(Frame frame)
    {
        var name = frame.Name;
        bool Has(string child) => frame.Counts.ContainsKey(child) || frame.Counts.ContainsKey("atom:" + child);
        void Require(string child, string id)
        {
            if (!Has(child))
            {
                Report(id, child, name, line: frame.Line);
            }
        }

        switch (frame.Kind)
        {
            case Kind.Channel:
                Require("title", "MissingTitle");
                Require("link", "MissingLink");
                Require("description", "MissingDescription");
                if (!_hasSelf)
                {
                    Report("MissingAtomSelfLink", "atom:link", "channel", line: frame.Line);
                }
                break;
            case Kind.Item:
                if (!Has("title") && !Has("description"))
                {
                    Report("ItemMustContainTitleOrDescription", "item", "channel", line: frame.Line);
                }
                if (!frame.HasGuid)
                {
                    ReportOnce("MissingGuid", "guid", "item");
                }
                break;
            case Kind.Image:
            case Kind.Rss1Image:
                Require("url", "MissingElement");
                Require("title", "MissingTitle");
                Require("link", "MissingLink");
                break;
            case Kind.TextInput:
            case Kind.Rss1TextInput:
                Require("title", "MissingTitle");
                Require("description", "MissingDescription");
                Require("name", "MissingElement");
                Require("link", "MissingLink");
                break;
            case Kind.Rss1Channel:
                Require("title", "MissingTitle");
                Require("link", "MissingLink");
                Require("description", "MissingDescription");
                break;
            case Kind.Rss1Item:
                Require("title", "MissingTitle");
                Require("link", "MissingLink");
                break;
            case Kind.AtomFeed when frame.Ns == Ns.Atom:
                Require("id", "MissingElement");
                Require("title", "MissingElement");
                Require("updated", "MissingElement");
                if (!_hasSelf)
                {
                    Report("MissingSelf", "link", "feed", line: frame.Line);
                }
                break;
            case Kind.AtomEntry when frame.Ns == Ns.Atom:
                Require("id", "MissingElement");
                Require("title", "MissingElement");
                Require("updated", "MissingElement");
                if (frame.NeedsSummary && !Has("summary"))
                {
                    Report("MissingSummary", "entry", _frames.Count > 0 ? _frames.Peek().Local : "root", line: frame.Line);
                }
                break;
            case Kind.AtomPerson when frame.Ns == Ns.Atom:
                Require("name", "MissingElement");
                break;
            default:
                break;
        }
    }
}
