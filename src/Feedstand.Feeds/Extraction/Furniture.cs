using System.Collections.Frozen;
using AngleSharp.Dom;

namespace Feedstand.Feeds.Extraction;

/// <summary>
/// A page's own furniture around and inside an article: share bars, related-post lists,
/// newsletter and subscription boxes, comment sections and counts, ads, cookie banners.
/// Recognized by general words in class, id and role (whole words of a name split at
/// <c>-</c>, <c>_</c> and case changes, never by one site's names), and only when the element
/// does not hold the article's prose: a block with several long paragraphs of unlinked text stays.
/// </summary>
internal static class Furniture
{
    private static readonly FrozenSet<string> Words = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "share", "shares", "sharing", "sharebar", "social", "socials", "related", "newsletter", "newsletters",
        "subscribe", "subscription", "signup", "comment", "comments", "disqus", "advert", "advertisement", "ad", "ads",
        "sponsor", "sponsored", "promo", "promotion", "cookie", "cookies", "consent", "gdpr", "paywall", "recirc",
        "recirculation", "readmore", "recommended", "recommendations", "outbrain", "taboola", "trending", "popular",
        "breadcrumb", "breadcrumbs", "byline", "toolbar", "tags", "sidebar", "more", "next", "prev", "author",
        "bio", "footer", "masthead", "modal", "overlay", "print", "rating", "jump");

    // Picture captions and credits, whatever element carries them.
    private static readonly FrozenSet<string> CaptionWords = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "caption", "credit", "credits");

    private static readonly FrozenSet<string> AlwaysTags = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "aside", "nav", "form", "button", "dialog", "select", "input", "textarea", "menu");

    private static readonly FrozenSet<string> Roles = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "complementary", "navigation", "dialog", "banner", "contentinfo", "menu", "toolbar");

    private static readonly FrozenSet<string> Protected = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "html", "body", "main", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "code", "blockquote", "table", "tr", "td", "th", "img", "figure");

    public static void RemoveFrom(INode root)
    {
        var doomed = new List<IElement>();
        Collect(root, doomed);
        foreach (var element in doomed)
        {
            element.Remove();
        }
    }

    private static void Collect(INode node, List<IElement> doomed)
    {
        // By index: AngleSharp finds NextSibling by searching the parent's children.
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child is not IElement element)
            {
                continue;
            }
            if (IsFurniture(element) && !HoldsProse(element))
            {
                doomed.Add(element);
                continue;
            }
            Collect(element, doomed);
        }
    }

    private static bool IsFurniture(IElement element)
    {
        if (element.LocalName != "figure" && HasWord(element.GetAttribute("class"), CaptionWords))
        {
            return true;
        }
        if (Protected.Contains(element.LocalName))
        {
            return false;
        }
        if (AlwaysTags.Contains(element.LocalName) || element.LocalName == "footer")
        {
            return true;
        }
        if (element.GetAttribute("role") is { } role && Roles.Contains(role))
        {
            return true;
        }
        if (element.GetAttribute("aria-hidden") == "true" || element.HasAttribute("hidden"))
        {
            return true;
        }
        return HasWord(element.GetAttribute("class"), Words) || HasWord(element.Id, Words);
    }

    /// <summary>True when a word of the names (split at spaces, '-', '_' and lower-to-upper case changes) is a furniture word.</summary>
    private static bool HasWord(string? names, FrozenSet<string> words)
    {
        if (string.IsNullOrEmpty(names))
        {
            return false;
        }
        var lookup = words.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = names.AsSpan();
        var start = 0;
        for (var i = 0; i <= span.Length; i++)
        {
            var isEnd = i == span.Length || span[i] is ' ' or '-' or '_' or '\t' or '\n'
                || (i > start && char.IsUpper(span[i]) && char.IsLower(span[i - 1]));
            if (!isEnd)
            {
                continue;
            }
            if (i > start && lookup.Contains(span[start..i]))
            {
                return true;
            }
            start = span.Length > i && span[i] is ' ' or '-' or '_' or '\t' or '\n' ? i + 1 : i;
        }
        return false;
    }

    /// <summary>Three or more paragraphs of 80+ characters of mostly unlinked text: article prose, whatever the name says.</summary>
    private static bool HoldsProse(IElement element)
    {
        var paragraphs = 0;
        foreach (var paragraph in element.GetElementsByTagName("p"))
        {
            var text = paragraph.TextContent;
            if (text.Length < 80)
            {
                continue;
            }
            var linked = 0;
            foreach (var link in paragraph.GetElementsByTagName("a"))
            {
                linked += link.TextContent.Length;
            }
            if (linked * 2 < text.Length && ++paragraphs >= 3)
            {
                return true;
            }
        }
        // Prose in <br>-separated text (blog engines): long, with few links.
        var all = element.TextContent.Length;
        if (all < 2000)
        {
            return false;
        }
        var linkedText = 0;
        foreach (var link in element.GetElementsByTagName("a"))
        {
            linkedText += link.TextContent.Length;
        }
        return linkedText * 5 < all;
    }
}
