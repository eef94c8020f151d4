using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Feedstand.Pages.Feeds;

/// <summary>
/// Folds a long post: the first screen or two stays open, the rest goes behind "Read the rest"
/// (a <c>details</c> element, so it works without JavaScript). Decided here, on the server, by
/// the length of the post: text counts by character (CJK characters twice, as they are wider),
/// each image, video or frame as a paragraph. The HTML is already sanitized; this only cuts it
/// between two top-level blocks (inside a lone wrapper element when the post has one) and
/// serializes the parts again.
/// </summary>
public static class PostFold
{
    /// <summary>Roughly a screen and a half of text at the page's measure.</summary>
    public const int OpenWeight = 2400;

    /// <summary>A fold that hides less than this is not worth a click.</summary>
    public const int MinRestWeight = 800;

    private const int MediaWeight = 500;
    private const int MaxWrapperDepth = 4;

    /// <summary>The open part and the folded rest; <c>Folded</c> is null when the post is shown whole.</summary>
    public static (string Head, string? Folded) Split(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (html.Length < 1200)
        {
            return (html, null);
        }
        var document = new HtmlParser().ParseDocument("<!DOCTYPE html><html><body>" + html);
        var body = document.Body!;
        if (Weigh(body) < OpenWeight + MinRestWeight)
        {
            return (html, null);
        }

        // Step into a lone wrapper (<div class="post"><p>…</p>…</div>) so the cut falls between its blocks.
        var container = (IElement)body;
        var path = new List<int>();
        for (var depth = 0; depth < MaxWrapperDepth && LoneChild(container) is { } only; depth++)
        {
            path.Add(container.ChildNodes.Index(only));
            container = only;
        }

        var nodes = container.ChildNodes.ToArray();
        var weights = nodes.Select(Weigh).ToArray();
        var total = weights.Sum();
        var running = 0;
        var cut = -1;
        for (var i = 0; i < nodes.Length - 1; i++)
        {
            running += weights[i];
            if (running >= OpenWeight)
            {
                cut = i + 1;
                break;
            }
        }
        if (cut < 0 || total - running < MinRestWeight)
        {
            return (html, null);
        }

        var restBody = (IElement)body.Clone(deep: true);
        var restContainer = restBody;
        foreach (var index in path)
        {
            restContainer = (IElement)restContainer.ChildNodes[index];
        }
        var restNodes = restContainer.ChildNodes.ToArray();
        for (var i = 0; i < cut; i++)
        {
            restNodes[i].RemoveFromParent();
        }
        for (var i = cut; i < nodes.Length; i++)
        {
            nodes[i].RemoveFromParent();
        }
        return (body.InnerHtml, restBody.InnerHtml);
    }

    private static IElement? LoneChild(IElement element)
    {
        IElement? only = null;
        foreach (var node in element.ChildNodes)
        {
            if (node is IElement child)
            {
                if (only is not null)
                {
                    return null;
                }
                only = child;
            }
            else if (node is IText text && !string.IsNullOrWhiteSpace(text.Data))
            {
                return null;
            }
        }
        return only;
    }

    private static int Weigh(INode node)
    {
        var weight = 0;
        foreach (var c in node.TextContent)
        {
            weight += c >= '\u2E80' ? 2 : 1;
        }
        if (node is IElement element)
        {
            weight += element.QuerySelectorAll("img, video, iframe, picture").Length * MediaWeight;
            if (element.LocalName is "img" or "video" or "iframe" or "picture")
            {
                weight += MediaWeight;
            }
        }
        return weight;
    }
}
