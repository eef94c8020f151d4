using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Feedstand.Feeds.Markdown;

/// <summary>
/// HTML (a sanitized fragment: an entry's content) to CommonMark with the GitHub extensions
/// (pipe tables, strikethrough, footnotes): headings, paragraphs, emphasis, code spans and
/// fenced code with its language, nested lists, links and images with titles, tables,
/// blockquotes, footnotes, rules and hard line breaks. Text is escaped so that it reads back as
/// the same text; CJK and other text is written as it is. One walk over the DOM into one
/// <see cref="StringBuilder"/>.
/// </summary>
public static class HtmlToMarkdown
{
    private const string BodyPrefix = "<!doctype html><html><body>";

    // Scripting on, as in the sanitizer: <noscript> content is text.
    private static readonly HtmlParser Parser = new(
        new HtmlParserOptions { IsScripting = true },
        BrowsingContext.New(Configuration.Default));

    /// <summary>The Markdown of an HTML fragment; empty for null or blank input.</summary>
    /// <param name="headingOffset">Added to every heading level (at most h6), so an entry's h1 sits under the page's own headings.</param>
    public static string Convert(string? html, int headingOffset = 0)
    {
        var output = new StringBuilder(html?.Length ?? 0);
        Convert(html, output, headingOffset);
        return output.ToString();
    }

    /// <summary>Appends the Markdown of an HTML fragment to <paramref name="output"/> (no leading or trailing newline).</summary>
    public static void Convert(string? html, StringBuilder output, int headingOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrWhiteSpace(html))
        {
            return;
        }
        if (!html.AsSpan().ContainsAny('<', '&'))
        {
            new MarkdownWriter(output, headingOffset).Text(html);
            return;
        }
        using var document = Parser.ParseDocument(string.Concat(BodyPrefix, html));
        if (document.Body is { } body)
        {
            new MarkdownWriter(output, headingOffset).Children(body);
        }
    }

    /// <summary>Appends <paramref name="text"/> escaped so that Markdown reads it back as the same text (whitespace collapsed).</summary>
    public static void AppendText(StringBuilder output, string? text)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!string.IsNullOrEmpty(text))
        {
            new MarkdownWriter(output, 0).Text(text);
        }
    }

    /// <summary>Appends a link destination: as it is, or in angle brackets when it holds spaces or parentheses.</summary>
    public static void AppendDestination(StringBuilder output, string url)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(url);
        MarkdownWriter.AppendDestination(output, url, inTable: false);
    }

    /// <summary>
    /// The label a footnote link carries in its fragment ("#fn:1", "#fn1", "#fn-note" give "1", "1",
    /// "note"; with <paramref name="backReference"/>, "#fnref:1" gives "1"); null for any other link.
    /// </summary>
    public static string? FootnoteLabel(string? href, bool backReference)
    {
        if (href is null)
        {
            return null;
        }
        var hash = href.IndexOf('#', StringComparison.Ordinal);
        if (hash < 0)
        {
            return null;
        }
        var fragment = href.AsSpan(hash + 1);
        var prefix = backReference ? "fnref" : "fn";
        if (!fragment.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        fragment = fragment[prefix.Length..];
        if (!backReference && fragment.StartsWith("ref", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        fragment = fragment.TrimStart(":-_.");
        var end = fragment.IndexOf(':');
        if (end >= 0)
        {
            fragment = fragment[..end];
        }
        if (fragment.Length is 0 or > 20 || fragment.ContainsAnyExcept(MarkdownWriter.LabelChars))
        {
            return null;
        }
        return fragment.ToString();
    }
}

/// <summary>The state of one conversion: where the output is in its lines, blocks and inline spans.</summary>
internal sealed class MarkdownWriter(StringBuilder output, int headingOffset)
{
    internal static readonly SearchValues<char> LabelChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    private static readonly SearchValues<char> DestinationSpecials = SearchValues.Create(" ()<>\\\t\r\n\f|");

    private const int MaxDepth = 256;

    private static readonly FrozenSet<string> BlockElements = FrozenSet.Create(
        StringComparer.Ordinal,
        "p", "div", "section", "article", "aside", "header", "footer", "address", "main", "nav", "figure",
        "figcaption", "details", "dl", "dd", "center", "hgroup", "search");

    // Elements a Markdown table cell cannot hold: a table with one of these is written as a list of rows.
    private static readonly FrozenSet<string> ComplexCellElements = FrozenSet.Create(
        StringComparer.Ordinal,
        "ul", "ol", "pre", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "dl");

    // Elements whose content is not shown to a reader.
    private static readonly FrozenSet<string> SkippedElements = FrozenSet.Create(
        StringComparer.Ordinal,
        "script", "style", "template", "noscript", "head", "title", "meta", "link", "source", "track", "rp",
        "object", "embed", "canvas", "button", "input", "select", "textarea", "form", "annotation", "annotation-xml");

    /// <summary>One level of nesting: a blockquote ("> ") or a list item (its marker, then an indent).</summary>
    private sealed class Level(string continuation, string? firstLine)
    {
        public string Continuation { get; } = continuation;
        public string? FirstLine { get; } = firstLine;
        public bool IsFirstLineWritten { get; set; }
        public bool IsPending => FirstLine is not null && !IsFirstLineWritten;
    }

    private readonly List<Level> _levels = [];
    private int _pendingNewlines;

    // The levels a pending blank line belongs to: those around the block that asked for it.
    private int _blankLevels = int.MaxValue;
    private bool _pendingHardBreak;
    private bool _pendingSpace;
    private bool _atLineStart = true;
    private bool _hasContent;
    private int _lineStart = -1;
    private string _pendingOpen = "";
    private int _singleLine;
    private int _tableCell;
    private int _heading;
    private int _listItems;
    private int _footnotes;
    private readonly HashSet<string> _references = new(StringComparer.Ordinal);
    private readonly HashSet<string> _definitions = new(StringComparer.Ordinal);

    public void Children(INode parent, int depth = 0)
    {
        for (var node = parent.FirstChild; node is not null; node = node.NextSibling)
        {
            switch (node.NodeType)
            {
                case NodeType.Text:
                    Text(node.TextContent);
                    break;
                case NodeType.Element:
                    Element((IElement)node, depth + 1);
                    break;
                default:
                    break;
            }
        }
    }

    private void Element(IElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            Text(element.TextContent);
            return;
        }
        var name = element.LocalName;
        switch (name)
        {
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                Heading(element, name[1] - '0', depth);
                return;
            case "br":
                HardBreak();
                return;
            case "hr":
                Rule();
                return;
            case "pre":
                CodeBlock(element);
                return;
            case "code" or "kbd" or "samp" when !HasDescendant(element, "a", "img"):
                CodeSpan(element.TextContent);
                return;
            case "em" or "i" or "cite" or "dfn" or "var":
                Delimited(element, "*", depth);
                return;
            case "strong" or "b":
                Delimited(element, "**", depth);
                return;
            case "del" or "s" or "strike":
                Delimited(element, "~~", depth);
                return;
            case "a":
                Link(element, depth);
                return;
            case "img":
                Image(element);
                return;
            case "ul":
                List(element, ordered: false, depth);
                return;
            case "ol":
                if (IsFootnoteList(element))
                {
                    FootnoteDefinitions(element, depth);
                }
                else
                {
                    List(element, ordered: true, depth);
                }
                return;
            case "li":
                // An item outside a list: a block of its own.
                Block();
                Children(element, depth);
                Block();
                return;
            case "blockquote":
                Quote(element, depth);
                return;
            case "table":
                Table(element, depth);
                return;
            case "dt" or "summary":
                Block();
                Delimited(element, "**", depth);
                Block();
                return;
            case "iframe" or "video" or "audio":
                Media(element);
                return;
            case "mi" or "mn" or "mo" or "ms" or "mtext":
                // MathML tokens show apart from each other: "N M", not "NM".
                _pendingSpace = true;
                Children(element, depth);
                _pendingSpace = true;
                return;
            case "q":
                Text("\u201C");
                Children(element, depth);
                Text("\u201D");
                return;
            default:
                break;
        }
        if (SkippedElements.Contains(name))
        {
            return;
        }
        if (BlockElements.Contains(name))
        {
            Block();
            Children(element, depth);
            Block();
            return;
        }
        Children(element, depth);
    }

    // ---- blocks ----

    private void Heading(IElement element, int level, int depth)
    {
        if (_singleLine > 0)
        {
            Children(element, depth);
            return;
        }
        if (string.IsNullOrWhiteSpace(element.TextContent) && element.QuerySelector("img") is null)
        {
            return;
        }
        Block();
        StartContent();
        output.Append('#', Math.Clamp(level + headingOffset, 1, 6)).Append(' ');
        _singleLine++;
        _heading++;
        Children(element, depth);
        _heading--;
        _singleLine--;
        CloseInline();
        Block();
    }

    private void Rule()
    {
        if (_singleLine > 0)
        {
            _pendingSpace = true;
            return;
        }
        Block();
        StartContent();
        output.Append("---");
        Block();
    }

    private void HardBreak()
    {
        if (_singleLine > 0)
        {
            _pendingSpace = true;
            return;
        }
        if (_hasContent && _pendingNewlines == 0)
        {
            _pendingNewlines = 1;
            _pendingHardBreak = true;
        }
    }

    private void Quote(IElement element, int depth)
    {
        if (_singleLine > 0)
        {
            Children(element, depth);
            return;
        }
        Block();
        _levels.Add(new Level("> ", null));
        Children(element, depth);
        _levels.RemoveAt(_levels.Count - 1);
        Block();
    }

    private void CodeBlock(IElement pre)
    {
        var references = new List<IElement>();
        var text = new StringBuilder();
        CodeText(pre, text, references);
        var code = text.ToString().TrimEnd('\n', '\r');
        if (_singleLine > 0)
        {
            CodeSpan(code);
            return;
        }
        var language = CodeLanguage(pre) ?? (pre.FirstElementChild is { LocalName: "code" } inner ? CodeLanguage(inner) : null);
        var longest = LongestRun(code, '`');
        var fence = new string('`', Math.Max(3, longest + 1));
        Block();
        StartContent();
        output.Append(fence);
        if (language is not null)
        {
            output.Append(language);
        }
        foreach (var line in code.AsSpan().EnumerateLines())
        {
            NewLine(line.IsEmpty);
            output.Append(line);
        }
        NewLine(blank: false);
        output.Append(fence);
        Block();
        // Links and images inside the code (an emoji image, a linked name) follow it, so none is lost.
        foreach (var reference in references)
        {
            if (reference.LocalName == "img")
            {
                Image(reference);
            }
            else
            {
                Link(reference, MaxDepth);
            }
            _pendingSpace = true;
        }
        Block();
    }

    /// <summary>The text of a code block as shown: an image by its alt text, a line break as a newline.</summary>
    private static void CodeText(INode parent, StringBuilder text, List<IElement> references)
    {
        for (var node = parent.FirstChild; node is not null; node = node.NextSibling)
        {
            if (node is IText t)
            {
                text.Append(t.Data);
            }
            else if (node is IElement element)
            {
                switch (element.LocalName)
                {
                    case "img":
                        text.Append(element.GetAttribute("alt"));
                        if (!string.IsNullOrWhiteSpace(element.GetAttribute("src")))
                        {
                            references.Add(element);
                        }
                        break;
                    case "br":
                        text.Append('\n');
                        break;
                    case "a" when !string.IsNullOrWhiteSpace(element.GetAttribute("href")):
                        references.Add(element);
                        CodeText(element, text, references);
                        break;
                    default:
                        if (!SkippedElements.Contains(element.LocalName))
                        {
                            CodeText(element, text, references);
                        }
                        break;
                }
            }
        }
    }

    private void List(IElement list, bool ordered, int depth)
    {
        var nested = _listItems > 0 && _hasContent;
        if (_singleLine > 0)
        {
            Children(list, depth);
            return;
        }
        if (nested)
        {
            Line();
        }
        else
        {
            Block();
        }
        var number = ordered && int.TryParse(list.GetAttribute("start"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var start) ? start : 1;
        for (var child = list.FirstElementChild; child is not null; child = child.NextElementSibling)
        {
            if (child.LocalName != "li")
            {
                // Not an item (a list right inside a list, say): its content goes where it stands.
                Element(child, depth + 1);
                continue;
            }
            if (ordered && int.TryParse(child.GetAttribute("value"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                number = value;
            }
            number = Math.Clamp(number, 0, 999_999_999);
            var marker = ordered ? number.ToString(CultureInfo.InvariantCulture) + ". " : "- ";
            Line();
            var item = new Level(new string(' ', marker.Length), marker);
            _levels.Add(item);
            _listItems++;
            Children(child, depth + 1);
            CloseInline();
            if (item.IsPending)
            {
                StartContent(); // an empty item still shows its marker
            }
            _listItems--;
            _levels.RemoveAt(_levels.Count - 1);
            number++;
        }
        if (nested)
        {
            Line();
        }
        else
        {
            Block();
        }
    }

    private void Table(IElement table, int depth)
    {
        var rows = new List<IElement>();
        foreach (var child in table.Children)
        {
            if (child.LocalName == "tr")
            {
                rows.Add(child);
            }
            else if (child.LocalName is "thead" or "tbody" or "tfoot")
            {
                rows.AddRange(child.Children.Where(r => r.LocalName == "tr"));
            }
        }
        var caption = table.Children.FirstOrDefault(c => c.LocalName == "caption");
        if (caption is not null)
        {
            Block();
            Children(caption, depth);
            Block();
        }
        if (rows.Count == 0)
        {
            return;
        }
        if (_singleLine > 0 || IsComplex(rows))
        {
            RowsAsList(rows, depth);
            return;
        }
        var columns = rows.Max(r => r.Children.Count(IsCell));
        if (columns == 0)
        {
            return;
        }
        Block();
        for (var i = 0; i < rows.Count; i++)
        {
            Row(rows[i], columns, depth);
            if (i == 0)
            {
                Line();
                StartContent();
                output.Append('|');
                for (var c = 0; c < columns; c++)
                {
                    output.Append(" --- |");
                }
            }
        }
        Block();
    }

    private void Row(IElement row, int columns, int depth)
    {
        Line();
        StartContent();
        output.Append('|');
        var written = 0;
        foreach (var cell in row.Children)
        {
            if (!IsCell(cell))
            {
                continue;
            }
            output.Append(' ');
            var start = output.Length;
            _singleLine++;
            _tableCell++;
            _pendingSpace = false;
            Children(cell, depth + 1);
            CloseInline();
            _pendingSpace = false;
            _tableCell--;
            _singleLine--;
            if (output.Length == start)
            {
                output.Append(' ');
            }
            output.Append(" |");
            written++;
        }
        for (; written < columns; written++)
        {
            output.Append("   |");
        }
    }

    /// <summary>A table Markdown cannot hold (merged cells, blocks in cells): one list item per row, one paragraph per cell.</summary>
    private void RowsAsList(IReadOnlyList<IElement> rows, int depth)
    {
        if (_singleLine > 0)
        {
            foreach (var row in rows)
            {
                Children(row, depth);
                _pendingSpace = true;
            }
            return;
        }
        Block();
        foreach (var row in rows)
        {
            Line();
            var item = new Level("  ", "- ");
            _levels.Add(item);
            _listItems++;
            foreach (var cell in row.Children)
            {
                if (IsCell(cell))
                {
                    Block();
                    Children(cell, depth + 1);
                    CloseInline();
                }
            }
            if (item.IsPending)
            {
                StartContent();
            }
            _listItems--;
            _levels.RemoveAt(_levels.Count - 1);
        }
        Block();
    }

    private static bool IsCell(IElement element) => element.LocalName is "td" or "th";

    private static bool IsComplex(List<IElement> rows)
    {
        foreach (var row in rows)
        {
            foreach (var cell in row.Children)
            {
                if (!IsCell(cell))
                {
                    continue;
                }
                if (Span(cell, "colspan") > 1 || Span(cell, "rowspan") > 1)
                {
                    return true;
                }
                foreach (var inner in cell.QuerySelectorAll("*"))
                {
                    if (ComplexCellElements.Contains(inner.LocalName))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static int Span(IElement cell, string attribute) =>
        int.TryParse(cell.GetAttribute(attribute), NumberStyles.Integer, CultureInfo.InvariantCulture, out var span) ? span : 1;

    // ---- footnotes ----

    /// <summary>An ordered list whose every item links back to its reference (#fnref…) or is named #fn…: footnotes.</summary>
    private static bool IsFootnoteList(IElement list)
    {
        var items = 0;
        foreach (var child in list.Children)
        {
            if (child.LocalName != "li")
            {
                continue;
            }
            items++;
            if (FootnoteItemLabel(child) is null)
            {
                return false;
            }
        }
        return items > 0;
    }

    private static string? FootnoteItemLabel(IElement item) => FootnoteItemLabels(item).FirstOrDefault();

    /// <summary>
    /// The labels an item may go by: its id ("fn:1"), then each part of its back link's fragment
    /// ("fnref:1" gives 1; "fnref1:3" gives 1 and 3, as generators differ on which is the note).
    /// </summary>
    private static IEnumerable<string> FootnoteItemLabels(IElement item)
    {
        if (item.Id is { Length: > 0 } id && HtmlToMarkdown.FootnoteLabel("#" + id, backReference: false) is { } fromId)
        {
            yield return fromId;
        }
        foreach (var link in item.QuerySelectorAll("a[href]"))
        {
            if (HtmlToMarkdown.FootnoteLabel(link.GetAttribute("href"), backReference: true) is not { } first)
            {
                continue;
            }
            yield return first;
            var href = link.GetAttribute("href")!;
            var colon = href.LastIndexOf(':');
            if (colon > href.IndexOf('#', StringComparison.Ordinal) && colon + 1 < href.Length)
            {
                var second = href[(colon + 1)..];
                if (!second.AsSpan().ContainsAnyExcept(LabelChars))
                {
                    yield return second;
                }
            }
            yield break;
        }
    }

    private void FootnoteDefinitions(IElement list, int depth)
    {
        if (_singleLine > 0)
        {
            Children(list, depth);
            return;
        }
        foreach (var item in list.Children)
        {
            if (item.LocalName != "li")
            {
                continue;
            }
            // The label of a reference seen above, when one of the item's fits; else its first.
            var ordinal = (++_footnotes).ToString(CultureInfo.InvariantCulture);
            var labels = FootnoteItemLabels(item).Append(ordinal).ToList();
            var label = labels.Find(l => _references.Contains(l) && !_definitions.Contains(l)) ?? labels[0];
            _definitions.Add(label);
            Block();
            var definition = new Level("    ", "[^" + label + "]: ");
            _levels.Add(definition);
            Children(item, depth + 1);
            CloseInline();
            if (definition.IsPending)
            {
                StartContent();
            }
            _levels.RemoveAt(_levels.Count - 1);
        }
        Block();
    }

    private static bool IsFootnoteMarker(string text)
    {
        var marker = text.AsSpan().Trim().Trim("[]()");
        return marker.Length is > 0 and <= 8 && !marker.ContainsAnyExcept(LabelChars);
    }

    // ---- inline ----

    private void Delimited(IElement element, string delimiter, int depth)
    {
        if (HasBlockDescendant(element))
        {
            Children(element, depth);
            return;
        }
        _pendingOpen += delimiter;
        var openedAt = _pendingOpen.Length;
        Children(element, depth);
        if (_pendingOpen.Length >= openedAt && _pendingOpen.EndsWith(delimiter, StringComparison.Ordinal))
        {
            // Nothing was written inside: the span is dropped.
            _pendingOpen = _pendingOpen[..^delimiter.Length];
            return;
        }
        output.Append(delimiter);
    }

    private void Link(IElement link, int depth)
    {
        var href = link.GetAttribute("href");
        if (string.IsNullOrWhiteSpace(href))
        {
            Children(link, depth);
            return;
        }
        if (HtmlToMarkdown.FootnoteLabel(href, backReference: true) is not null)
        {
            return; // the way back from a footnote: Markdown footnotes make their own
        }
        if (HtmlToMarkdown.FootnoteLabel(href, backReference: false) is { } label && IsFootnoteMarker(link.TextContent))
        {
            StartContent();
            output.Append("[^").Append(label).Append(']');
            _references.Add(label);
            return;
        }
        StartContent();
        if (output.Length > 0 && output[^1] == '!' && !IsEscaped(output.Length - 1))
        {
            output.Insert(output.Length - 1, '\\'); // "!" then "[" would read as an image
        }
        output.Append('[');
        var textStart = output.Length;
        var singleLine = HasBlockDescendant(link);
        if (singleLine)
        {
            _singleLine++;
        }
        Children(link, depth);
        CloseInline();
        _pendingSpace = false;
        _pendingNewlines = 0;
        _pendingHardBreak = false;
        if (singleLine)
        {
            _singleLine--;
        }
        if (output.Length == textStart)
        {
            Escaped(href.Trim());
        }
        output.Append("](");
        AppendDestination(output, href.Trim(), _tableCell > 0);
        AppendTitle(link.GetAttribute("title"));
        output.Append(')');
    }

    private void Image(IElement image)
    {
        var src = image.GetAttribute("src");
        var alt = Collapse(image.GetAttribute("alt"));
        if (string.IsNullOrWhiteSpace(src))
        {
            if (alt.Length > 0)
            {
                Text(alt);
            }
            return;
        }
        StartContent();
        output.Append("![");
        _singleLine++;
        Escaped(alt);
        _singleLine--;
        output.Append("](");
        AppendDestination(output, src.Trim(), _tableCell > 0);
        AppendTitle(image.GetAttribute("title"));
        output.Append(')');
    }

    /// <summary>A player or a media file: a link to it (its fallback content is not shown).</summary>
    private void Media(IElement element)
    {
        var src = element.GetAttribute("src") ?? element.QuerySelector("source[src]")?.GetAttribute("src");
        if (string.IsNullOrWhiteSpace(src))
        {
            return;
        }
        var label = element.LocalName switch
        {
            "video" => "Video",
            "audio" => "Audio",
            _ => "Embedded player",
        };
        Block();
        StartContent();
        output.Append('[');
        Escaped(Collapse(element.GetAttribute("title")) is { Length: > 0 } title ? label + ": " + title : label);
        output.Append("](");
        AppendDestination(output, src.Trim(), _tableCell > 0);
        output.Append(')');
        if (element.LocalName == "video" && element.GetAttribute("poster") is { Length: > 0 } poster)
        {
            output.Append(" ![](");
            AppendDestination(output, poster.Trim(), _tableCell > 0);
            output.Append(')');
        }
        Block();
    }

    private void CodeSpan(string code)
    {
        var text = Collapse(code);
        if (text.Length == 0)
        {
            return;
        }
        StartContent();
        var ticks = new string('`', LongestRun(text, '`') + 1);
        var pad = text[0] == '`' || text[^1] == '`' || (text[0] == ' ' && text[^1] == ' ');
        output.Append(ticks);
        if (pad)
        {
            output.Append(' ');
        }
        if (_tableCell > 0)
        {
            output.Append(text.Replace("|", "\\|", StringComparison.Ordinal));
        }
        else
        {
            output.Append(text);
        }
        if (pad)
        {
            output.Append(' ');
        }
        output.Append(ticks);
    }

    /// <summary>Text from the document: whitespace collapsed as HTML shows it, escaped for Markdown.</summary>
    public void Text(string text)
    {
        var span = text.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            if (IsHtmlSpace(span[i]))
            {
                _pendingSpace = true;
                i++;
                continue;
            }
            var end = i + 1;
            while (end < span.Length && !IsHtmlSpace(span[end]))
            {
                end++;
            }
            StartContent();
            Escaped(span[i..end]);
            i = end;
        }
    }

    /// <summary>Writes a run of text with every character Markdown could read as syntax escaped.</summary>
    private void Escaped(ReadOnlySpan<char> run)
    {
        if (run.IsEmpty)
        {
            return;
        }
        var k = 0;
        if (output.Length == _lineStart)
        {
            var first = run[0];
            if (first is '#' or '>' or '-' or '+' or '=')
            {
                output.Append('\\').Append(first);
                k = 1;
            }
            else if (char.IsAsciiDigit(first))
            {
                var digits = 1;
                while (digits < run.Length && char.IsAsciiDigit(run[digits]))
                {
                    digits++;
                }
                if (digits <= 9 && digits < run.Length && run[digits] is '.' or ')')
                {
                    output.Append(run[..digits]).Append('\\').Append(run[digits]);
                    k = digits + 1;
                }
            }
        }
        for (; k < run.Length; k++)
        {
            var c = run[k];
            switch (c)
            {
                case '\\' or '`' or '*' or '[' or ']' or '<' or '~':
                    output.Append('\\');
                    break;
                case '_':
                    var previous = output.Length > 0 ? output[^1] : ' ';
                    var next = k + 1 < run.Length ? run[k + 1] : ' ';
                    if (!char.IsLetterOrDigit(previous) || !char.IsLetterOrDigit(next))
                    {
                        output.Append('\\');
                    }
                    break;
                case '&':
                    if (k + 1 < run.Length && (char.IsAsciiLetter(run[k + 1]) || run[k + 1] == '#'))
                    {
                        output.Append('\\');
                    }
                    break;
                case '|' when _tableCell > 0:
                    output.Append('\\');
                    break;
                case '#' when _heading > 0:
                    output.Append('\\');
                    break;
                default:
                    break;
            }
            output.Append(c);
        }
    }

    // ---- lines and blocks ----

    /// <summary>The next content starts a new block (after a blank line).</summary>
    private void Block()
    {
        if (_singleLine > 0)
        {
            _pendingSpace = true;
            return;
        }
        CloseInline();
        if (_hasContent)
        {
            _pendingNewlines = 2;
            _blankLevels = Math.Min(_blankLevels, _levels.Count);
        }
        _pendingHardBreak = false;
        _pendingSpace = false;
    }

    /// <summary>The next content starts on a new line.</summary>
    private void Line()
    {
        if (_singleLine > 0)
        {
            _pendingSpace = true;
            return;
        }
        if (_hasContent)
        {
            _pendingNewlines = Math.Max(_pendingNewlines, 1);
        }
        _pendingHardBreak = false;
        _pendingSpace = false;
    }

    /// <summary>Opening delimiters with nothing after them are dropped at the end of a block.</summary>
    private void CloseInline() => _pendingOpen = "";

    /// <summary>Writes what must come before content: pending line breaks, the line's prefix, a space, opening delimiters.</summary>
    private void StartContent()
    {
        if (_pendingNewlines > 0 && _hasContent)
        {
            if (_pendingHardBreak && _pendingNewlines == 1)
            {
                output.Append('\\');
            }
            for (var i = 1; i < _pendingNewlines; i++)
            {
                NewLine(blank: true);
            }
            output.Append('\n');
            _atLineStart = true;
        }
        _pendingNewlines = 0;
        _blankLevels = int.MaxValue;
        _pendingHardBreak = false;
        if (_atLineStart)
        {
            WritePrefix();
            _atLineStart = false;
            _lineStart = output.Length;
        }
        else if (_pendingSpace)
        {
            output.Append(' ');
        }
        _pendingSpace = false;
        if (_pendingOpen.Length > 0)
        {
            output.Append(_pendingOpen);
            _pendingOpen = "";
        }
        _hasContent = true;
    }

    /// <summary>A line break inside a block (code): the newline and the prefix of the levels around.</summary>
    private void NewLine(bool blank)
    {
        output.Append('\n');
        var start = output.Length;
        var levels = blank ? Math.Min(_blankLevels, _levels.Count) : _levels.Count;
        for (var i = 0; i < levels; i++)
        {
            var level = _levels[i];
            if (blank && level.IsPending)
            {
                break;
            }
            output.Append(level.Continuation);
        }
        if (blank)
        {
            var end = output.Length;
            while (end > start && output[end - 1] == ' ')
            {
                end--;
            }
            output.Length = end;
        }
    }

    private void WritePrefix()
    {
        foreach (var level in _levels)
        {
            if (level.IsPending)
            {
                output.Append(level.FirstLine);
                level.IsFirstLineWritten = true;
            }
            else
            {
                output.Append(level.Continuation);
            }
        }
    }

    private bool IsEscaped(int index)
    {
        var backslashes = 0;
        for (var i = index - 1; i >= 0 && output[i] == '\\'; i--)
        {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    internal static void AppendDestination(StringBuilder output, string url, bool inTable)
    {
        if (url.Length == 0)
        {
            output.Append("<>");
            return;
        }
        if (!url.AsSpan().ContainsAny(DestinationSpecials))
        {
            output.Append(url);
            return;
        }
        output.Append('<');
        foreach (var c in url)
        {
            switch (c)
            {
                case '<' or '>' or '\\':
                    output.Append('\\').Append(c);
                    break;
                case '\n' or '\r' or '\t' or '\f':
                    output.Append("%20");
                    break;
                case '|' when inTable:
                    output.Append("%7C");
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }
        output.Append('>');
    }

    private void AppendTitle(string? title)
    {
        var text = Collapse(title);
        if (text.Length == 0)
        {
            return;
        }
        output.Append(" \"");
        foreach (var c in text)
        {
            if (c is '"' or '\\' || (c == '|' && _tableCell > 0))
            {
                output.Append('\\');
            }
            output.Append(c);
        }
        output.Append('"');
    }

    private static string? CodeLanguage(IElement element)
    {
        foreach (var name in element.ClassList)
        {
            foreach (var prefix in (ReadOnlySpan<string>)["language-", "lang-", "highlight-source-", "highlight-"])
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && CleanLanguage(name[prefix.Length..]) is { } language)
                {
                    return language;
                }
            }
        }
        if (element.ClassList.Contains("sourceCode"))
        {
            // pandoc: class="sourceCode python"
            foreach (var name in element.ClassList)
            {
                if (name != "sourceCode" && CleanLanguage(name) is { } language)
                {
                    return language;
                }
            }
        }
        return CleanLanguage(element.GetAttribute("data-lang")) ?? CleanLanguage(element.GetAttribute("data-language"));
    }

    private static string? CleanLanguage(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 30)
        {
            return null;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '#' or '.' or '-' or '_'))
            {
                return null;
            }
        }
        return value.ToLowerInvariant();
    }

    // ---- helpers ----

    private static bool HasBlockDescendant(IElement element)
    {
        for (var child = element.FirstElementChild; child is not null; child = child.NextElementSibling)
        {
            var name = child.LocalName;
            if (BlockElements.Contains(name) || ComplexCellElements.Contains(name) || name is "li" or "dt" or "table" or "iframe" or "video" or "audio"
                || HasBlockDescendant(child))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasDescendant(IElement element, string first, string second)
    {
        for (var child = element.FirstElementChild; child is not null; child = child.NextElementSibling)
        {
            if (child.LocalName == first || child.LocalName == second || HasDescendant(child, first, second))
            {
                return true;
            }
        }
        return false;
    }

    private static int LongestRun(string text, char c)
    {
        int longest = 0, current = 0;
        foreach (var ch in text)
        {
            current = ch == c ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }
        return longest;
    }

    private static bool IsHtmlSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary>Whitespace collapsed to single spaces and trimmed, as HTML shows text; "" for null.</summary>
    private static string Collapse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (IsHtmlSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
