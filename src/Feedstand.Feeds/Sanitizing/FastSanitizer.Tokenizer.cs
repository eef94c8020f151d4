using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// The HTML tokenizer's part of the fast path: tag names, attributes, comments and declarations,
/// raw text and foreign (SVG/MathML) content skipped, character references.
/// </summary>
internal static partial class FastSanitizer
{
    /// <summary>Elements dropped with their content whose content the tokenizer reads as text up to their end tag.</summary>
    private static readonly FrozenSet<string> RawTextElements = FrozenSet.Create(
        StringComparer.Ordinal, "script", "style", "title", "textarea", "noscript", "noembed", "noframes", "iframe");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RawTextLookup =
        RawTextElements.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>One attribute of a start tag: where its name and value are in the source (ValueStart -1 when it has none).</summary>
    private readonly record struct AttributeToken(int NameStart, int NameLength, int ValueStart, int ValueLength);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary>The end of a tag name starting at <paramref name="start"/>: letters, digits and '-' up to a space, '/' or '>'; -1 otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReadTagName(string html, int start)
    {
        var end = start;
        while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] == '-'))
        {
            end++;
        }
        return end < html.Length && (IsSpace(html[end]) || html[end] is '>' or '/') ? end : -1;
    }

    /// <summary>
    /// Reads the attributes of a tag from just after its name to just after its '>', as the HTML
    /// tokenizer does: quoted or unquoted values, names running into each other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadAttributes(string html, ref int j, Span<AttributeToken> attributes, out int count, out bool selfClosed)
    {
        count = 0;
        selfClosed = false;
        while (true)
        {
            while (j < html.Length && IsSpace(html[j]))
            {
                j++;
            }
            if (j >= html.Length)
            {
                return false;
            }
            if (html[j] == '>')
            {
                j++;
                return true;
            }
            if (html[j] == '/')
            {
                j++;
                if (j < html.Length && html[j] == '>')
                {
                    selfClosed = true;
                    j++;
                    return true;
                }
                continue;
            }
            // The name runs to a space, '/', '>' or '='; its first character may be '='.
            var nameStart = j++;
            while (j < html.Length && !IsSpace(html[j]) && html[j] is not ('/' or '>' or '='))
            {
                j++;
            }
            var nameLength = j - nameStart;
            while (j < html.Length && IsSpace(html[j]))
            {
                j++;
            }
            if (j >= html.Length)
            {
                return false;
            }
            var valueStart = -1;
            var valueLength = 0;
            if (html[j] == '=')
            {
                j++;
                while (j < html.Length && IsSpace(html[j]))
                {
                    j++;
                }
                if (j >= html.Length)
                {
                    return false;
                }
                var quote = html[j];
                if (quote is '"' or '\'')
                {
                    var close = html.IndexOf(quote, j + 1);
                    if (close < 0)
                    {
                        return false;
                    }
                    valueStart = j + 1;
                    valueLength = close - valueStart;
                    j = close + 1;
                }
                else
                {
                    valueStart = j;
                    while (j < html.Length && !IsSpace(html[j]) && html[j] != '>')
                    {
                        j++;
                    }
                    valueLength = j - valueStart;
                }
            }
            if (count == attributes.Length)
            {
                return false;
            }
            attributes[count++] = new AttributeToken(nameStart, nameLength, valueStart, valueLength);
        }
    }

    /// <summary>Skips a comment or doctype; CDATA and odd comments take the slow path.</summary>
    private static bool SkipDeclaration(string html, ref int i)
    {
        var rest = html.AsSpan(i);
        if (rest.StartsWith("<!--"))
        {
            if (rest[4..].StartsWith(">") || rest[4..].StartsWith("->"))
            {
                return false;
            }
            var close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
            if (close < 0 || html.AsSpan(i + 4, close - i - 4).Contains("--", StringComparison.Ordinal))
            {
                return false;
            }
            i = close + 3;
            return true;
        }
        if (rest.StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase))
        {
            // A doctype inside the body is ignored; it ends at the first '>'.
            var close = html.IndexOf('>', i);
            if (close < 0)
            {
                return false;
            }
            i = close + 1;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Skips the text content of a raw-text element (script, style, title, noscript, iframe...) and
    /// its end tag: everything up to the first &lt;/name followed by a space, '/' or '>', or to the end.
    /// </summary>
    private static bool SkipRawText(string html, ref int j, ReadOnlySpan<char> name)
    {
        var from = j;
        while (true)
        {
            var end = html.IndexOf("</", from, StringComparison.Ordinal);
            if (end < 0)
            {
                j = html.Length; // unclosed: the text runs to the end of the fragment
                return true;
            }
            var after = end + 2 + name.Length;
            if (after < html.Length && html.AsSpan(end + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (IsSpace(html[after]) || html[after] is '/' or '>'))
            {
                if (name is "script" && HidesEndTags(html.AsSpan(j, end - j)))
                {
                    return false;
                }
                Span<AttributeToken> ignored = stackalloc AttributeToken[MaxAttributes];
                var k = after;
                if (!ReadAttributes(html, ref k, ignored, out _, out _))
                {
                    return false;
                }
                j = k;
                return true;
            }
            from = end + 2;
        }
    }

    /// <summary>Whether script text holds "&lt;!--" then "&lt;script", after which the tokenizer does not end the script at &lt;/script&gt;.</summary>
    private static bool HidesEndTags(ReadOnlySpan<char> script)
    {
        var comment = script.IndexOf("<!--", StringComparison.Ordinal);
        return comment >= 0 && script[comment..].Contains("<script", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decodes one character reference and writes it back escaped (so "&amp;rsquo;" becomes "’").</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AppendReference(string html, ref int i, ref ValueStringBuilder output)
    {
        Span<char> buffer = stackalloc char[8];
        var decoded = new ValueStringBuilder(buffer);
        var consumed = HtmlEntities.Decode(html, i, ref decoded);
        if (consumed == 0)
        {
            output.Append("&amp;");
            i++;
            decoded.Dispose();
            return true;
        }
        foreach (var c in decoded.AsSpan())
        {
            switch (c)
            {
                case '&': output.Append("&amp;"); break;
                case '<': output.Append("&lt;"); break;
                case '>': output.Append("&gt;"); break;
                case '\u00A0': output.Append("&nbsp;"); break;
                case '\0': break;
                default: output.Append(c); break;
            }
        }
        decoded.Dispose();
        i += consumed;
        return true;
    }
}
