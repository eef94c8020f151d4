using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Feedstand.Feeds.Extraction;

/// <summary>
/// Cleanup of the body Readability chose: short blocks that are page furniture rather than the
/// article (date and "updated" lines, "Read more"/"Continue reading" prompts, lists of links,
/// photo credits).
/// </summary>
internal static partial class Boilerplate
{
    private const int ShortBlock = 160;

    public static void RemoveFrom(IElement article)
    {
        var doomed = new List<IElement>();
        foreach (var block in article.QuerySelectorAll("p, div, ul, ol, h2, h3, h4, h5, h6"))
        {
            if (IsInside(block, doomed))
            {
                continue;
            }
            var text = block.TextContent;
            if (text.Length > ShortBlock * 4)
            {
                continue;
            }
            var trimmed = text.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }
            if (block.LocalName is "ul" or "ol")
            {
                if (IsLinkList(block, trimmed.Length))
                {
                    doomed.Add(block);
                }
                continue;
            }
            if (trimmed.Length > ShortBlock || HasBlockChild(block))
            {
                continue;
            }
            if (MetaLine().IsMatch(trimmed) || Credit().IsMatch(trimmed) || LinkShare(block, trimmed.Length) > 0.8)
            {
                doomed.Add(block);
            }
        }
        foreach (var block in doomed)
        {
            block.Remove();
        }
    }

    private static bool IsInside(IElement element, List<IElement> doomed)
    {
        foreach (var removed in doomed)
        {
            if (removed.Contains(element))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasBlockChild(IElement element)
    {
        foreach (var child in element.Children)
        {
            if (child.LocalName is "p" or "div" or "ul" or "ol" or "table" or "figure" or "img" or "blockquote" or "pre" or "iframe" or "video" or "picture")
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A list whose items are each one short link: related posts, tags, a menu.</summary>
    private static bool IsLinkList(IElement list, int textLength)
    {
        var items = 0;
        foreach (var item in list.Children)
        {
            if (item.LocalName != "li")
            {
                continue;
            }
            items++;
            var text = item.TextContent.Trim().Length;
            if (text > 120 || LinkShare(item, text) < 0.9)
            {
                return false;
            }
        }
        return items >= 2 && textLength < items * 120;
    }

    private static double LinkShare(IElement element, int textLength)
    {
        if (textLength == 0)
        {
            return 0;
        }
        var linked = 0;
        foreach (var link in element.GetElementsByTagName("a"))
        {
            linked += link.TextContent.Trim().Length;
        }
        return (double)linked / textLength;
    }

    // "Posted: Fri 6:45 PM", "Published 1 day ago", "UPDATED: 10:43, Tue", "Continue Reading Below", "READ MORE: ...".
    [GeneratedRegex(@"^(\|\s*)?(posted|published|updated|first published|last updated|last modified|continue reading|read more|don'?t miss|related|advertisement|post comment|click here|sign up|subscribe)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaLine();

    // "(Image: GETTY)", "Credit: EPA", "Photo: Reuters", "Natalie Naccache | Bloomberg | Getty Images".
    [GeneratedRegex(@"^\(?(image|photo|picture|credit|source)s?\s*:|getty images\)?$|\((image|photo|credit)s?:[^)]*\)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credit();
}
