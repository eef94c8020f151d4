using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Markdig;

namespace Feedstand.Feeds.Tests.Markdown;

/// <summary>
/// Reading Markdown back: Markdig (pipe tables, footnotes, strikethrough) renders it to HTML, and
/// both HTMLs are reduced to the words a reader sees and to the links and images they hold.
/// </summary>
internal static class MarkdownRoundTrip
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseFootnotes()
        .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough)
        .Build();

    private static readonly HtmlParser Parser = new();

    private static readonly HashSet<string> InlineElements =
    [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
        "span", "strong", "sub", "sup", "time", "u", "var", "del", "ins", "font", "strike", "tt", "big", "wbr", "ruby", "rt",
    ];

    public static string ToHtml(string markdown) => Markdig.Markdown.ToHtml(markdown, Pipeline);

    /// <summary>
    /// The words of the visible text, in order: runs of letters and digits, each CJK character a
    /// word of its own; footnote markers and back links left out.
    /// </summary>
    public static List<string> Words(string html)
    {
        using var document = Parser.ParseDocument("<!doctype html><html><body>" + html);
        var text = new System.Text.StringBuilder();
        VisibleText(document.Body!, text);
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var isCjk = IsCjk(c);
            if (char.IsLetterOrDigit(c) && !isCjk)
            {
                if (start < 0)
                {
                    start = i;
                }
                continue;
            }
            if (start >= 0)
            {
                words.Add(text.ToString(start, i - start));
                start = -1;
            }
            if (isCjk)
            {
                words.Add(c.ToString());
            }
        }
        return words;
    }

    private static bool IsCjk(char c) =>
        c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF');

    private static void VisibleText(INode node, System.Text.StringBuilder text)
    {
        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is IText t)
            {
                text.Append(t.Data);
            }
            else if (child is IElement element)
            {
                if (element.LocalName is "script" or "style" or "template" or "noscript" or "iframe" or "video" or "audio" or "object" or "rp" or "annotation" or "annotation-xml")
                {
                    continue;
                }
                if (element.LocalName == "a" && IsFootnoteLink(element.GetAttribute("href") ?? ""))
                {
                    continue; // footnote markers and back links: Markdown footnotes number their own
                }
                // Inline elements join their text to the words around; any other element separates.
                var separates = !InlineElements.Contains(element.LocalName);
                if (separates)
                {
                    text.Append(' ');
                }
                VisibleText(element, text);
                if (separates)
                {
                    text.Append(' ');
                }
            }
        }
    }

    /// <summary>The length of the longest common subsequence of two word lists.</summary>
    public static int CommonWords(List<string> first, List<string> second)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var a = first.ConvertAll(w => Id(ids, w));
        var b = second.ConvertAll(w => Id(ids, w));
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        foreach (var x in a)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = x == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    private static int Id(Dictionary<string, int> ids, string word)
    {
        if (!ids.TryGetValue(word, out var id))
        {
            id = ids.Count;
            ids[word] = id;
        }
        return id;
    }

    /// <summary>Every link href and image src, unescaped, except footnote links (Markdown footnotes make their own).</summary>
    public static List<string> Targets(string html)
    {
        using var document = Parser.ParseDocument("<!doctype html><html><body>" + html);
        var targets = new List<string>();
        foreach (var element in document.Body!.QuerySelectorAll("a[href], img[src]"))
        {
            var value = element.GetAttribute(element.LocalName == "a" ? "href" : "src")!.Trim();
            if (value.Length == 0 || IsFootnoteLink(value) || element.Closest("video, audio, iframe") is not null)
            {
                continue;
            }
            targets.Add(Normalize(value));
        }
        return targets;
    }

    private static bool IsFootnoteLink(string href)
    {
        var hash = href.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 && href.AsSpan(hash + 1).StartsWith("fn", StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string url)
    {
        try
        {
            return Uri.UnescapeDataString(url);
        }
        catch (UriFormatException)
        {
            return url;
        }
    }
}
