namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// Caps how deep elements nest in an HTML fragment before either sanitizer path sees it. Tree
/// builders slow down badly on tens of thousands of nested elements (50,000 <c>&lt;b&gt;&lt;i&gt;</c>
/// took 20–40 s); browsers cap the tree depth too (Blink at 512). Start tags that would open
/// deeper than <see cref="MaxDepth"/> are dropped; their text stays.
/// </summary>
/// <remarks>
/// Depth alone does not bound the time: the tree builder walks the open elements for many start
/// tags (is a <c>p</c> in scope?), so 25,000 list items at depth 250 cost it as much as six million
/// steps. Past <see cref="DeepDepth"/>, only <see cref="DeepElementBudget"/> more start tags are kept.
/// </remarks>
/// <remarks>
/// Depth is estimated from the tags alone, as the tree builder would build it for the usual
/// cases: void elements open nothing, an end tag closes up to its start tag, and the elements
/// whose end tag may be left out (<c>p</c>, <c>li</c>, <c>td</c>, <c>option</c>, ...) close their
/// open predecessor. Overestimating only matters past the cap, which real posts never reach.
/// A fragment with fewer tags than the cap is returned at once (one vectorized count).
/// </remarks>
internal static class NestingLimit
{
    public const int MaxDepth = 256;

    /// <summary>The depth past which start tags count against <see cref="DeepElementBudget"/>.</summary>
    public const int DeepDepth = 64;

    /// <summary>How many start tags are kept deeper than <see cref="DeepDepth"/>.</summary>
    public const int DeepElementBudget = 2_000;

    public static string Apply(string html)
    {
        if (html.AsSpan().Count('<') <= MaxDepth)
        {
            return html;
        }
        return Limit(html) ?? html;
    }

    /// <summary>The fragment with too-deep start tags removed, or null when nothing was too deep.</summary>
    private static string? Limit(string html)
    {
        var stack = new OpenElements();
        var deepKept = 0;
        System.Text.StringBuilder? output = null;
        var copied = 0;
        var i = 0;
        while (true)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= html.Length)
            {
                break;
            }
            var next = html[lt + 1];
            if (next == '!')
            {
                var close = html.AsSpan(lt).StartsWith("<!--", StringComparison.Ordinal) ? html.IndexOf("-->", lt + 4, StringComparison.Ordinal) : html.IndexOf('>', lt + 2);
                if (close < 0)
                {
                    break;
                }
                i = close + 1;
                continue;
            }
            if (next == '/')
            {
                var (endName, endEnd) = ReadName(html, lt + 2);
                i = SkipTag(html, endEnd);
                if (endName.Length == 0)
                {
                    continue;
                }
                if (stack.IsOpen(endName))
                {
                    PopTo(stack, endName);
                }
                else if (output is not null && endName is not ("p" or "br"))
                {
                    // Once start tags have been left out, so are the end tags that close nothing
                    // (the tree builder ignores them; </p> and </br> make elements): tens of
                    // thousands of them between bits of text cost it more than the text.
                    output.Append(html, copied, lt - copied);
                    copied = i;
                }
                continue;
            }
            if (!char.IsAsciiLetter(next))
            {
                i = lt + 1;
                continue;
            }
            var (name, nameEnd) = ReadName(html, lt + 1);
            var tagEnd = SkipTag(html, nameEnd);
            i = tagEnd;
            if (IsVoid(name) || (tagEnd >= 2 && html[tagEnd - 2] == '/' && name is "svg" or "math" or "path" or "circle" or "rect" or "line"))
            {
                continue;
            }
            CloseImplied(stack, name);
            AddImpliedParents(stack, name);
            var deep = stack.Count >= DeepDepth;
            if (stack.Count >= MaxDepth || (deep && deepKept >= DeepElementBudget))
            {
                // Too deep: leave the start tag out.
                output ??= new System.Text.StringBuilder(html.Length);
                output.Append(html, copied, lt - copied);
                copied = tagEnd;
                continue;
            }
            if (deep)
            {
                deepKept++;
            }
            if (name is "script" or "style" or "textarea" or "title" or "xmp" or "iframe" or "noembed" or "noframes" or "plaintext")
            {
                // Raw text: what looks like tags inside is text, up to the matching end tag.
                var end = html.IndexOf("</" + name, tagEnd, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : end;
                if (name != "plaintext")
                {
                    stack.Push(name);
                }
                continue;
            }
            stack.Push(name);
        }
        if (output is null)
        {
            return null;
        }
        output.Append(html, copied, html.Length - copied);
        return output.ToString();
    }

    /// <summary>Common tag names, so reading a tag allocates nothing for them.</summary>
    private static readonly System.Collections.Frozen.FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownNames =
        System.Collections.Frozen.FrozenSet.Create(StringComparer.Ordinal,
            "a", "b", "i", "u", "s", "p", "br", "hr", "img", "div", "span", "em", "strong", "code", "pre", "ul", "ol", "li",
            "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
            "blockquote", "figure", "figcaption", "sup", "sub", "small", "font", "center", "section", "article", "picture",
            "source", "video", "audio", "iframe", "script", "style", "svg", "math", "path", "g", "q", "cite", "abbr", "time",
            "del", "ins", "mark", "kbd", "caption", "col", "colgroup", "wbr", "details", "summary", "header", "footer", "nav",
            "aside", "main", "form", "input", "button", "label", "select", "option", "textarea", "title", "noscript", "object",
            "embed", "param", "applet", "tt", "big", "nobr", "rect", "circle", "line", "text", "use", "defs", "mi", "mo", "mn", "mrow")
        .GetAlternateLookup<ReadOnlySpan<char>>();

    private static (string Name, int End) ReadName(string html, int start)
    {
        var end = start;
        var hasUpper = false;
        while (end < html.Length && !char.IsWhiteSpace(html[end]) && html[end] is not '>' and not '/')
        {
            hasUpper |= char.IsAsciiLetterUpper(html[end]);
            end++;
        }
        var span = html.AsSpan(start, end - start);
        if (!hasUpper && KnownNames.TryGetValue(span, out var known))
        {
            return (known, end);
        }
        return (span.ToString().ToLowerInvariant(), end);
    }

    /// <summary>The index after the tag's closing '&gt;', honouring quoted attribute values.</summary>
    private static int SkipTag(string html, int from)
    {
        var i = from;
        var afterEquals = false;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '>')
            {
                return i + 1;
            }
            if (afterEquals && c is '"' or '\'')
            {
                var close = html.IndexOf(c, i + 1);
                if (close < 0)
                {
                    return html.Length;
                }
                i = close + 1;
                afterEquals = false;
                continue;
            }
            if (c == '=')
            {
                afterEquals = true;
            }
            else if (!char.IsWhiteSpace(c))
            {
                afterEquals = false;
            }
            i++;
        }
        return html.Length;
    }

    private static void PopTo(OpenElements stack, string name)
    {
        for (var k = stack.Count - 1; k >= 0; k--)
        {
            if (stack[k] == name)
            {
                stack.Truncate(k);
                return;
            }
        }
    }

    /// <summary>A start tag that ends an open element whose end tag may be left out.</summary>
    private static void CloseImplied(OpenElements stack, string name)
    {
        switch (name)
        {
            case "li":
                PopToWithin(stack, ["li"], ["ul", "ol", "menu"]);
                break;
            case "dt" or "dd":
                PopToWithin(stack, ["dt", "dd"], ["dl"]);
                break;
            case "td" or "th":
                PopToWithin(stack, ["td", "th"], ["table", "tr"]);
                break;
            case "tr":
                PopToWithin(stack, ["tr"], ["table"]);
                break;
            case "option" or "optgroup":
                PopToWithin(stack, ["option"], ["select"]);
                break;
            case "rb" or "rt" or "rp" or "rtc":
                PopToWithin(stack, ["rb", "rt", "rp"], ["ruby"]);
                break;
            case "p" or "div" or "ul" or "ol" or "dl" or "table" or "blockquote" or "pre" or "h1" or "h2" or "h3" or "h4" or "h5"
                or "h6" or "section" or "article" or "aside" or "header" or "footer" or "nav" or "figure" or "form" or "address"
                or "details" or "fieldset" or "main" or "menu" or "center" or "hgroup" or "listing" or "dir"
                when stack.OpenParagraphs > 0:
                PopToWithin(stack, ["p"], ["div", "td", "th", "li", "blockquote", "table", "section", "article", "button", "object"]);
                break;
        }
    }

    /// <summary>The table parts the tree builder inserts when a row or cell comes straight in a table.</summary>
    private static void AddImpliedParents(OpenElements stack, string name)
    {
        if (name is not ("tr" or "td" or "th") || stack.Count == 0)
        {
            return;
        }
        if (stack[^1] == "table")
        {
            stack.Push("tbody");
        }
        if (name is "td" or "th" && stack[^1] is "tbody" or "thead" or "tfoot")
        {
            stack.Push("tr");
        }
    }

    private static void PopToWithin(OpenElements stack, ReadOnlySpan<string> names, ReadOnlySpan<string> boundaries)
    {
        for (var k = stack.Count - 1; k >= 0; k--)
        {
            if (names.Contains(stack[k]))
            {
                stack.Truncate(k);
                return;
            }
            if (boundaries.Contains(stack[k]))
            {
                return;
            }
        }
    }

    private static bool IsVoid(string name) => name is "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "input"
        or "link" or "meta" or "param" or "source" or "track" or "wbr" or "keygen" or "basefont" or "bgsound" or "frame" or "image";

    /// <summary>The estimated stack of open elements, counting the open <c>p</c> elements so that a
    /// block start tag looks for one only when there is one.</summary>
    private sealed class OpenElements
    {
        private readonly List<string> _names = new(64);
        private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

        public int Count => _names.Count;

        public int OpenParagraphs { get; private set; }

        public string this[int index] => _names[index];

        public bool IsOpen(string name) => _open.GetValueOrDefault(name) > 0;

        public void Push(string name)
        {
            _names.Add(name);
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_open, name, out _)++;
            if (name == "p")
            {
                OpenParagraphs++;
            }
        }

        /// <summary>Closes the element at <paramref name="index"/> and everything opened after it.</summary>
        public void Truncate(int index)
        {
            for (var k = index; k < _names.Count; k++)
            {
                _open[_names[k]]--;
                if (_names[k] == "p")
                {
                    OpenParagraphs--;
                }
            }
            _names.RemoveRange(index, _names.Count - index);
        }
    }
}
