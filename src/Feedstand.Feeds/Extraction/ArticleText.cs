using System.Text;
using AngleSharp.Dom;

namespace Feedstand.Feeds.Extraction;

/// <summary>An article body as plain text: one block per line, whitespace inside a block collapsed.</summary>
internal static class ArticleText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "details", "summary",
    };

    public static string Of(INode root)
    {
        var builder = new StringBuilder(4096);
        var pendingSpace = false;
        Append(root, builder, ref pendingSpace);
        return builder.ToString().Trim();
    }

    private static void Append(INode node, StringBuilder builder, ref bool pendingSpace)
    {
        // By index: AngleSharp finds NextSibling by searching the parent's children.
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child is IText text)
            {
                foreach (var c in text.Data)
                {
                    if (char.IsWhiteSpace(c))
                    {
                        pendingSpace = true;
                    }
                    else
                    {
                        if (pendingSpace && builder.Length > 0 && builder[^1] != '\n')
                        {
                            builder.Append(' ');
                        }
                        pendingSpace = false;
                        builder.Append(c);
                    }
                }
            }
            else if (child is IElement element)
            {
                // Captions describe pictures; they are not the article's text.
                if (element.LocalName is "figcaption")
                {
                    continue;
                }

                var isBlock = Blocks.Contains(element.LocalName);
                if (isBlock)
                {
                    NewLine(builder);
                    pendingSpace = false;
                }
                Append(element, builder, ref pendingSpace);
                if (isBlock)
                {
                    NewLine(builder);
                    pendingSpace = false;
                }
            }
        }
    }

    private static void NewLine(StringBuilder builder)
    {
        if (builder.Length > 0 && builder[^1] != '\n')
        {
            builder.Append('\n');
        }
    }

    /// <summary>Runs of letters or digits, as a reader would count words.</summary>
    public static int CountWords(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isWordChar = char.IsLetterOrDigit(c);
            if (isWordChar && !inWord)
            {
                count++;
            }
            inWord = isWordChar;
        }
        return count;
    }
}
