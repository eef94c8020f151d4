namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// Caps how deep elements nest in an HTML fragment before either sanitizer path sees it. Tree
/// builders slow down badly on tens of thousands of nested elements (50,000 <c>&lt;b&gt;&lt;i&gt;</c>
/// took 20–40 s); browsers cap the tree depth too (Blink at 512). Start tags that would open
/// deeper than <see cref="MaxDepth"/> are dropped; their text stays.
/// </summary>
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
        var stack = new List<string>(64);
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
                if (endName.Length > 0)
                {
                    PopTo(stack, endName);
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
            if (stack.Count >= MaxDepth)
            {
                // Too deep: leave the start tag out.
                output ??= new System.Text.StringBuilder(html.Length);
                output.Append(html, copied, lt - copied);
                copied = tagEnd;
                continue;
            }
            if (name is "script" or "style" or "textarea" or "title" or "xmp" or "iframe" or "noembed" or "noframes" or "plaintext")
            {
                // Raw text: what looks like tags inside is text, up to the matching end tag.
                var end = html.IndexOf("</" + name, tagEnd, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : end;
                if (name != "plaintext")
                {
                    stack.Add(name);
                }
                continue;
            }
            stack.Add(name);
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

    private static void PopTo(List<string> stack, string name)
    {
        for (var k = stack.Count - 1; k >= 0; k--)
        {
            if (stack[k] == name)
            {
                stack.RemoveRange(k, stack.Count - k);
                return;
            }
        }
    }

    /// <summary>A start tag that ends an open element whose end tag may be left out.</summary>
    private static void CloseImplied(List<string> stack, string name)
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
                or "details" or "fieldset" or "main" or "menu" or "center" or "hgroup" or "listing" or "dir":
                PopToWithin(stack, ["p"], ["div", "td", "th", "li", "blockquote", "table", "section", "article", "button", "object"]);
                break;
        }
    }

    /// <summary>The table parts the tree builder inserts when a row or cell comes straight in a table.</summary>
    private static void AddImpliedParents(List<string> stack, string name)
    {
        if (name is not ("tr" or "td" or "th") || stack.Count == 0)
        {
            return;
        }
        if (stack[^1] == "table")
        {
            stack.Add("tbody");
        }
        if (name is "td" or "th" && stack[^1] is "tbody" or "thead" or "tfoot")
        {
            stack.Add("tr");
        }
    }

    private static void PopToWithin(List<string> stack, ReadOnlySpan<string> names, ReadOnlySpan<string> boundaries)
    {
        for (var k = stack.Count - 1; k >= 0; k--)
        {
            if (names.Contains(stack[k]))
            {
                stack.RemoveRange(k, stack.Count - k);
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
}
