using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// The tree builder's rules the fast path follows: the elements it knows and their kinds, the
/// stack of open elements, which start tags close or reopen what, end tags, tables.
/// </summary>
internal static partial class FastSanitizer
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

    /// <summary>Void elements dropped by the policy, and the document wrappers the tree builder ignores inside a body.</summary>
    private static readonly FrozenSet<string> IgnoredStartTags = FrozenSet.Create(
        StringComparer.Ordinal, "meta", "link", "base", "basefont", "bgsound", "html", "head", "body");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> IgnoredStartTagLookup =
        IgnoredStartTags.GetAlternateLookup<ReadOnlySpan<char>>();

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
}
