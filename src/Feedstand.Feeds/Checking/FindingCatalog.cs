using System.Collections.Frozen;

namespace Feedstand.Feeds.Checking;

/// <summary>
/// Every finding the check can make: its level (the validator's, where the validator has the class),
/// its section, what it means and how to fix it, with hints for the common blog engines.
/// </summary>
public static class FindingCatalog
{
    public sealed record Entry(FindingLevel Level, CheckSection Section, string Message, string Help);

    private const FindingLevel E = FindingLevel.Error;
    private const FindingLevel W = FindingLevel.Warning;
    private const FindingLevel I = FindingLevel.Info;
    private const CheckSection V = CheckSection.Validity;
    private const CheckSection H = CheckSection.Http;
    private const CheckSection R = CheckSection.Readers;
    private const CheckSection D = CheckSection.Discovery;

    private const string Engines =
        " WordPress, Hugo, Jekyll, Ghost, Substack and Blogger write this from the theme's feed template: fix it there (Hugo: layouts/_default/rss.xml; Jekyll: jekyll-feed's feed.xml; WordPress: a plugin or the theme's feed-*.php).";

    private static readonly FrozenDictionary<string, Entry> Entries = new Dictionary<string, Entry>(StringComparer.Ordinal)
    {
        ["SAXError"] = new(E, V, "The document is not well-formed XML", "Readers that follow the XML rules reject the whole feed. Escape & as &amp;amp; and < as &amp;lt;, close every element, declare every namespace prefix." + Engines),
        ["UnicodeError"] = new(E, V, "The bytes do not match the declared encoding", "Declare the encoding the file is really written in (UTF-8 is best) in the XML declaration and the HTTP Content-Type charset."),
        ["ObsoleteNamespace"] = new(E, V, "This feed uses an obsolete namespace", "Atom 0.3 was replaced by Atom 1.0 (RFC 4287) in 2005; switch the feed template to Atom 1.0 or RSS 2.0."),
        ["UndefinedElement"] = new(E, V, "Undefined element", "This element is not part of the format where it appears. Put extensions in their own namespace, or move the element where the spec allows it."),
        ["MissingElement"] = new(E, V, "A required element is missing", "Readers need it to show the feed or item; add it in the feed template."),
        ["MissingTitle"] = new(E, V, "A required title is missing", "Add a title element."),
        ["MissingLink"] = new(E, V, "A required link is missing", "Add a link element."),
        ["MissingDescription"] = new(E, V, "A required description is missing", "Add a description element."),
        ["MissingSummary"] = new(E, V, "An entry whose content is not inline text needs a summary", "Readers cannot show out-of-line or binary content; add an atom:summary."),
        ["MissingAttribute"] = new(E, V, "A required attribute is missing", "Add the attribute the element requires."),
        ["DuplicateElement"] = new(E, V, "An element that may appear once appears more than once", "Readers keep one of them, at random; remove the extra copy in the feed template."),
        ["DuplicateAtomLink"] = new(E, V, "Two links with the same rel, type and hreflang", "Atom allows one alternate link per type and language; remove the duplicate."),
        ["DuplicateEntries"] = new(W, V, "Two entries with the same id", "Readers show one and drop the other, or flip between them; give each entry its own id."),
        ["InvalidRFC2822Date"] = new(E, V, "The date is not an RFC 822 date", "RSS dates look like 'Mon, 02 Jan 2006 15:04:05 +0000'. WordPress and Hugo get it right by default; a theme that formats dates by hand often does not."),
        ["InvalidRFC3339Date"] = new(E, V, "The date is not an RFC 3339 date", "Atom dates look like '2006-01-02T15:04:05Z' or '...+02:00' (seconds and a time zone are required)."),
        ["InvalidW3CDTFDate"] = new(E, V, "The date is not a W3C date-time", "Use the form 2006-01-02T15:04:05Z."),
        ["ImplausibleDate"] = new(W, V, "The date is implausible", "A date before 1995 is most likely a default value; use the real publication date."),
        ["FutureDate"] = new(W, V, "The date is in the future", "Readers sort by date: a post dated tomorrow stays on top; check the server's clock and time zone."),
        ["InvalidLink"] = new(E, V, "Not a valid URL", "Links must be URLs (absolute is safest); remove spaces and escape special characters."),
        ["InvalidFullLink"] = new(E, V, "Not a full URL", "This value must be an absolute URL with a scheme (https://...)."),
        ["InvalidUriChar"] = new(E, V, "A character that is not allowed in a URL", "Percent-encode spaces and other special characters, and trim white space around URLs."),
        ["InvalidPermalink"] = new(E, V, "The guid says it is a permalink but is not a URL", "Add isPermaLink=\"false\" to guids that are not URLs (WordPress: the ?p= guid is a URL; custom templates often are not)."),
        ["NonCanonicalURI"] = new(W, V, "The URI is not in canonical form", "Readers compare ids as strings: lower-case scheme and host, no default port, a path of at least '/', no '.' or '..' segments."),
        ["InvalidContact"] = new(E, V, "Not a valid e-mail address", "RSS wants 'address@example.com (Name)'; Atom's email element the bare address."),
        ["InvalidLanguage"] = new(E, V, "Not a valid language code", "Use a language tag such as 'en', 'en-us' or 'zh-cn' (Hugo: languageCode in the site config; WordPress: Settings > General)."),
        ["InvalidMIMEType"] = new(E, V, "Not a valid MIME type", "Use a type such as 'text/html' or 'image/png'."),
        ["InvalidTextType"] = new(E, V, "The type must be text, html or xhtml", "Atom text elements take type=\"text\", \"html\" or \"xhtml\" only."),
        ["InvalidItunesCategory"] = new(E, V, "Not one of Apple Podcasts' categories", "Pick the category from Apple's list, spelled exactly."),
        ["InvalidValue"] = new(E, V, "Invalid value", "The value is not one the format allows."),
        ["InvalidInteger"] = new(E, V, "Not a whole number", "Use digits only."),
        ["NotBlank"] = new(W, V, "The element is empty", "Fill it in or leave the element out."),
        ["ContainsHTML"] = new(W, V, "HTML in a plain-text field", "Readers show the tags as text. Strip HTML from titles and names (WordPress: a plugin that adds HTML to titles; Hugo: use .Title | plainify)."),
        ["ContainsUndeclaredHTML"] = new(W, V, "HTML in an element that is not declared as HTML", "Add type=\"html\" or remove the markup."),
        ["NotHtml"] = new(W, V, "Invalid HTML", "The markup has an unknown element or a broken tag; readers may show it wrongly."),
        ["NotInline"] = new(W, V, "Escaped markup in an element declared as inline XHTML or text", "Declare the type that matches the content."),
        ["BadCharacters"] = new(W, V, "Control or look-alike characters", "Remove invisible control characters and smart-quote leftovers."),
        ["SecurityRisk"] = new(W, V, "Content that readers remove for safety (script, embed, object, event handlers)", "Readers strip it, so whatever it does is lost; use plain HTML and links. Substack and Ghost embeds are iframes readers drop."),
        ["SecurityRiskAttr"] = new(W, V, "An attribute that readers remove for safety", "Drop the attribute."),
        ["DangerousStyleAttr"] = new(W, V, "A style attribute readers remove", "Readers drop styles they cannot prove safe (position, mso-*, expressions); keep styles simple or use plain HTML (Word paste leaves mso-* styles behind)."),
        ["MissingSelf"] = new(W, V, "Missing atom:link with rel=\"self\"", "Add <atom:link rel=\"self\" href=\"the feed's URL\" type=\"application/rss+xml\"/> so readers know the feed's own address (Hugo's default RSS template has it; Jekyll's jekyll-feed too)."),
        ["SelfDoesNotMatchLocation"] = new(W, V, "The rel=\"self\" link is not where the feed was fetched from", "Point the self link at the feed's public URL."),
        ["MissingGuid"] = new(W, V, "An item has no guid", "Without a guid readers spot duplicates by link or title and may show an edited post twice; add a permanent guid."),
        ["DuplicateGuid"] = new(W, V, "Two items share a guid", "Readers show one of them; give each item its own guid."),
        ["RelativeUrlWithoutBase"] = new(W, V, "A relative URL with no base to resolve it", "Readers resolve it against the feed's URL at best; write absolute URLs (Hugo: absURL; Jekyll: absolute_url)."),
        ["ItemMustContainTitleOrDescription"] = new(E, V, "An item has neither a title nor a description", "RSS 2.0 needs at least one of them in every item; readers show an empty line otherwise."),
        ["MissingAtomSelfLink"] = new(W, V, "Missing atom:link with rel=\"self\"", "Add <atom:link rel=\"self\" href=\"the feed's URL\"/> so readers know the feed's own address."),
        ["InvalidRSSVersion"] = new(E, V, "Not an RSS version readers know", "Use version=\"2.0\" on the rss element."),
        ["UnknownEncoding"] = new(E, V, "An encoding readers do not know", "Declare a standard encoding, best UTF-8, in the XML declaration and the HTTP Content-Type."),
        ["EncodingMismatch"] = new(W, V, "HTTP and the document declare different encodings", "Readers believe one of them and may garble the text; make the Content-Type charset and the XML declaration agree (UTF-8 is best)."),
        ["InvalidDay"] = new(E, V, "Not a day of the week", "skipDays takes English day names: Monday to Sunday."),
        ["InvalidHour"] = new(E, V, "Not an hour from 0 to 23", "skipHours takes whole hours in GMT, 0 to 23."),
        ["InvalidDuration"] = new(E, V, "Not a duration", "Write durations as seconds or as HH:MM:SS."),
        ["InvalidTrueFalse"] = new(E, V, "Must be true or false", "Write the value as true or false."),
        ["InvalidYesNo"] = new(E, V, "Must be yes or no", "Write the value as yes or no (Apple Podcasts also accepts true and false for some tags)."),
        ["InvalidItunesChannelType"] = new(E, V, "Not an Apple Podcasts show type", "itunes:type takes episodic or serial."),
        ["InvalidItunesEpisodeType"] = new(E, V, "Not an Apple Podcasts episode type", "itunes:episodeType takes full, trailer or bonus."),
        ["InvalidUpdatePeriod"] = new(E, V, "Not an update period", "sy:updatePeriod takes hourly, daily, weekly, monthly or yearly."),
        ["InvalidPositiveInteger"] = new(E, V, "Not a positive whole number", "Use digits only, greater than zero."),
        ["InvalidNonNegativeInteger"] = new(E, V, "Not a whole number of zero or more", "Use digits only, with no sign."),
        ["InvalidMediaMedium"] = new(E, V, "Not a Media RSS medium", "medium takes image, audio, video, document or executable."),
        ["InvalidMediaExpression"] = new(E, V, "Not a Media RSS expression", "expression takes sample, full or nonstop."),
        ["JsonFeedSchema"] = new(E, V, "JSON Feed does not follow the JSON Feed 1.1 schema", "See jsonfeed.org/version/1.1 for the required fields."),
        ["NotAFeed"] = new(E, V, "No feed found in the document", "This is not RSS, Atom or JSON Feed; if it is a web page, link the feed from it."),
        ["ParserRepair"] = new(I, V, "Feedstand had to repair the document to read it", "Other readers may not repair it the same way."),
        ["NoValidators"] = new(W, H, "Neither ETag nor Last-Modified", "Without them every poll downloads the whole feed; enable them on the server or CDN."),
        ["ConditionalNotHonoured"] = new(W, H, "A conditional request did not get 304 Not Modified", "The server sends validators but ignores If-None-Match / If-Modified-Since; readers re-download the feed each time."),
        ["ConditionalHonoured"] = new(I, H, "A conditional request gets 304 Not Modified", "Good: readers polling an unchanged feed cost you almost nothing."),
        ["NotCompressed"] = new(W, H, "The feed is served uncompressed", "Enable gzip or brotli for XML and JSON: feeds shrink 4 to 10 times."),
        ["NoCacheControl"] = new(I, H, "No Cache-Control max-age", "A max-age tells readers and CDNs how long to keep the feed."),
        ["UnexpectedContentType"] = new(W, H, "An unexpected Content-Type", "Serve RSS as application/rss+xml, Atom as application/atom+xml, JSON Feed as application/feed+json (text/xml and application/xml work too)."),
        ["TemporaryRedirect"] = new(W, H, "The feed is reached through a temporary redirect", "Readers keep polling the old address; use 301 or 308 if the feed moved for good."),
        ["PermanentRedirect"] = new(I, H, "The feed moved permanently", "Readers update the address; publish the new URL where you can."),
        ["NotHttps"] = new(W, H, "Served over plain HTTP", "Serve the feed over HTTPS."),
        ["LargeFeed"] = new(W, H, "A large feed", "Over 1 MB every poll costs readers time and you bandwidth; publish fewer items or excerpts."),
        ["SlowFirstByte"] = new(W, H, "Slow time to first byte", "Over a second; cache the generated feed (WordPress: a page cache plugin)."),
        ["RetryAfter"] = new(I, H, "The server asked readers to wait (Retry-After)", "Good: readers back off as asked."),
        ["RateLimitedWithoutRetryAfter"] = new(W, H, "A 429 or 503 without Retry-After", "Tell readers when to come back with Retry-After."),
        ["FetchFailed"] = new(E, H, "The feed could not be fetched", "Readers get nothing until this is fixed."),
        ["Excerpts"] = new(I, R, "Items carry excerpts, not the full text", "Many readers prefer full text (WordPress: Settings > Reading > Full text; Ghost and Substack: full content for public posts)."),
        ["LazyImages"] = new(W, R, "Images without a real src (lazy loading)", "Readers run no scripts: use src (loading=\"lazy\" is fine), not data-src."),
        ["RelativeImages"] = new(W, R, "Images with relative sources", "Readers resolve them against the feed's URL at best; use absolute URLs."),
        ["TrackingPixels"] = new(I, R, "Tracking pixels (1x1 images)", "Many readers block them."),
        ["SanitizerRemoved"] = new(I, R, "Markup that readers remove", "Scripts, iframes, forms and styles are dropped by readers."),
        ["DuplicateItems"] = new(W, R, "Items with the same link or title", "Readers show the same post twice."),
        ["NoRecentPosts"] = new(I, CheckSection.Rhythm, "No post in six months", "Readers may think the blog is gone; a short note helps."),
        ["UnreliableFetches"] = new(W, CheckSection.Rhythm, "Many fetches failed recently", "Readers give up on feeds that fail often; check the server's errors and rate limits."),
        ["NoAlternateLink"] = new(W, D, "The site's home page does not link to the feed", "Add <link rel=\"alternate\" type=\"application/rss+xml\" href=\"...\"> to the page head so readers find the feed."),
        ["NoSiteLink"] = new(W, D, "The feed does not link back to its site", "Add the site's address as the channel link / atom:link rel=\"alternate\"."),
        ["NoIcon"] = new(I, D, "No icon found", "Add a favicon or the feed's image / atom:icon."),
        ["WebSub"] = new(I, D, "WebSub hub advertised", "Readers can get new posts pushed at once."),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every finding class the check can make, for the tests that each has a message and help in every language.</summary>
    public static IEnumerable<string> Ids => Entries.Keys;

    public static Entry Get(string id) =>
        Entries.TryGetValue(id, out var entry) ? entry : new Entry(FindingLevel.Warning, CheckSection.Validity, id, "");

    public static Finding Make(string id, string? element, string? parent, int line, string? detail = null)
    {
        var entry = Get(id);
        var message = detail is null ? entry.Message : $"{entry.Message}: {detail}";
        return new Finding(id, entry.Level, entry.Section, element, parent, line, message, entry.Help);
    }
}
