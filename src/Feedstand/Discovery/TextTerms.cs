using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Feedstand.Discovery;

/// <summary>
/// The terms of a text for <see cref="SimilarFeeds"/>: lower-case words of two letters or more
/// (stop words and numbers left out) and, for Chinese, Japanese and Korean, which have no spaces,
/// every pair of neighbouring characters (a lone character counts as itself).
/// </summary>
public static class TextTerms
{
    private static readonly FrozenSet<string> StopWords = new[]
    {
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been",
        "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "don", "down", "each", "even", "few",
        "for", "from", "get", "got", "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "however", "i",
        "if", "in", "into", "is", "it", "its", "just", "like", "ll", "make", "many", "me", "might", "more", "most", "much",
        "my", "new", "no", "nor", "not", "now", "of", "off", "on", "one", "only", "or", "other", "our", "out", "over", "own",
        "re", "read", "same", "see", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "those", "through", "to", "too", "two", "under", "up", "us", "use", "used", "using",
        "ve", "very", "was", "way", "we", "well", "were", "what", "when", "where", "which", "while", "who", "why", "will",
        "with", "would", "you", "your", "der", "die", "das", "und", "ist", "le", "la", "les", "et", "des", "un", "une", "est",
        "el", "los", "las", "en", "que", "del", "di", "il", "che", "per", "non", "http", "https", "www", "com",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="term"/> for each term of <paramref name="text"/>, in order, repeats included.</summary>
    public static void Each(ReadOnlySpan<char> text, Action<string> term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var word = new StringBuilder(32);
        var wordHasLetter = false;
        var previousCjk = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsCjk(c))
            {
                Flush(word, ref wordHasLetter, term);
                if (previousCjk != '\0')
                {
                    term(string.Create(2, (previousCjk, c), (span, pair) => { span[0] = pair.previousCjk; span[1] = pair.c; }));
                }
                else if (i + 1 >= text.Length || !IsCjk(text[i + 1]))
                {
                    term(c.ToString());
                }
                previousCjk = c;
                continue;
            }
            previousCjk = '\0';
            if (char.IsLetterOrDigit(c))
            {
                if (word.Length < 40)
                {
                    word.Append(char.ToLowerInvariant(c));
                }
                wordHasLetter |= char.IsLetter(c);
            }
            else if (c is '\'' or '’' && word.Length > 0)
            {
                // "don't" -> "don": the stop word list has the stems.
                Flush(word, ref wordHasLetter, term);
                while (i + 1 < text.Length && char.IsLetter(text[i + 1]))
                {
                    i++;
                }
            }
            else
            {
                Flush(word, ref wordHasLetter, term);
            }
        }
        Flush(word, ref wordHasLetter, term);
    }

    /// <summary>The terms of <paramref name="text"/> as a list (tests and small texts).</summary>
    public static List<string> Of(string text)
    {
        var terms = new List<string>();
        Each(text, terms.Add);
        return terms;
    }

    private static void Flush(StringBuilder word, ref bool hasLetter, Action<string> term)
    {
        if (word.Length >= 2 && hasLetter)
        {
            var text = word.ToString();
            if (!StopWords.Contains(text))
            {
                term(text);
            }
        }
        word.Clear();
        hasLetter = false;
    }

    /// <summary>Han ideographs, kana and Hangul: scripts written without spaces between words.</summary>
    private static bool IsCjk(char c) =>
        c is >= '\u3040' and <= '\u30FF' // hiragana, katakana
        or >= '\u3400' and <= '\u4DBF' // CJK extension A
        or >= '\u4E00' and <= '\u9FFF' // CJK unified ideographs
        or >= '\uAC00' and <= '\uD7AF' // Hangul syllables
        or >= '\uF900' and <= '\uFAFF' // CJK compatibility ideographs
        || (char.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter && c is >= '\u3100' and <= '\u31FF');
}
