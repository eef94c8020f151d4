using System.Buffers;
using System.Collections.Frozen;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>Plain text for titles and names, and plain text turned into HTML.</summary>
public static class PlainText
{
    private static readonly SearchValues<char> MarkupStart = SearchValues.Create("<&");

    // Tags whose boundary separates words ("<p>a</p><p>b</p>" reads "a b"); inline tags do not.
    private static readonly FrozenSet<string> BlockTags = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul");

    // Elements whose content is not text to show.
    private static readonly FrozenSet<string> SkippedContentTags = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "script", "style", "template", "noscript", "iframe", "object", "svg", "math");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> BlockTagLookup =
        BlockTags.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SkippedContentLookup =
        SkippedContentTags.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Text of an HTML fragment (a title): tags and comments removed, the content of script and
    /// style dropped, character references decoded (all of HTML5), whitespace collapsed to single
    /// spaces and trimmed. Null or blank gives null. Text with no '&lt;' or '&amp;' costs no
    /// allocation beyond the result (none when it is already collapsed).
    /// </summary>
    public static string? FromHtml(string? htmlOrText)
    {
        if (string.IsNullOrEmpty(htmlOrText))
        {
            return null;
        }

        if (!htmlOrText.AsSpan().ContainsAny(MarkupStart))
        {
            return Collapse(htmlOrText);
        }

        var output = new ValueStringBuilder(stackalloc char[256]);
        var text = new CollapsingWriter();
        Span<char> entityBuffer = stackalloc char[8];
        var html = htmlOrText;
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '&')
            {
                var decoded = new ValueStringBuilder(entityBuffer);
                var consumed = HtmlEntities.Decode(html, i, ref decoded);
                if (consumed == 0)
                {
                    text.Append('&', ref output);
                    i++;
                    continue;
                }

                // Decoded characters go through the whitespace rules too (&nbsp;, &#10;).
                foreach (var d in decoded.AsSpan())
                {
                    text.Append(d, ref output);
                }

                decoded.Dispose();
                i += consumed;
            }
            else if (c == '<')
            {
                i = SkipMarkup(html, i, ref text, ref output);
            }
            else
            {
                text.Append(c, ref output);
                i++;
            }
        }

        if (output.Length == 0)
        {
            output.Dispose();
            return null;
        }

        return output.ToString();
    }

    /// <summary>Already plain text: whitespace collapsed to single spaces and trimmed; blank gives null.</summary>
    public static string? Collapse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (IsCollapsed(text))
        {
            return text;
        }

        var output = new ValueStringBuilder(stackalloc char[256]);
        var writer = new CollapsingWriter();
        foreach (var c in text)
        {
            writer.Append(c, ref output);
        }

        if (output.Length == 0)
        {
            output.Dispose();
            return null;
        }

        return output.ToString();
    }

    /// <summary>
    /// Plain text as HTML: &amp;, &lt;, &gt;, " and ' escaped; paragraphs separated by blank lines
    /// become &lt;p&gt;, single line breaks &lt;br&gt;. Blank text gives an empty string.
    /// </summary>
    public static string ToHtml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new ValueStringBuilder(stackalloc char[512]);
        var inParagraph = false;
        var pendingBreaks = 0;
        var position = 0;
        while (position <= text.Length)
        {
            var lineEnd = text.AsSpan(position).IndexOfAny('\r', '\n');
            var line = lineEnd < 0 ? text.AsSpan(position) : text.AsSpan(position, lineEnd);
            var next = lineEnd < 0 ? text.Length + 1 : position + lineEnd + 1;
            if (lineEnd >= 0 && text[position + lineEnd] == '\r' && next < text.Length && text[next] == '\n')
            {
                next++;
            }

            var trimmed = line.Trim();
            if (trimmed.IsEmpty)
            {
                if (inParagraph)
                {
                    output.Append("</p>");
                    inParagraph = false;
                }
            }
            else
            {
                if (!inParagraph)
                {
                    output.Append("<p>");
                    inParagraph = true;
                    pendingBreaks = 0;
                }
                else
                {
                    pendingBreaks++;
                }

                for (; pendingBreaks > 0; pendingBreaks--)
                {
                    output.Append("<br>");
                }

                AppendEscaped(trimmed, ref output);
            }

            position = next;
        }

        if (inParagraph)
        {
            output.Append("</p>");
        }

        return output.ToString();
    }

    internal static void AppendEscaped(ReadOnlySpan<char> text, ref ValueStringBuilder output)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': output.Append("&amp;"); break;
                case '<': output.Append("&lt;"); break;
                case '>': output.Append("&gt;"); break;
                case '"': output.Append("&quot;"); break;
                case '\'': output.Append("&#39;"); break;
                default: output.Append(c); break;
            }
        }
    }

    private static bool IsCollapsed(string text)
    {
        if (IsSpace(text[0]) || IsSpace(text[^1]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (IsSpace(c) && (c != ' ' || text[i - 1] == ' '))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSpace(char c) => char.IsWhiteSpace(c) || char.IsControl(c);

    /// <summary>Skips a tag, comment or declaration at html[start] == '&lt;'; returns where text resumes.</summary>
    private static int SkipMarkup(string html, int start, ref CollapsingWriter text, ref ValueStringBuilder output)
    {
        var i = start + 1;
        if (i >= html.Length)
        {
            text.Append('<', ref output);
            return i;
        }

        var c = html[i];
        if (c == '!')
        {
            if (html.AsSpan(i).StartsWith("!--"))
            {
                var close = html.IndexOf("-->", i + 1, StringComparison.Ordinal);
                return close < 0 ? html.Length : close + 3;
            }

            if (html.AsSpan(i).StartsWith("![CDATA[", StringComparison.Ordinal))
            {
                var contentStart = i + 8;
                var close = html.IndexOf("]]>", contentStart, StringComparison.Ordinal);
                var contentEnd = close < 0 ? html.Length : close;
                for (var k = contentStart; k < contentEnd; k++)
                {
                    text.Append(html[k], ref output);
                }

                return close < 0 ? html.Length : close + 3;
            }

            return SkipToTagEnd(html, i);
        }

        if (c == '?')
        {
            return SkipToTagEnd(html, i);
        }

        var isEndTag = c == '/';
        var nameStart = isEndTag ? i + 1 : i;
        if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
        {
            // "a < b", "</ x": not markup.
            text.Append('<', ref output);
            return start + 1;
        }

        var nameEnd = nameStart;
        while (nameEnd < html.Length && !IsTagNameEnd(html[nameEnd]))
        {
            nameEnd++;
        }

        var name = html.AsSpan(nameStart, nameEnd - nameStart);
        var end = SkipToTagEnd(html, nameEnd);
        if (BlockTagLookup.Contains(name))
        {
            text.BreakWord();
        }

        if (!isEndTag && SkippedContentLookup.Contains(name) && html[end - 1] != '/')
        {
            end = SkipElementContent(html, end, name);
        }

        return end;
    }

    private static bool IsTagNameEnd(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '/' or '>';

    /// <summary>Position after the '&gt;' closing the tag, honouring quoted attribute values.</summary>
    private static int SkipToTagEnd(string html, int i)
    {
        var quote = '\0';
        var afterEquals = false;
        for (; i < html.Length; i++)
        {
            var c = html[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c == '>')
            {
                return i + 1;
            }
            else if (c is '"' or '\'' && afterEquals)
            {
                quote = c;
            }
            else if (!char.IsWhiteSpace(c))
            {
                afterEquals = c == '=';
            }
        }

        return html.Length;
    }

    /// <summary>Position after "&lt;/name ... &gt;" (case-insensitive), or the end of the text.</summary>
    private static int SkipElementContent(string html, int i, ReadOnlySpan<char> name)
    {
        while (i < html.Length)
        {
            var close = html.AsSpan(i).IndexOf("</", StringComparison.Ordinal);
            if (close < 0)
            {
                return html.Length;
            }

            var nameStart = i + close + 2;
            var candidate = html.AsSpan(nameStart);
            if (candidate.Length >= name.Length
                && candidate[..name.Length].Equals(name, StringComparison.OrdinalIgnoreCase)
                && (candidate.Length == name.Length || IsTagNameEnd(candidate[name.Length])))
            {
                return SkipToTagEnd(html, nameStart + name.Length);
            }

            i = nameStart;
        }

        return html.Length;
    }

    /// <summary>Writes characters, turning each run of whitespace into one space and trimming both ends.</summary>
    private struct CollapsingWriter
    {
        private bool _pendingSpace;
        private bool _hasText;

        public void Append(char c, ref ValueStringBuilder output)
        {
            if (IsSpace(c))
            {
                _pendingSpace = _hasText;
                return;
            }

            if (_pendingSpace)
            {
                output.Append(' ');
                _pendingSpace = false;
            }

            output.Append(c);
            _hasText = true;
        }

        public void BreakWord() => _pendingSpace = _hasText;
    }
}
