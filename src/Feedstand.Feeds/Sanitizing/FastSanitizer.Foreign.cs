using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// Inline MathML and SVG on the fast path: the island from &lt;math&gt; or &lt;svg&gt; to its end
/// tag, written through the policy's foreign allowlists exactly as the full path writes it.
/// </summary>
/// <remarks>
/// Foreign content has tree-building rules of its own; this follows only the plain shape of
/// generated formulas and drawings: every element in <see cref="SanitizerPolicy.MathElements"/> or
/// <see cref="SanitizerPolicy.SvgElements"/> (names case-adjusted as the tree builder does for SVG),
/// self-closing tags honoured, each end tag closing the current element, comments dropped. Anything
/// else gives the fragment to the full path: an element outside the lists (the full path removes it
/// with its content; script, style, foreignObject, a, use, image...), a start tag inside a text
/// integration point (mi, mo, mn, ms, mtext, desc — the tree builder reads it as HTML), an end tag
/// that does not close the current element (HTML breaking out), CDATA, a URL attribute, the island
/// directly in a table. One formula-heavy corpus post (half a megabyte of MathML in tables) took
/// longer on the full path than the rest of the corpus together.
/// </remarks>
internal static partial class FastSanitizer
{
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> MathElementLookup =
        SanitizerPolicy.MathElements.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>SVG element names by their lowercase spelling (the tokenizer's), to the tree builder's adjusted one.</summary>
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SvgElementLookup =
        SanitizerPolicy.SvgElements.ToFrozenDictionary(name => name.ToLowerInvariant(), name => name, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Attributes kept on foreign elements (the HTML ones and the foreign presentation ones), by
    /// lowercase name: the name written on MathML elements, and the adjusted one written on SVG.
    /// </summary>
    private static readonly FrozenDictionary<string, (string Lower, string Svg)>.AlternateLookup<ReadOnlySpan<char>> ForeignAttributeLookup =
        SanitizerPolicy.AllowedAttributes.Concat(SanitizerPolicy.ForeignAttributes)
            .DistinctBy(name => name.ToLowerInvariant())
            .ToFrozenDictionary(name => name.ToLowerInvariant(), name => (name.ToLowerInvariant(), name), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Reads a foreign island whose start tag ends at <paramref name="j"/>; on success
    /// <paramref name="i"/> is past its end tag (or the end of the fragment, where the tree builder
    /// closes it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadForeign(string html, ref int i, int j, bool svg, scoped ReadOnlySpan<AttributeToken> attributes, bool selfClosed,
        ref ValueStringBuilder output, ref OpenElements open)
    {
        // Depth checked after reopening formatting elements, which may fill the stack.
        if (open.IsInTableBody || !Reconstruct(ref output, ref open) || open.Depth == MaxDepth)
        {
            return false;
        }
        var root = svg ? "svg" : "math";
        if (!AppendForeignStartTag(html, root, svg, attributes, ref output))
        {
            return false;
        }
        if (selfClosed)
        {
            AppendEndTag(root, ref output);
            i = j;
            return true;
        }

        // The island's open elements sit in the unused top of the HTML stack's name slots.
        var bottom = open.Depth;
        var depth = bottom;
        open.Names[depth++] = root;
        var k = j;
        Span<char> lower = stackalloc char[MaxNameLength];
        while (depth > bottom)
        {
            if (k >= html.Length)
            {
                while (depth > bottom)
                {
                    AppendEndTag(open.Names[--depth], ref output);
                }
                break;
            }
            switch (html[k])
            {
                case '<':
                    var next = k + 1 < html.Length ? html[k + 1] : '\0';
                    if (next == '/')
                    {
                        var endStart = k + 2;
                        var endEnd = ReadTagName(html, endStart);
                        if (endEnd < 0 || endEnd - endStart > MaxNameLength)
                        {
                            return false;
                        }
                        var current = open.Names[depth - 1];
                        if (!html.AsSpan(endStart, endEnd - endStart).Equals(current, StringComparison.OrdinalIgnoreCase))
                        {
                            return false; // closes something else: the tree builder may break out into HTML
                        }
                        var close = endEnd;
                        while (close < html.Length && IsSpace(html[close]))
                        {
                            close++;
                        }
                        if (close >= html.Length || html[close] != '>')
                        {
                            return false;
                        }
                        AppendEndTag(current, ref output);
                        depth--;
                        k = close + 1;
                    }
                    else if (next == '!')
                    {
                        if (!html.AsSpan(k).StartsWith("<!--", StringComparison.Ordinal) || !SkipDeclaration(html, ref k))
                        {
                            return false; // CDATA is text in foreign content; the rest is left to the full path
                        }
                    }
                    else if (char.IsAsciiLetter(next))
                    {
                        if (IsTextIntegrationPoint(open.Names[depth - 1]))
                        {
                            return false; // HTML inside mi/mo/mn/ms/mtext/desc
                        }
                        var nameStart = k + 1;
                        var nameEnd = ReadTagName(html, nameStart);
                        if (nameEnd < 0 || nameEnd - nameStart > MaxNameLength)
                        {
                            return false;
                        }
                        var name = lower[..html.AsSpan(nameStart, nameEnd - nameStart).ToLowerInvariant(lower)];
                        string? element;
                        if (svg)
                        {
                            SvgElementLookup.TryGetValue(name, out element);
                        }
                        else
                        {
                            MathElementLookup.TryGetValue(name, out element);
                        }
                        if (element is null)
                        {
                            return false;
                        }
                        var after = nameEnd;
                        if (!ReadAttributes(html, ref after, open.Attributes, out var count, out var selfClosing)
                            || !AppendForeignStartTag(html, element, svg, open.Attributes[..count], ref output))
                        {
                            return false;
                        }
                        k = after;
                        if (selfClosing)
                        {
                            AppendEndTag(element, ref output);
                        }
                        else if (depth == MaxDepth)
                        {
                            return false;
                        }
                        else
                        {
                            open.Names[depth++] = element;
                        }
                    }
                    else
                    {
                        output.Append("&lt;"); // "a < b": text
                        k++;
                    }
                    break;
                case '&':
                    if (!AppendReference(html, ref k, ref output))
                    {
                        return false;
                    }
                    break;
                case '>':
                    output.Append("&gt;");
                    k++;
                    break;
                case '\u00A0':
                    output.Append("&nbsp;");
                    k++;
                    break;
                default:
                    var end = html.AsSpan(k).IndexOfAny("<&>\u00A0");
                    var run = end < 0 ? html.Length - k : end;
                    output.Append(html.AsSpan(k, run));
                    k += run;
                    break;
            }
        }
        i = k;
        return true;
    }

    /// <summary>Elements whose content the tree builder reads as HTML (MathML text integration points, SVG's desc).</summary>
    private static bool IsTextIntegrationPoint(string name) => name is "mi" or "mo" or "mn" or "ms" or "mtext" or "desc";

    /// <summary>The start tag with the allowed attributes, in source order, the first of duplicates; false on a URL attribute.</summary>
    private static bool AppendForeignStartTag(string html, string element, bool svg, scoped ReadOnlySpan<AttributeToken> attributes, ref ValueStringBuilder output)
    {
        output.Append('<');
        output.Append(element);
        Span<char> lower = stackalloc char[MaxNameLength];
        for (var a = 0; a < attributes.Length; a++)
        {
            var token = attributes[a];
            var rawName = html.AsSpan(token.NameStart, token.NameLength);
            if (rawName.Length > lower.Length)
            {
                continue; // longer than any kept name: dropped
            }
            var name = lower[..rawName.ToLowerInvariant(lower)];
            if (!ForeignAttributeLookup.TryGetValue(name, out var kept))
            {
                continue;
            }
            if (kept.Lower is "href" or "src" or "cite" or "poster" or "srcset")
            {
                return false; // a URL on a formula or drawing: the full path's URL rules
            }
            if (IsDuplicate(html, attributes, a, name))
            {
                continue;
            }
            output.Append(' ');
            output.Append(svg ? kept.Svg : kept.Lower);
            output.Append("=\"");
            AppendAttributeValue(AttributeValue(html, token), ref output);
            output.Append('"');
        }
        output.Append('>');
        return true;
    }

    private static void AppendEndTag(string element, ref ValueStringBuilder output)
    {
        output.Append("</");
        output.Append(element);
        output.Append('>');
    }
}
