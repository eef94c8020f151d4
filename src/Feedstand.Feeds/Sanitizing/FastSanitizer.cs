using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// The fast path of <see cref="ContentSanitizer"/>: one pass over HTML that follows the HTML
/// tree builder's common rules, as most generated blog HTML does. It writes the same policy's
/// output (allow-listed attributes, URLs absolute with safe schemes, rel/loading added) and gives
/// up, returning false, on anything it does not fully understand: the caller then runs the full
/// parser-based sanitizer.
/// </summary>
/// <remarks>
/// Giving up is always safe, so the rules here are strict. Understood: end tags HTML lets authors
/// leave out (&lt;p&gt;, &lt;li&gt;, &lt;dd&gt;, table cells and rows, tbody/tr/colgroup left out),
/// stray end tags (ignored, or &lt;/p&gt; and &lt;/br&gt; as the tree builder reads them), end tags
/// that close the elements inside them, formatting elements (&lt;b&gt;, &lt;a&gt;...) closed by a
/// block and reopened before the next text (the tree builder's list of active formatting
/// elements, up to three copies of one), whole-document wrappers (&lt;html&gt;, &lt;head&gt;,
/// &lt;body&gt;, doctype), elements dropped with their content (script, style, title, noscript,
/// svg, math, meta, link), iframes, custom elements (unwrapped) and lazy-loaded images. Everything
/// else (a block inside a formatting element that is closed around it, content the tree builder
/// would move out of a table, foreign content that turns back into HTML, forms, objects, NUL
/// characters) goes to the slow path.
/// </remarks>
internal static class FastSanitizer
{
    private enum Kind
    {
        Inline,
        Block,
        Void,
        ListItem,
        List,
        Table,
        TableSection,
        TableRow,
        TableCell,
        ColumnGroup,
        DefinitionList,
        DefinitionItem,
        Anchor,
    }

    private static readonly FrozenDictionary<string, (string Name, Kind Kind)> Elements = new Dictionary<string, Kind>
    {
        ["p"] = Kind.Block, ["div"] = Kind.Block, ["h1"] = Kind.Block, ["h2"] = Kind.Block, ["h3"] = Kind.Block,
        ["h4"] = Kind.Block, ["h5"] = Kind.Block, ["h6"] = Kind.Block, ["pre"] = Kind.Block, ["blockquote"] = Kind.Block,
        ["figure"] = Kind.Block, ["figcaption"] = Kind.Block, ["section"] = Kind.Block, ["article"] = Kind.Block,
        ["aside"] = Kind.Block, ["header"] = Kind.Block, ["footer"] = Kind.Block, ["address"] = Kind.Block,
        ["details"] = Kind.Block, ["summary"] = Kind.Block,
        ["ul"] = Kind.List, ["ol"] = Kind.List, ["li"] = Kind.ListItem,
        ["dl"] = Kind.DefinitionList, ["dt"] = Kind.DefinitionItem, ["dd"] = Kind.DefinitionItem,
        ["table"] = Kind.Table, ["thead"] = Kind.TableSection, ["tbody"] = Kind.TableSection, ["tfoot"] = Kind.TableSection,
        ["tr"] = Kind.TableRow, ["td"] = Kind.TableCell, ["th"] = Kind.TableCell, ["caption"] = Kind.TableCell,
        ["colgroup"] = Kind.ColumnGroup, ["col"] = Kind.Void,
        ["br"] = Kind.Void, ["hr"] = Kind.Void, ["img"] = Kind.Void, ["wbr"] = Kind.Void,
        ["a"] = Kind.Anchor,
        ["span"] = Kind.Inline, ["code"] = Kind.Inline, ["kbd"] = Kind.Inline, ["samp"] = Kind.Inline, ["var"] = Kind.Inline,
        ["q"] = Kind.Inline, ["cite"] = Kind.Inline, ["dfn"] = Kind.Inline, ["em"] = Kind.Inline, ["strong"] = Kind.Inline,
        ["b"] = Kind.Inline, ["i"] = Kind.Inline, ["u"] = Kind.Inline, ["s"] = Kind.Inline, ["del"] = Kind.Inline,
        ["ins"] = Kind.Inline, ["mark"] = Kind.Inline, ["small"] = Kind.Inline, ["sub"] = Kind.Inline, ["sup"] = Kind.Inline,
        ["abbr"] = Kind.Inline, ["time"] = Kind.Inline,
        // Presentational and ordinary elements the allowlist unwraps: their content stays, their tags go.
        ["font"] = Kind.Inline, ["tt"] = Kind.Inline, ["strike"] = Kind.Inline, ["big"] = Kind.Inline, ["center"] = Kind.Block,
        ["acronym"] = Kind.Inline, ["bdi"] = Kind.Inline, ["bdo"] = Kind.Inline, ["data"] = Kind.Inline,
    }.ToFrozenDictionary(pair => pair.Key, pair => (pair.Key, pair.Value), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, (string Name, Kind Kind)>.AlternateLookup<ReadOnlySpan<char>> ElementLookup =
        Elements.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Elements dropped with their content whose content the tokenizer reads as text up to their end tag.</summary>
    private static readonly FrozenSet<string> RawTextElements = FrozenSet.Create(
        StringComparer.Ordinal, "script", "style", "title", "textarea", "noscript", "noembed", "noframes", "iframe");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RawTextLookup =
        RawTextElements.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Void elements dropped by the policy, and the document wrappers the tree builder ignores inside a body.</summary>
    private static readonly FrozenSet<string> IgnoredStartTags = FrozenSet.Create(
        StringComparer.Ordinal, "meta", "link", "base", "basefont", "bgsound", "html", "head", "body");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> IgnoredStartTagLookup =
        IgnoredStartTags.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Attributes kept, with how their value is treated.</summary>
    private enum Value
    {
        Text,
        Url,
        SrcSet,
        Number,
    }

    private static readonly FrozenDictionary<string, (string Name, Value Value)> Attributes = new Dictionary<string, Value>
    {
        ["href"] = Value.Url, ["src"] = Value.Url, ["cite"] = Value.Url, ["srcset"] = Value.SrcSet,
        ["alt"] = Value.Text, ["title"] = Value.Text, ["datetime"] = Value.Text, ["lang"] = Value.Text, ["dir"] = Value.Text,
        ["width"] = Value.Number, ["height"] = Value.Number, ["colspan"] = Value.Number, ["rowspan"] = Value.Number,
        ["start"] = Value.Number, ["scope"] = Value.Text, ["reversed"] = Value.Text, ["open"] = Value.Text, ["sizes"] = Value.Text,
        ["span"] = Value.Number,
    }.ToFrozenDictionary(pair => pair.Key, pair => (pair.Key, pair.Value), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, (string Name, Value Value)>.AlternateLookup<ReadOnlySpan<char>> AttributeLookup =
        Attributes.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Characters of a URL path, query and fragment that <see cref="Uri.AbsoluteUri"/> writes back unchanged.</summary>
    private static readonly SearchValues<char> PlainPathChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/?#=&+,;:@");

    private static readonly SearchValues<char> PlainHostChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-");

    [ThreadStatic]
    private static (Uri Base, string Authority)? lastAuthority;

    private const int MaxDepth = 64;
    private const int MaxAttributes = 32;
    private const int MaxNameLength = 32;

    /// <summary>One attribute of a start tag: where its name and value are in the source (ValueStart -1 when it has none).</summary>
    private readonly record struct AttributeToken(int NameStart, int NameLength, int ValueStart, int ValueLength);

    /// <summary>The stack of open elements, as the tree builder keeps it.</summary>
    private ref struct OpenElements
    {
        public Span<Kind> Kinds;
        public string[] Names;
        public int Depth;

        /// <summary>Where each open element's start tag is in the output (empty for unwrapped ones).</summary>
        public Span<int> TagStarts;
        public Span<int> TagLengths;

        /// <summary>
        /// Formatting elements closed implicitly (by a block's start or end tag) that the tree
        /// builder reopens before the next text or inline element: name and start tag as written.
        /// </summary>
        public List<(string Name, string Tag)>? Pending;

        /// <summary>Scratch space for the attributes of the tag being read.</summary>
        public Span<AttributeToken> Attributes;

        /// <summary>
        /// Where the last &lt;pre&gt; start tag ends, in the output and in the source: a line break
        /// starting its text is written twice, as the serializer does, unless the tokenizer
        /// dropped one (right after the tag).
        /// </summary>
        public int PreOutputEnd;
        public int PreSourceEnd;

        public readonly bool HasPending => Pending is { Count: > 0 };

        /// <summary>Inside a table, section or row, where the tree builder moves text and most elements out of the table.</summary>
        public readonly bool IsInTableBody => Depth > 0 && Kinds[Depth - 1] is Kind.Table or Kind.TableSection or Kind.TableRow or Kind.ColumnGroup;

        public readonly bool IsSpecial(int index) => Kinds[index] is not (Kind.Inline or Kind.Anchor);
    }

    private static bool IsUnwrapped(string name) =>
        name is "font" or "tt" or "strike" or "big" or "center" or "acronym" or "bdi" or "bdo" or "data" || name.Contains('-');

    /// <summary>The elements the tree builder reopens when they are closed implicitly (its "formatting elements").</summary>
    private static bool IsFormatting(ReadOnlySpan<char> name) =>
        name is "a" or "b" or "big" or "code" or "em" or "font" or "i" or "nobr" or "s" or "small" or "strike" or "strong" or "tt" or "u";

    private static bool IsHeading(ReadOnlySpan<char> name) =>
        name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6';

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TrySanitize(string html, Uri? baseUri, out string result)
    {
        result = "";
        if (html.Contains('\0'))
        {
            return false;
        }
        var output = new ValueStringBuilder(stackalloc char[1024]);
        var open = new OpenElements
        {
            Kinds = stackalloc Kind[MaxDepth],
            Names = new string[MaxDepth],
            TagStarts = stackalloc int[MaxDepth],
            TagLengths = stackalloc int[MaxDepth],
            Attributes = stackalloc AttributeToken[MaxAttributes],
            PreOutputEnd = -1,
            PreSourceEnd = -1,
        };
        var ok = true;
        var i = 0;
        while (ok && i < html.Length)
        {
            var c = html[i];
            switch (c)
            {
                case '<':
                    ok = ReadMarkup(html, ref i, ref output, baseUri, ref open);
                    break;
                case '&':
                    ok = !open.IsInTableBody && Reconstruct(ref output, ref open) && AppendReference(html, ref i, ref output);
                    break;
                case '>':
                    ok = !open.IsInTableBody && Reconstruct(ref output, ref open);
                    output.Append("&gt;");
                    i++;
                    break;
                case '\u00A0':
                    ok = !open.IsInTableBody && Reconstruct(ref output, ref open);
                    output.Append("&nbsp;");
                    i++;
                    break;
                default:
                    if (i == open.PreSourceEnd && c is '\n' or '\r')
                    {
                        // The tree builder drops a line break right after <pre> (AngleSharp after
                        // reopening formatting elements for it).
                        ok = Reconstruct(ref output, ref open);
                        i += c == '\r' && i + 1 < html.Length && html[i + 1] == '\n' ? 2 : 1;
                        break;
                    }
                    var end = html.AsSpan(i).IndexOfAny("<&>\u00A0");
                    var run = end < 0 ? html.Length - i : end;
                    if (open.IsInTableBody)
                    {
                        if (html.AsSpan(i, run).ContainsAnyExcept(" \t\n\r\f"))
                        {
                            ok = false; // text the tree builder would move out of the table (HTML spaces only stay)
                            break;
                        }
                    }
                    else if (!Reconstruct(ref output, ref open))
                    {
                        ok = false;
                        break;
                    }
                    if (output.Length == open.PreOutputEnd && i != open.PreSourceEnd && c is '\n' or '\r')
                    {
                        output.Append('\n'); // the first line break of a <pre> that the tokenizer kept
                    }
                    output.Append(html.AsSpan(i, run));
                    i += run;
                    break;
            }
        }
        if (ok)
        {
            // At the end of the fragment the tree builder closes whatever is open; so do we,
            // so that nothing swallows the page around the content.
            while (open.Depth > 0)
            {
                Close(ref output, ref open);
            }
            result = output.ToString();
        }
        output.Dispose();
        return ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadMarkup(string html, ref int i, ref ValueStringBuilder output, Uri? baseUri, ref OpenElements open)
    {
        var next = i + 1 < html.Length ? html[i + 1] : '\0';
        if (next == '!')
        {
            return SkipDeclaration(html, ref i);
        }
        if (next == '?')
        {
            // <?xml ...?> is a bogus comment up to the next '>': dropped like any comment.
            var close = html.IndexOf('>', i + 2);
            if (close < 0)
            {
                return false;
            }
            i = close + 1;
            return true;
        }
        if (next == '/')
        {
            return ReadEndTag(html, ref i, ref output, ref open);
        }
        if (!char.IsAsciiLetter(next))
        {
            // "a < b": a '<' that starts no tag is text.
            if (open.IsInTableBody || !Reconstruct(ref output, ref open))
            {
                return false;
            }
            output.Append("&lt;");
            i++;
            return true;
        }
        var nameStart = i + 1;
        var nameEnd = ReadTagName(html, nameStart);
        if (nameEnd < 0 || nameEnd - nameStart > MaxNameLength)
        {
            return false;
        }
        Span<char> lower = stackalloc char[MaxNameLength];
        var length = html.AsSpan(nameStart, nameEnd - nameStart).ToLowerInvariant(lower);
        var tagName = lower[..length];

        var j = nameEnd;
        if (!ReadAttributes(html, ref j, open.Attributes, out var count, out var selfClosed))
        {
            return false;
        }
        var attributes = open.Attributes[..count];
        if (open.Depth > 0 && open.Kinds[open.Depth - 1] == Kind.ColumnGroup && tagName is not ("col" or "html"))
        {
            Close(ref output, ref open); // a column group holds only columns: anything else ends it
        }
        if (ElementLookup.TryGetValue(tagName, out var element))
        {
            return ReadElement(html, ref i, j, element, attributes, selfClosed, ref output, baseUri, ref open);
        }

        if (tagName is "svg" or "math")
        {
            // Foreign content (inline SVG, MathML) is kept through its own allowlist on the full path.
            return false;
        }
        if (RawTextLookup.Contains(tagName))
        {
            var isFrame = tagName is "iframe";
            if (!SkipRawText(html, ref j, tagName))
            {
                return false;
            }
            if (isFrame)
            {
                if (open.IsInTableBody)
                {
                    return false;
                }
                AppendVideoEmbed(html, attributes, baseUri, ref output);
            }
            i = j;
            return true;
        }
        if (IgnoredStartTagLookup.Contains(tagName))
        {
            i = j;
            return true;
        }

        // A custom element (<article-nav>) is an ordinary element to the tree builder; the allowlist unwraps it.
        if (tagName.IndexOf('-') <= 0 || !char.IsAsciiLetterLower(tagName[0]))
        {
            return false;
        }
        return ReadElement(html, ref i, j, (tagName.ToString(), Kind.Inline), attributes, selfClosed, ref output, baseUri, ref open);
    }

    /// <summary>An element we follow: what its start tag closes or reopens, then the tag with its allowed attributes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadElement(string html, ref int i, int j, (string Name, Kind Kind) element, scoped ReadOnlySpan<AttributeToken> attributes,
        bool selfClosed, ref ValueStringBuilder output, Uri? baseUri, ref OpenElements open)
    {
        var (name, kind) = element;
        if (!OpenElement(kind, name, ref output, ref open))
        {
            return false;
        }

        var tagStart = output.Length;
        output.Append('<');
        output.Append(name);
        if (!AppendAttributes(html, attributes, name, baseUri, ref output))
        {
            return false;
        }
        output.Append('>');
        if (IsUnwrapped(name))
        {
            output.Truncate(tagStart);
        }
        i = j;
        if (kind == Kind.Void)
        {
            return true;
        }
        if (selfClosed || open.Depth == MaxDepth)
        {
            return false; // <p/> is not self-closing in HTML
        }
        open.Kinds[open.Depth] = kind;
        open.Names[open.Depth] = name;
        open.TagStarts[open.Depth] = tagStart;
        open.TagLengths[open.Depth] = output.Length - tagStart;
        open.Depth++;
        if (name == "pre")
        {
            open.PreOutputEnd = output.Length;
            open.PreSourceEnd = j;
        }
        return true;
    }

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

    /// <summary>
    /// What the tree builder does before it inserts an element: close the open &lt;p&gt;, the
    /// previous &lt;li&gt;/&lt;dt&gt;/&lt;dd&gt;, table cell or row, insert the table parts left
    /// out, reopen formatting elements. False where it would do more than we follow (move the
    /// element out of a table, close and reopen an &lt;a&gt;).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool OpenElement(Kind kind, string name, ref ValueStringBuilder output, ref OpenElements open)
    {
        switch (kind)
        {
            case Kind.Void when name == "col":
                // A column directly in a table gets the column group the tree builder inserts.
                CloseImplied(Kind.ColumnGroup, name, ref output, ref open);
                if (open.HasPending || open.Depth == 0)
                {
                    return false;
                }
                if (open.Kinds[open.Depth - 1] == Kind.Table && !Push("colgroup", Kind.ColumnGroup, ref output, ref open))
                {
                    return false;
                }
                return open.Kinds[open.Depth - 1] == Kind.ColumnGroup;
            case Kind.TableSection or Kind.TableRow or Kind.TableCell or Kind.ColumnGroup:
                CloseImplied(kind, name, ref output, ref open);
                if (open.HasPending)
                {
                    return false;
                }
                return InsertImpliedTableParts(kind, name, ref output, ref open) && CanOpenInTable(kind, name, ref open);
            case Kind.ListItem or Kind.DefinitionItem:
                if (open.IsInTableBody)
                {
                    return false;
                }
                for (var d = open.Depth - 1; d >= 0; d--)
                {
                    var other = open.Names[d];
                    if (kind == Kind.ListItem ? other == "li" : other is "dt" or "dd")
                    {
                        PopTo(d, ref output, ref open);
                        break;
                    }
                    if (open.IsSpecial(d) && other is not ("address" or "div" or "p"))
                    {
                        break;
                    }
                }
                ClosePInButtonScope(ref output, ref open);
                return true;
            case Kind.Block or Kind.List or Kind.DefinitionList or Kind.Table:
            case Kind.Void when name == "hr":
                if (open.IsInTableBody)
                {
                    return false;
                }
                ClosePInButtonScope(ref output, ref open);
                if (kind == Kind.Table && open.HasPending)
                {
                    return false; // formatting elements to reopen around a table: followed no further
                }
                if (IsHeading(name) && open.Depth > 0 && IsHeading(open.Names[open.Depth - 1]))
                {
                    Close(ref output, ref open); // <h2><h3>: a heading closes the heading it is in
                }
                return true;
            default:
                if (open.IsInTableBody)
                {
                    return false;
                }
                if (kind == Kind.Anchor && IsOpenOrPending("a", ref open))
                {
                    return false; // <a> inside <a>: the tree builder closes and reopens things
                }
                if (IsFormatting(name) && CountOpenOrPending(name, ref open) >= 3)
                {
                    return false; // a fourth of the same: the tree builder may forget the first ("Noah's Ark")
                }
                return Reconstruct(ref output, ref open);
        }
    }

    private static bool IsOpenOrPending(string name, ref OpenElements open) => CountOpenOrPending(name, ref open) > 0;

    private static int CountOpenOrPending(string name, ref OpenElements open)
    {
        var count = 0;
        for (var d = 0; d < open.Depth; d++)
        {
            if (open.Names[d] == name)
            {
                count++;
            }
        }
        if (open.Pending is { } pending)
        {
            foreach (var entry in pending)
            {
                if (entry.Name == name)
                {
                    count++;
                }
            }
        }
        return count;
    }

    /// <summary>Reopens the formatting elements closed implicitly, as the tree builder does before text and inline elements.</summary>
    private static bool Reconstruct(ref ValueStringBuilder output, ref OpenElements open)
    {
        if (open.Pending is not { Count: > 0 } pending)
        {
            return true;
        }
        foreach (var (name, tag) in pending)
        {
            if (open.Depth == MaxDepth)
            {
                return false;
            }
            open.Kinds[open.Depth] = name == "a" ? Kind.Anchor : Kind.Inline;
            open.Names[open.Depth] = name;
            open.TagStarts[open.Depth] = output.Length;
            open.TagLengths[open.Depth] = tag.Length;
            open.Depth++;
            output.Append(tag);
        }
        pending.Clear();
        return true;
    }

    /// <summary>
    /// The table parts the tree builder inserts when they are left out: &lt;tbody&gt; around a row
    /// directly in a table, &lt;tr&gt; around a cell directly in a table or its body.
    /// </summary>
    private static bool InsertImpliedTableParts(Kind kind, string name, ref ValueStringBuilder output, ref OpenElements open)
    {
        if (open.Depth == 0 || kind is not (Kind.TableRow or Kind.TableCell) || name == "caption")
        {
            return true;
        }
        var parent = open.Kinds[open.Depth - 1];
        if (parent == Kind.Table)
        {
            if (!Push("tbody", Kind.TableSection, ref output, ref open))
            {
                return false;
            }
            parent = Kind.TableSection;
        }
        return kind != Kind.TableCell || parent != Kind.TableSection || Push("tr", Kind.TableRow, ref output, ref open);
    }

    private static bool Push(string name, Kind kind, ref ValueStringBuilder output, ref OpenElements open)
    {
        if (open.Depth == MaxDepth)
        {
            return false;
        }
        open.Kinds[open.Depth] = kind;
        open.Names[open.Depth] = name;
        open.TagStarts[open.Depth] = output.Length;
        output.Append('<');
        output.Append(name);
        output.Append('>');
        open.TagLengths[open.Depth] = output.Length - open.TagStarts[open.Depth];
        open.Depth++;
        return true;
    }

    /// <summary>Closes the &lt;p&gt; in scope, as a block start tag does.</summary>
    private static void ClosePInButtonScope(ref ValueStringBuilder output, ref OpenElements open)
    {
        var p = FindInScope("p", ref open, listItemScope: false);
        if (p >= 0)
        {
            PopTo(p, ref output, ref open);
        }
    }

    /// <summary>Where the element is open within scope (not beyond a table or cell), or -1.</summary>
    private static int FindInScope(scoped ReadOnlySpan<char> name, ref OpenElements open, bool listItemScope)
    {
        for (var d = open.Depth - 1; d >= 0; d--)
        {
            var other = open.Names[d];
            if (name.Equals(other, StringComparison.Ordinal))
            {
                return d;
            }
            if (other is "table" or "td" or "th" or "caption" || (listItemScope && other is "ul" or "ol"))
            {
                return -1;
            }
        }
        return -1;
    }

    /// <summary>
    /// Closes the element at <paramref name="index"/> and everything inside it. The formatting
    /// elements (&lt;b&gt;, &lt;em&gt;...) among those inside stay pending: the tree builder
    /// reopens them before the next text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PopTo(int index, ref ValueStringBuilder output, ref OpenElements open)
    {
        while (open.Depth > index)
        {
            var top = open.Depth - 1;
            if (top > index && IsFormatting(open.Names[top]))
            {
                open.Pending ??= [];
                open.Pending.Insert(0, (open.Names[top], output.AsSpan().Slice(open.TagStarts[top], open.TagLengths[top]).ToString()));
            }
            Close(ref output, ref open);
        }
    }

    /// <summary>
    /// The end tags HTML lets authors leave out inside tables, closed where the tree builder
    /// closes them: the open cell with everything inside it (its formatting elements are not
    /// reopened), then the row or section the new part cannot go in.
    /// </summary>
    private static void CloseImplied(Kind kind, string name, ref ValueStringBuilder output, ref OpenElements open)
    {
        if (open.Depth > 0 && open.Kinds[open.Depth - 1] == Kind.ColumnGroup && !(kind == Kind.ColumnGroup && name == "col"))
        {
            Close(ref output, ref open);
        }
        var cell = open.Depth - 1;
        while (cell >= 0 && open.Names[cell] is not ("td" or "th" or "caption" or "table"))
        {
            cell--;
        }
        if (cell >= 0 && open.Names[cell] != "table")
        {
            while (open.Depth > cell)
            {
                Close(ref output, ref open);
            }
            open.Pending?.Clear();
        }
        if (kind == Kind.TableCell && name != "caption")
        {
            return;
        }
        if (open.Depth > 0 && open.Names[open.Depth - 1] == "tr")
        {
            Close(ref output, ref open);
        }
        if (kind != Kind.TableRow && open.Depth > 0 && open.Kinds[open.Depth - 1] == Kind.TableSection)
        {
            Close(ref output, ref open);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Close(ref ValueStringBuilder output, ref OpenElements open)
    {
        open.Depth--;
        var name = open.Names[open.Depth];
        if (!IsUnwrapped(name))
        {
            output.Append("</");
            output.Append(name);
            output.Append('>');
        }
    }

    /// <summary>Whether a table part may open here without the tree builder inserting or moving anything.</summary>
    private static bool CanOpenInTable(Kind kind, string name, ref OpenElements open)
    {
        var parent = open.Depth > 0 ? open.Kinds[open.Depth - 1] : Kind.Block;
        return kind switch
        {
            Kind.TableSection or Kind.ColumnGroup => parent == Kind.Table,
            Kind.TableRow => parent is Kind.Table or Kind.TableSection,
            _ => name == "caption" ? parent == Kind.Table : parent == Kind.TableRow,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadEndTag(string html, ref int i, ref ValueStringBuilder output, ref OpenElements open)
    {
        var nameStart = i + 2;
        if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
        {
            return false; // "</>" and "</ x>" are bogus comments or nothing: slow path
        }
        var nameEnd = ReadTagName(html, nameStart);
        if (nameEnd < 0 || nameEnd - nameStart > MaxNameLength)
        {
            return false;
        }
        var close = nameEnd;
        if (html[close] == '>')
        {
            close++;
        }
        else if (!ReadAttributes(html, ref close, open.Attributes, out _, out _))
        {
            return false;
        }
        Span<char> lower = stackalloc char[MaxNameLength];
        var endName = lower[..html.AsSpan(nameStart, nameEnd - nameStart).ToLowerInvariant(lower)];
        i = close;
        if (open.Depth > 0 && open.Kinds[open.Depth - 1] == Kind.ColumnGroup && endName is not ("colgroup" or "col"))
        {
            Close(ref output, ref open); // a column group holds only columns: anything else ends it
        }

        if (endName is "br")
        {
            // </br> is read as <br>.
            if (open.IsInTableBody || !Reconstruct(ref output, ref open))
            {
                return false;
            }
            output.Append("<br>");
            return true;
        }
        if (endName is "html" or "body" or "head" or "img" or "hr" or "wbr" or "col")
        {
            return true; // ends nothing: the tree builder ignores it
        }
        if (endName is "table" or "thead" or "tbody" or "tfoot" or "tr" or "td" or "th" or "caption" or "colgroup")
        {
            return CloseTablePart(endName, ref output, ref open);
        }
        if (open.IsInTableBody)
        {
            return false;
        }
        if (endName is "p")
        {
            var p = FindInScope("p", ref open, listItemScope: false);
            if (p >= 0)
            {
                PopTo(p, ref output, ref open);
                return true;
            }
            output.Append("<p></p>"); // a stray </p> makes an empty paragraph
            return true;
        }
        if (IsHeading(endName))
        {
            for (var d = open.Depth - 1; d >= 0; d--)
            {
                var other = open.Names[d];
                if (IsHeading(other))
                {
                    if (!other.AsSpan().SequenceEqual(endName))
                    {
                        return false; // <h2>x</h3>: closes the h2, left to the slow path
                    }
                    PopTo(d, ref output, ref open);
                    return true;
                }
                if (other is "table" or "td" or "th" or "caption")
                {
                    break;
                }
            }
            return true;
        }
        var known = ElementLookup.TryGetValue(endName, out var element);
        if (known && element.Kind is not (Kind.Inline or Kind.Anchor))
        {
            // A block, list or list item: closed with what is inside when in scope, else ignored.
            var at = FindInScope(endName, ref open, listItemScope: endName is "li");
            if (at >= 0)
            {
                PopTo(at, ref output, ref open);
            }
            return true;
        }
        // A formatting or ordinary element: the innermost one of that name closes, with the elements
        // inside it, unless a block lies between (the tree builder then moves things around).
        var isFormatting = IsFormatting(endName);
        if (isFormatting && open.Pending is { } pending)
        {
            for (var e = pending.Count - 1; e >= 0; e--)
            {
                if (endName.Equals(pending[e].Name, StringComparison.Ordinal))
                {
                    pending.RemoveAt(e); // closed implicitly already: now it is not reopened either
                    return true;
                }
            }
        }
        for (var d = open.Depth - 1; d >= 0; d--)
        {
            var other = open.Names[d];
            if (endName.Equals(other, StringComparison.Ordinal))
            {
                PopTo(d, ref output, ref open);
                return true;
            }
            if (!open.IsSpecial(d))
            {
                continue;
            }
            if (!isFormatting || other is "td" or "th" or "caption")
            {
                return true; // ignored
            }
            for (var below = d - 1; below >= 0; below--)
            {
                if (endName.Equals(open.Names[below], StringComparison.Ordinal))
                {
                    return false; // a block inside the formatting element: the adoption agency moves it
                }
                if (open.Names[below] is "td" or "th" or "caption")
                {
                    break;
                }
            }
            return true;
        }
        return true; // stray: ignored
    }

    /// <summary>An end tag of a table part closes the parts whose end tags may be left out (&lt;/table&gt; the open row and cell).</summary>
    private static bool CloseTablePart(scoped ReadOnlySpan<char> endName, ref ValueStringBuilder output, ref OpenElements open)
    {
        // Elements inside a cell close with it; between the cell and the table only table parts
        // (and the p, li, dt, dd whose end tags may be left out) are followed.
        var match = open.Depth - 1;
        var loose = false;
        var closesCell = false;
        for (; match >= 0; match--)
        {
            var other = open.Names[match];
            if (endName.Equals(other, StringComparison.Ordinal))
            {
                break;
            }
            if (other is "table")
            {
                return false;
            }
            if (other is "td" or "th" or "caption")
            {
                loose = false;
                closesCell = true;
            }
            else if (other is not ("tr" or "thead" or "tbody" or "tfoot" or "colgroup" or "p" or "li" or "dt" or "dd"))
            {
                loose = true;
            }
        }
        if (match < 0 || (loose && open.Names[match] is not ("td" or "th" or "caption")))
        {
            return false; // stray or mismatched table end tags need the tree builder
        }
        if (open.Names[match] is "td" or "th" or "caption")
        {
            closesCell = true;
        }
        if (open.HasPending && !closesCell)
        {
            return false;
        }
        while (open.Depth > match)
        {
            Close(ref output, ref open);
        }
        if (closesCell)
        {
            open.Pending?.Clear(); // the formatting elements opened in a cell end with it
        }
        return true;
    }

    /// <summary>
    /// Writes the allowed attributes of a start tag, in source order, the first of duplicates;
    /// images get their lazy-loaded source promoted as on the slow path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AppendAttributes(string html, scoped ReadOnlySpan<AttributeToken> attributes, string element, Uri? baseUri, ref ValueStringBuilder output)
    {
        string? promotedSrc = null, promotedSrcset = null;
        var isImage = element == "img";
        if (isImage)
        {
            PromoteLazySource(html, attributes, out promotedSrc, out promotedSrcset);
        }
        var hasSource = false;
        var hasSrcset = false;
        Span<char> lower = stackalloc char[16];
        for (var a = 0; a < attributes.Length; a++)
        {
            var token = attributes[a];
            var rawName = html.AsSpan(token.NameStart, token.NameLength);
            if (rawName.Length > lower.Length)
            {
                continue; // a long attribute name is none of ours: dropped
            }
            var length = rawName.ToLowerInvariant(lower);
            if (!AttributeLookup.TryGetValue(lower[..length], out var attribute)
                || IsDuplicate(html, attributes, a, lower[..length]))
            {
                continue;
            }
            var (name, treatment) = attribute;
            string value;
            if (isImage && name == "src" && promotedSrc is not null)
            {
                value = promotedSrc;
                promotedSrc = null;
            }
            else if (isImage && name == "srcset" && promotedSrcset is not null)
            {
                value = promotedSrcset;
                promotedSrcset = null;
            }
            else
            {
                value = AttributeValue(html, token);
            }
            if (!AppendAttribute(name, treatment, value, element, baseUri, ref output, ref hasSource, ref hasSrcset))
            {
                return false;
            }
        }
        // A promoted source the image did not have is added after its attributes, as SetAttribute does.
        if (promotedSrc is not null && !AppendAttribute("src", Value.Url, promotedSrc, element, baseUri, ref output, ref hasSource, ref hasSrcset))
        {
            return false;
        }
        if (promotedSrcset is not null && !AppendAttribute("srcset", Value.SrcSet, promotedSrcset, element, baseUri, ref output, ref hasSource, ref hasSrcset))
        {
            return false;
        }
        switch (element)
        {
            case "img":
                if (!hasSource && !hasSrcset)
                {
                    return false; // an image the slow path removes or keeps by its srcset alone
                }
                output.Append(" loading=\"lazy\" decoding=\"async\"");
                break;
            case "a" when hasSource:
                output.Append(" rel=\"noopener noreferrer\"");
                break;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AppendAttribute(string name, Value treatment, string value, string element, Uri? baseUri,
        ref ValueStringBuilder output, ref bool hasSource, ref bool hasSrcset)
    {
        switch (treatment)
        {
            case Value.Url:
                var url = SafeUrl(value, baseUri, allowDataImage: element == "img" && name == "src");
                if (url is null)
                {
                    return true;
                }
                value = url;
                if (name == (element == "a" ? "href" : "src"))
                {
                    hasSource = true;
                }
                break;
            case Value.SrcSet:
                var set = SafeSrcSet(value, baseUri);
                if (set is null)
                {
                    return true;
                }
                value = set;
                hasSrcset = true;
                break;
            case Value.Number:
                if (value.Length == 0 || value.Length > 8 || !IsNumber(value))
                {
                    return true;
                }
                break;
        }
        output.Append(' ');
        output.Append(name);
        output.Append("=\"");
        AppendAttributeValue(value, ref output);
        output.Append('"');
        return true;
    }

    /// <summary>Whether an attribute of the same name came earlier in the tag (the HTML parser keeps the first).</summary>
    private static bool IsDuplicate(string html, ReadOnlySpan<AttributeToken> attributes, int index, ReadOnlySpan<char> lowerName)
    {
        for (var a = 0; a < index; a++)
        {
            if (html.AsSpan(attributes[a].NameStart, attributes[a].NameLength).Equals(lowerName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The first attribute of that name, its value decoded; null when absent.</summary>
    private static string? FindAttribute(string html, ReadOnlySpan<AttributeToken> attributes, string name)
    {
        foreach (var token in attributes)
        {
            if (html.AsSpan(token.NameStart, token.NameLength).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return AttributeValue(html, token);
            }
        }
        return null;
    }

    /// <summary>As <c>ContentSanitizer.PromoteLazySource</c>: data-src over a placeholder src, data-srcset when there is no srcset.</summary>
    private static void PromoteLazySource(string html, ReadOnlySpan<AttributeToken> attributes, out string? src, out string? srcset)
    {
        src = null;
        srcset = null;
        var hasData = false;
        foreach (var token in attributes)
        {
            if (html.AsSpan(token.NameStart, token.NameLength).StartsWith("data-", StringComparison.OrdinalIgnoreCase))
            {
                hasData = true;
                break;
            }
        }
        if (!hasData)
        {
            return;
        }
        if (ContentSanitizer.IsPlaceholder(FindAttribute(html, attributes, "src")))
        {
            foreach (var name in ContentSanitizer.LazySourceAttributes)
            {
                var value = FindAttribute(html, attributes, name);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    src = value;
                    break;
                }
            }
        }
        if (string.IsNullOrWhiteSpace(FindAttribute(html, attributes, "srcset")))
        {
            foreach (var name in ContentSanitizer.LazySrcsetAttributes)
            {
                var value = FindAttribute(html, attributes, name);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    srcset = value;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// An iframe of an allowed video player, written sandboxed and lazy (its content is dropped);
    /// any other iframe is dropped, as on the slow path.
    /// </summary>
    private static void AppendVideoEmbed(string html, scoped ReadOnlySpan<AttributeToken> attributes, Uri? baseUri, ref ValueStringBuilder output)
    {
        var src = FindAttribute(html, attributes, "src");
        var player = src is null || SafeUrl(src, baseUri, allowDataImage: false) is not { } safe ? null : VideoEmbeds.Allowed(safe);
        if (player is null)
        {
            return;
        }
        var width = FindAttribute(html, attributes, "width");
        var height = FindAttribute(html, attributes, "height");
        output.Append("<iframe src=\"");
        AppendAttributeValue(player, ref output);
        output.Append('"');
        if (width is { Length: > 0 and <= 8 } && IsNumber(width))
        {
            output.Append(" width=\"");
            output.Append(width);
            output.Append('"');
        }
        if (height is { Length: > 0 and <= 8 } && IsNumber(height))
        {
            output.Append(" height=\"");
            output.Append(height);
            output.Append('"');
        }
        output.Append(" sandbox=\"allow-scripts allow-same-origin allow-presentation\" allowfullscreen=\"\" loading=\"lazy\"></iframe>");
    }

    /// <summary>
    /// An attribute's value with character references decoded as the tokenizer does in attributes:
    /// a legacy reference without ';' followed by '=' or a letter or digit stays as written (href="?a=1&amp;copy=2").
    /// </summary>
    private static string AttributeValue(string html, AttributeToken token)
    {
        if (token.ValueStart < 0)
        {
            return "";
        }
        var raw = html.AsSpan(token.ValueStart, token.ValueLength);
        if (!raw.Contains('&'))
        {
            return raw.ToString();
        }
        var decoded = new ValueStringBuilder(stackalloc char[256]);
        var end = token.ValueStart + token.ValueLength;
        var k = token.ValueStart;
        while (k < end)
        {
            var amp = html.AsSpan(k, end - k).IndexOf('&');
            if (amp < 0)
            {
                decoded.Append(html.AsSpan(k, end - k));
                break;
            }
            decoded.Append(html.AsSpan(k, amp));
            k += amp;
            var mark = decoded.Length;
            var consumed = HtmlEntities.Decode(html, k, ref decoded);
            if (consumed > 0 && k + consumed > end)
            {
                decoded.Truncate(mark); // a reference running past the value's end is not one
                consumed = 0;
            }
            if (consumed > 0 && html[k + 1] != '#' && html[k + consumed - 1] != ';'
                && k + consumed < end && (html[k + consumed] == '=' || char.IsAsciiLetterOrDigit(html[k + consumed])))
            {
                decoded.Truncate(mark);
                consumed = 0;
            }
            if (consumed == 0)
            {
                decoded.Append('&');
                consumed = 1;
            }
            k += consumed;
        }
        var text = decoded.ToString();
        decoded.Dispose();
        return text;
    }

    private static bool IsNumber(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c != '%')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The URL made absolute when its scheme is http, https or mailto (or relative); null when unsafe.</summary>
    internal static string? SafeUrl(string value, Uri? baseUri, bool allowDataImage)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return baseUri is { IsAbsoluteUri: true } ? baseUri.AbsoluteUri : null; // href="" is the page itself
        }
        // Browsers drop tabs and newlines inside URLs: "java\tscript:" is javascript:.
        if (trimmed.AsSpan().IndexOfAny("\t\n\r") >= 0)
        {
            trimmed = trimmed.Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        }
        foreach (var c in trimmed)
        {
            if (char.IsControl(c))
            {
                return null;
            }
        }
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = trimmed.AsSpan().IndexOfAny("/?#");
        if (colon > 0 && (firstDelimiter < 0 || colon < firstDelimiter))
        {
            var scheme = trimmed.AsSpan(0, colon);
            if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            {
                if (IsCanonicalHttpUrl(trimmed))
                {
                    return trimmed;
                }
                return Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) ? absolute.AbsoluteUri : null;
            }
            if (scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed;
            }
            if (allowDataImage && scheme.Equals("data", StringComparison.OrdinalIgnoreCase)
                && (trimmed.StartsWith("data:image/png", StringComparison.OrdinalIgnoreCase)
                    || trimmed.StartsWith("data:image/gif", StringComparison.OrdinalIgnoreCase)
                    || trimmed.StartsWith("data:image/jpeg", StringComparison.OrdinalIgnoreCase)
                    || trimmed.StartsWith("data:image/webp", StringComparison.OrdinalIgnoreCase)))
            {
                return trimmed;
            }
            return null;
        }
        if (baseUri is null || !baseUri.IsAbsoluteUri)
        {
            return trimmed;
        }
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            trimmed = baseUri.Scheme + ":" + trimmed;
            return Uri.TryCreate(trimmed, UriKind.Absolute, out var schemeRelative) && schemeRelative.Scheme is "http" or "https"
                ? schemeRelative.AbsoluteUri
                : null;
        }
        if (trimmed.Length > 1 && trimmed[0] == '/' && trimmed[1] != '/' && IsCanonicalPath(trimmed) && HttpAuthority(baseUri) is { } authority)
        {
            return string.Concat(authority, trimmed);
        }
        return Uri.TryCreate(baseUri, trimmed, out var resolved) && resolved.Scheme is "http" or "https" ? resolved.AbsoluteUri : null;
    }

    /// <summary>
    /// Whether an http(s) URL is already written as <see cref="Uri.AbsoluteUri"/> writes it (lower-case
    /// scheme and DNS host, no port, a path without dot segments, only characters left as they are),
    /// so that parsing it would give it back unchanged. Saves the parse for most links in feeds.
    /// </summary>
    internal static bool IsCanonicalHttpUrl(ReadOnlySpan<char> url)
    {
        var hostStart = url.StartsWith("https://", StringComparison.Ordinal) ? 8 : url.StartsWith("http://", StringComparison.Ordinal) ? 7 : -1;
        if (hostStart < 0)
        {
            return false;
        }
        var rest = url[hostStart..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash > 63)
        {
            return false;
        }
        var host = rest[..slash];
        if (host.ContainsAnyExcept(PlainHostChars) || host[0] is '.' or '-' || host[^1] is '.' or '-'
            || host.Contains("..", StringComparison.Ordinal) || host.Contains(".-", StringComparison.Ordinal)
            || host.Contains("-.", StringComparison.Ordinal) || host.Contains("xn--", StringComparison.Ordinal))
        {
            return false;
        }
        var lastDot = host.LastIndexOf('.');
        var topLevel = host[(lastDot + 1)..];
        return lastDot > 0 && topLevel.Length >= 2 && !topLevel.ContainsAnyExceptInRange('a', 'z') && IsCanonicalPath(rest[slash..]);
    }

    /// <summary>A path (from its '/'), query and fragment that resolving and writing a URL leaves as they are.</summary>
    internal static bool IsCanonicalPath(ReadOnlySpan<char> path)
    {
        if (path.ContainsAnyExcept(PlainPathChars) || path.Contains("/.", StringComparison.Ordinal) || path[^1] is '?' or '#')
        {
            return false;
        }
        var hash = path.IndexOf('#');
        return hash < 0 || path[(hash + 1)..].IndexOfAny('#', '?') < 0;
    }

    /// <summary>"https://host[:port]" of an http(s) base, kept for the next URL of the same base.</summary>
    internal static string? HttpAuthority(Uri baseUri)
    {
        if (lastAuthority is { } last && ReferenceEquals(last.Base, baseUri))
        {
            return last.Authority;
        }
        if (baseUri.Scheme is not ("http" or "https"))
        {
            return null;
        }
        var authority = baseUri.GetLeftPart(UriPartial.Authority);
        lastAuthority = (baseUri, authority);
        return authority;
    }

    private static string? SafeSrcSet(string value, Uri? baseUri)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var kept = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            var space = part.IndexOfAny([' ', '\t', '\n']);
            var url = space < 0 ? part : part[..space];
            var descriptor = space < 0 ? "" : part[space..].Trim();
            if (SafeUrl(url, baseUri, allowDataImage: false) is not { } safe)
            {
                return null;
            }
            kept.Add(descriptor.Length == 0 ? safe : safe + " " + descriptor);
        }
        return kept.Count == 0 ? null : string.Join(", ", kept);
    }

    private static void AppendAttributeValue(string value, ref ValueStringBuilder output)
    {
        var span = value.AsSpan();
        while (true)
        {
            var at = span.IndexOfAny("&\"<\u00A0");
            if (at < 0)
            {
                output.Append(span);
                return;
            }
            output.Append(span[..at]);
            output.Append(span[at] switch
            {
                '&' => "&amp;",
                '"' => "&quot;",
                '<' => "&lt;",
                _ => "&nbsp;",
            });
            span = span[(at + 1)..];
        }
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
