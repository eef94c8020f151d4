using System.Xml;
using Feedstand.Feeds.Sanitizing;

namespace Feedstand.Feeds.Opml;

/// <summary>
/// Reads OPML that is not well-formed XML, as hand-made and exported files often are: undeclared
/// HTML entities (<c>&amp;nbsp;</c>), bare ampersands, '&lt;' or stray quotes inside attribute
/// values, unclosed outlines. It scans for tags instead of parsing XML, decodes references the way
/// HTML does, and reads only what OPML needs: the head title and outline attributes and nesting.
/// </summary>
internal static class LenientOpmlReader
{
    public static OpmlDocument Read(string text, XmlException xmlError)
    {
        var feeds = new OpmlReader.FeedList();
        var folders = new List<string?>();
        string? title = null;
        var sawRoot = false;
        var inHead = false;
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('<', i);
            if (open < 0 || open + 1 >= text.Length)
            {
                break;
            }

            var next = text[open + 1];
            if (next == '!' || next == '?')
            {
                i = SkipDeclaration(text, open);
                continue;
            }

            var isEnd = next == '/';
            var nameStart = isEnd ? open + 2 : open + 1;
            var nameEnd = nameStart;
            while (nameEnd < text.Length && IsNameChar(text[nameEnd]))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart)
            {
                i = open + 1;
                continue;
            }

            var name = LocalName(text.AsSpan(nameStart, nameEnd - nameStart));
            if (!sawRoot && !isEnd)
            {
                if (!name.Equals("opml", StringComparison.OrdinalIgnoreCase))
                {
                    throw new OpmlException($"not an OPML document: the root element is <{name.ToString()}>");
                }

                sawRoot = true;
            }

            var outline = default(OpmlReader.OutlineAttributes);
            var isOutline = !isEnd && name.Equals("outline", StringComparison.OrdinalIgnoreCase);
            i = ReadAttributes(text, nameEnd, isOutline, ref outline, out var selfClosing);
            if (isEnd)
            {
                if (name.Equals("outline", StringComparison.OrdinalIgnoreCase) && folders.Count > 0)
                {
                    folders.RemoveAt(folders.Count - 1);
                }
                else if (name.Equals("head", StringComparison.OrdinalIgnoreCase))
                {
                    inHead = false;
                }
            }
            else if (isOutline)
            {
                var folder = OpmlReader.AddOutline(in outline, folders, feeds);
                if (!selfClosing)
                {
                    folders.Add(folder);
                }
            }
            else if (name.Equals("head", StringComparison.OrdinalIgnoreCase))
            {
                inHead = !selfClosing;
            }
            else if (name.Equals("title", StringComparison.OrdinalIgnoreCase) && inHead && title is null && !selfClosing)
            {
                var end = text.IndexOf('<', i);
                end = end < 0 ? text.Length : end;
                title = PlainText.FromHtml(text[i..end]);
                i = end;
            }
        }

        if (!sawRoot)
        {
            throw new OpmlException(
                $"not an OPML document: the XML is broken at line {xmlError.LineNumber}, position {xmlError.LinePosition}: {xmlError.Message}",
                xmlError);
        }

        return new OpmlDocument(title, feeds.ToList(), feeds.Repeats);
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.';

    private static ReadOnlySpan<char> LocalName(ReadOnlySpan<char> name)
    {
        var colon = name.LastIndexOf(':');
        return colon < 0 ? name : name[(colon + 1)..];
    }

    private static int SkipDeclaration(string text, int open)
    {
        if (text.AsSpan(open).StartsWith("<!--", StringComparison.Ordinal))
        {
            var close = text.IndexOf("-->", open + 4, StringComparison.Ordinal);
            return close < 0 ? text.Length : close + 3;
        }

        var end = text.IndexOf('>', open);
        return end < 0 ? text.Length : end + 1;
    }

    /// <summary>
    /// Reads attributes from <paramref name="i"/> to the end of the tag; a quote opens a value only
    /// right after '=', so stray quotes do not swallow the rest of the file.
    /// </summary>
    private static int ReadAttributes(string text, int i, bool keep, ref OpmlReader.OutlineAttributes outline, out bool selfClosing)
    {
        selfClosing = false;
        Span<char> buffer = stackalloc char[256];
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '>')
            {
                selfClosing = text[i - 1] == '/';
                return i + 1;
            }

            if (!IsNameChar(c))
            {
                i++;
                continue;
            }

            var nameStart = i;
            while (i < text.Length && IsNameChar(text[i]))
            {
                i++;
            }

            var nameEnd = i;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            int valueStart, valueEnd;
            if (i < text.Length && text[i] is '"' or '\'')
            {
                var quote = text[i];
                valueStart = i + 1;
                valueEnd = text.IndexOf(quote, valueStart);
                valueEnd = valueEnd < 0 ? text.Length : valueEnd;
                i = Math.Min(valueEnd + 1, text.Length);
            }
            else
            {
                valueStart = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '>')
                {
                    i++;
                }

                valueEnd = i;
            }

            if (keep)
            {
                var value = new ValueStringBuilder(buffer);
                HtmlEntities.DecodeInto(text, valueStart, valueEnd, ref value);
                outline.Set(LocalName(text.AsSpan(nameStart, nameEnd - nameStart)).ToString(), value.ToString());
            }
        }

        return text.Length;
    }
}
