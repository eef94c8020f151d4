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
/// meta, link), plain inline MathML and SVG (<c>.Foreign</c>), iframes, custom elements (unwrapped)
/// and lazy-loaded images. Everything
/// else (a block inside a formatting element that is closed around it, content the tree builder
/// would move out of a table, foreign content that turns back into HTML, forms, objects, NUL
/// characters) goes to the slow path.
/// <para>
/// Safety invariant, asserted on its own output by the differential tests (<c>FastSanitizerTests.AssertSafe</c>):
/// every element written is in <see cref="SanitizerPolicy.AllowedElements"/> (or, inside MathML and SVG, in
/// <see cref="SanitizerPolicy.MathElements"/> and <see cref="SanitizerPolicy.SvgElements"/>); every attribute is in
/// <see cref="SanitizerPolicy.AllowedAttributes"/> (or <see cref="SanitizerPolicy.ForeignAttributes"/> on those) or one the sanitizer adds (<c>rel</c>, <c>loading</c>,
/// <c>decoding</c>, <c>sandbox</c>, <c>allowfullscreen</c>); every URL is http(s) or mailto (absolute
/// when there is a base), or a <c>data:</c> image of <see cref="SanitizerPolicy.DataImageTypes"/> as an
/// <c>img</c> source; every iframe is one of <see cref="SanitizerPolicy.EmbedPlayers"/> over https; and
/// nothing of an element in <see cref="SanitizerPolicy.DroppedWithContent"/> survives. An attribute
/// the policy keeps but this path has no rule for sends the fragment to the full sanitizer.
/// </para>
/// <para>
/// Files by job: this one the pass over the input; <c>.Tokenizer</c> tags, attributes, comments,
/// raw text and references; <c>.TreeRules</c> the open elements and what each tag closes or reopens;
/// <c>.Attributes</c> the policy applied to attributes and URLs; <c>.Foreign</c> inline MathML and SVG. No per-thread state: the one cache
/// (the last base's authority) is an immutable pair shared by all threads.
/// </para>
/// </remarks>
internal static partial class FastSanitizer
{
    private const int MaxDepth = 64;
    private const int MaxAttributes = 32;
    private const int MaxNameLength = 32;

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
            // Foreign content (inline SVG, MathML), kept through its own allowlists.
            return ReadForeign(html, ref i, j, tagName is "svg", attributes, selfClosed, ref output, ref open);
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
}
