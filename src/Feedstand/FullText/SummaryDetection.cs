using Feedstand.Feeds.Sanitizing;

namespace Feedstand.FullText;

/// <summary>
/// Is a feed summary-only? Its entries end in "…", "Read more", "Continue reading" (and the
/// like in a few languages), or an entry's text is short next to the page it links to.
/// </summary>
public static class SummaryDetection
{
    /// <summary>Below this share of the page's words, an entry is a teaser of the page.</summary>
    public const double TeaserShare = 0.5;

    /// <summary>An entry with at least this share of the page's words carries the post in full.</summary>
    public const double WholeShare = 0.8;

    /// <summary>A page with fewer words than this has no article worth showing in place of the teaser.</summary>
    public const int MinArticleWords = 50;

    /// <summary>Entries this long on average are posts in full: no page is fetched to judge them.</summary>
    public const int LongEntryWords = 250;

    private static readonly string[] Endings =
    [
        "…", "...", "[…]", "[...]", "(…)", "(...)", "read more", "read more »", "read more →", "continue reading", "continue reading →",
        "read the rest", "read the full post", "read the full article", "read full article", "keep reading", "more »",
        "weiterlesen", "lire la suite", "leer más", "continua a leggere", "leia mais", "lees verder", "阅读全文", "阅读更多", "続きを読む",
    ];

    /// <summary>True when the entry's text ends the way teasers end.</summary>
    public static bool EndsLikeTeaser(string? html)
    {
        var text = PlainText.FromHtml(html);
        if (text is null)
        {
            return false;
        }
        var tail = text.AsSpan().TrimEnd().TrimEnd(" ».→>)]".AsSpan());
        foreach (var ending in Endings)
        {
            var trimmedEnding = ending.AsSpan().TrimEnd(" ».→>)]".AsSpan());
            if (trimmedEnding.Length > 0 && tail.EndsWith(trimmedEnding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Words of an entry's HTML as a reader counts them.</summary>
    public static int WordsOf(string? html)
    {
        var text = PlainText.FromHtml(html);
        if (text is null)
        {
            return 0;
        }
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
        // Scripts without spaces (Chinese, Japanese): count characters as words, roughly.
        return Math.Max(count, CountIdeographs(text) / 2);
    }

    /// <summary>A teaser next to its page: less than half the page's words, the page a real article.</summary>
    public static bool IsTeaserOf(int teaserWords, int pageWords) =>
        pageWords >= MinArticleWords && teaserWords < pageWords * TeaserShare;

    /// <summary>The feed already gave the post in full: extracted text must not replace it.</summary>
    public static bool IsWhole(int teaserWords, int pageWords) => teaserWords >= pageWords * WholeShare;

    private static int CountIdeographs(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (c is >= '\u3040' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF')
            {
                count++;
            }
        }
        return count;
    }
}
