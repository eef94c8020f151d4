namespace Feedstand.Feeds.Xml;

/// <summary>The vocabularies a feed element can belong to.</summary>
internal enum Ns
{
    /// <summary>No namespace: RSS 0.9x/2.0 elements, or JSON-like junk.</summary>
    None,
    Rss10,
    Rss090,
    Rdf,
    Atom10,
    Atom03,
    Content,
    DublinCore,
    DcTerms,
    Media,
    Itunes,
    GooglePlay,
    Slash,
    Wfw,
    Xhtml,
    Feedburner,
    Podcast,
    Admin,
    Syndication,
    Xml,

    /// <summary>A namespace we do not know (a default namespace on RSS, a vendor extension).</summary>
    Other,
}

internal static class Namespaces
{
    public const string XmlUri = "http://www.w3.org/XML/1998/namespace";
    public const string RdfUri = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string AtomUri = "http://www.w3.org/2005/Atom";

    /// <summary>The URIs conventionally bound to a prefix, for documents that use a prefix without declaring it.</summary>
    public static string? UriForPrefix(string prefix) => prefix.ToLowerInvariant() switch
    {
        "content" => "http://purl.org/rss/1.0/modules/content/",
        "dc" => "http://purl.org/dc/elements/1.1/",
        "dcterms" => "http://purl.org/dc/terms/",
        "media" => "http://search.yahoo.com/mrss/",
        "itunes" => "http://www.itunes.com/dtds/podcast-1.0.dtd",
        "googleplay" => "http://www.google.com/schemas/play-podcasts/1.0",
        "slash" => "http://purl.org/rss/1.0/modules/slash/",
        "wfw" => "http://wellformedweb.org/CommentAPI/",
        "atom" => AtomUri,
        "atom10" => AtomUri,
        "rdf" => RdfUri,
        "feedburner" => "http://rssnamespace.org/feedburner/ext/1.0",
        "podcast" => "https://podcastindex.org/namespace/1.0",
        "sy" => "http://purl.org/rss/1.0/modules/syndication/",
        "admin" => "http://webns.net/mvcb/",
        "xhtml" => "http://www.w3.org/1999/xhtml",
        "georss" => "http://www.georss.org/georss",
        _ => null,
    };

    /// <summary>Classifies a namespace URI, tolerant of the variants real feeds use (case, trailing slash, https).</summary>
    public static Ns Classify(string uri)
    {
        if (uri.Length == 0)
        {
            return Ns.None;
        }
        var key = uri.Trim().ToLowerInvariant();
        if (key.StartsWith("https://", StringComparison.Ordinal))
        {
            key = "http://" + key[8..];
        }
        key = key.TrimEnd('/', '#');
        return key switch
        {
            "http://purl.org/rss/1.0" => Ns.Rss10,
            "http://my.netscape.com/rdf/simple/0.9" => Ns.Rss090,
            "http://www.w3.org/1999/02/22-rdf-syntax-ns" => Ns.Rdf,
            "http://www.w3.org/2005/atom" => Ns.Atom10,
            "http://purl.org/atom/ns" => Ns.Atom03,
            "http://purl.org/rss/1.0/modules/content" => Ns.Content,
            "http://purl.org/dc/elements/1.1" => Ns.DublinCore,
            "http://purl.org/dc/elements/1.0" => Ns.DublinCore,
            "http://purl.org/dc/terms" => Ns.DcTerms,
            "http://search.yahoo.com/mrss" => Ns.Media,
            "http://video.search.yahoo.com/mrss" => Ns.Media,
            "http://www.itunes.com/dtds/podcast-1.0.dtd" => Ns.Itunes,
            "http://www.itunes.com/dtds/podcast-1.0" => Ns.Itunes,
            "http://www.google.com/schemas/play-podcasts/1.0" => Ns.GooglePlay,
            "http://purl.org/rss/1.0/modules/slash" => Ns.Slash,
            "http://wellformedweb.org/commentapi" => Ns.Wfw,
            "http://www.w3.org/1999/xhtml" => Ns.Xhtml,
            "http://rssnamespace.org/feedburner/ext/1.0" => Ns.Feedburner,
            "http://podcastindex.org/namespace/1.0" => Ns.Podcast,
            "http://webns.net/mvcb" => Ns.Admin,
            "http://purl.org/rss/1.0/modules/syndication" => Ns.Syndication,
            "http://www.w3.org/xml/1998/namespace" => Ns.Xml,
            // RSS 2.0 feeds sometimes put their elements in one of these default namespaces.
            "http://backend.userland.com/rss2" => Ns.None,
            "http://backend.userland.com/rss" => Ns.None,
            "http://blogs.law.harvard.edu/tech/rss" => Ns.None,
            "http://purl.org/net/rss1.1" => Ns.Rss10,
            _ => Ns.Other,
        };
    }
}
