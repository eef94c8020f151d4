using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Feedstand.Translation;

/// <summary>
/// A sanitized HTML fragment split into blocks for translation. A block is the content of a
/// leaf block element (a paragraph, heading, list item, table cell…) or a run of inline content
/// between blocks. What is sent of a block has no attributes at all, and code, <c>pre</c>,
/// images, media, URLs and numbers are replaced by empty <c>&lt;x-k&gt;</c> placeholders, so they
/// are never sent. A reply is accepted only when its elements have exactly the shape of what was
/// sent (same names, same nesting, same order); the translated block is then rebuilt from the
/// source: every element a clone of its source element with the source's attributes, every
/// placeholder the source node itself, only text nodes from the reply.
/// </summary>
public sealed partial class BlockDocument
{
    /// <summary>The placeholder element: empty, no attributes; its position in the reply is all that counts.</summary>
    public const string Placeholder = "x-k";

    private static readonly FrozenSet<string> BlockElements = FrozenSet.Create(
        StringComparer.Ordinal,
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul", "menu");

    /// <summary>Block elements whose content is never sent.</summary>
    private static readonly FrozenSet<string> KeptBlocks = FrozenSet.Create(StringComparer.Ordinal, "pre", "hr");

    /// <summary>Inline elements kept whole: their content (code, media) is never sent.</summary>
    private static readonly FrozenSet<string> KeptInline = FrozenSet.Create(
        StringComparer.Ordinal,
        "code", "kbd", "samp", "var", "tt", "img", "br", "wbr", "picture", "video", "audio", "iframe", "object", "embed",
        "svg", "math", "script", "style", "textarea", "source", "track", "canvas", "input", "select", "button");

    /// <summary>Elements whose text is part of the structure: a translation must keep it to the character.</summary>
    private static readonly FrozenSet<string> LiteralTextElements = FrozenSet.Create(
        StringComparer.Ordinal, "pre", "code", "kbd", "samp", "var", "tt", "script", "style", "textarea");

    private readonly IDocument _document;
    private readonly IElement _root;
    private readonly List<SourceBlock> _blocks = [];

    private BlockDocument(IDocument document, IElement root)
    {
        _document = document;
        _root = root;
    }

    public IReadOnlyList<SourceBlock> Blocks => _blocks;

    /// <summary>Splits a sanitized HTML fragment.</summary>
    public static BlockDocument Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var document = NewDocument();
        var root = document.Body!;
        root.InnerHtml = html;
        var split = new BlockDocument(document, root);
        split.Visit(root);
        return split;
    }

    /// <summary>Plain text (a title) as one block.</summary>
    public static BlockDocument FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var document = NewDocument();
        var root = document.Body!;
        root.AppendChild(document.CreateTextNode(text));
        var split = new BlockDocument(document, root);
        split.AddBlock([.. root.ChildNodes]);
        return split;
    }

    /// <summary>The fragment as HTML, with whatever blocks were applied.</summary>
    public string ToHtml() => _root.InnerHtml;

    /// <summary>The fragment as text (titles).</summary>
    public string ToText() => _root.TextContent;

    /// <summary>True when <paramref name="reply"/> has exactly the element shape of what was sent of <paramref name="block"/>.</summary>
    public bool Accepts(SourceBlock block, string reply)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(reply);
        var parsed = ParseReply(reply);
        return ShapeOf(parsed) == block.Shape && HasWords(parsed.TextContent);
    }

    /// <summary>
    /// Replaces the block's source nodes with the translation <paramref name="reply"/>; false (and
    /// nothing changed) when the reply's shape differs from what was sent.
    /// </summary>
    public bool Apply(SourceBlock block, string reply)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(reply);
        var parsed = ParseReply(reply);
        if (ShapeOf(parsed) != block.Shape)
        {
            return false;
        }
        var rebuilt = _document.CreateDocumentFragment();
        var slot = 0;
        Rebuild(parsed, rebuilt, block.Slots, ref slot);
        var first = block.Nodes[0];
        first.Parent!.InsertBefore(rebuilt, first);
        foreach (var node in block.Nodes)
        {
            node.Parent?.RemoveChild(node);
        }
        return true;
    }

    /// <summary>
    /// The structure of a fragment as one string: every element with its attributes in order,
    /// and the text of code and <c>pre</c>. Two fragments that differ only in their prose have the
    /// same structure; a translation whose structure differs from its source's lost, added or
    /// moved something.
    /// </summary>
    public static string StructureOf(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }
        var document = NewDocument();
        document.Body!.InnerHtml = html;
        var builder = new StringBuilder(html.Length / 4);
        AppendStructure(document.Body, builder, literal: false);
        return builder.ToString();
    }

    private static void AppendStructure(INode parent, StringBuilder builder, bool literal)
    {
        foreach (var node in parent.ChildNodes)
        {
            if (node is IElement element)
            {
                builder.Append('<').Append(element.LocalName);
                foreach (var attribute in element.Attributes)
                {
                    builder.Append(' ').Append(attribute.Name).Append("=\"").Append(attribute.Value).Append('"');
                }
                builder.Append('>');
                AppendStructure(element, builder, literal || LiteralTextElements.Contains(element.LocalName));
                builder.Append("</").Append(element.LocalName).Append('>');
            }
            else if (literal && node is IText text)
            {
                builder.Append(text.Data);
            }
        }
    }

    private static IDocument NewDocument() =>
        new HtmlParser().ParseDocument("<!DOCTYPE html><html><head></head><body></body></html>");

    private IElement ParseReply(string reply)
    {
        var container = _document.CreateElement("div");
        container.InnerHtml = reply;
        return container;
    }

    private void Visit(IElement container)
    {
        List<INode> run = [];
        foreach (var node in container.ChildNodes.ToArray())
        {
            if (node is IElement element && BlockElements.Contains(element.LocalName))
            {
                AddBlock(run);
                run = [];
                if (KeptBlocks.Contains(element.LocalName))
                {
                    continue;
                }
                if (HasBlockChild(element))
                {
                    Visit(element);
                }
                else
                {
                    AddBlock([.. element.ChildNodes]);
                }
            }
            else if (node is IElement or IText)
            {
                run.Add(node);
            }
        }
        AddBlock(run);
    }

    private static bool HasBlockChild(IElement element)
    {
        foreach (var child in element.Children)
        {
            if (BlockElements.Contains(child.LocalName))
            {
                return true;
            }
        }
        return false;
    }

    private void AddBlock(List<INode> nodes)
    {
        if (nodes.Count == 0)
        {
            return;
        }
        var sent = new StringBuilder();
        var slots = new List<Slot>();
        foreach (var node in nodes)
        {
            Emit(node, sent, slots);
        }
        var sentHtml = sent.ToString();
        var shapeRoot = ParseReply(sentHtml);
        // Nothing but placeholders and spaces: nothing to translate.
        if (!HasWords(shapeRoot.TextContent))
        {
            return;
        }
        _blocks.Add(new SourceBlock(nodes, slots, sentHtml, ShapeOf(shapeRoot)));
    }

    private static bool HasWords(string text)
    {
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }
        return false;
    }

    private static void Emit(INode node, StringBuilder sent, List<Slot> slots)
    {
        switch (node)
        {
            case IText text:
                EmitText(text.Data, sent, slots);
                break;
            case IElement element when KeptInline.Contains(element.LocalName) || BlockElements.Contains(element.LocalName):
                sent.Append('<').Append(Placeholder).Append("></").Append(Placeholder).Append('>');
                slots.Add(new Slot(SlotKind.Keep, element, null));
                break;
            case IElement element:
                sent.Append('<').Append(element.LocalName).Append('>');
                slots.Add(new Slot(SlotKind.Element, element, null));
                foreach (var child in element.ChildNodes)
                {
                    Emit(child, sent, slots);
                }
                sent.Append("</").Append(element.LocalName).Append('>');
                break;
            default:
                break; // comments: not sent, and dropped from the translation
        }
    }

    private static void EmitText(string text, StringBuilder sent, List<Slot> slots)
    {
        var last = 0;
        foreach (var match in Unsent().EnumerateMatches(text))
        {
            AppendEscaped(sent, text.AsSpan(last, match.Index - last));
            sent.Append('<').Append(Placeholder).Append("></").Append(Placeholder).Append('>');
            slots.Add(new Slot(SlotKind.Text, null, text.Substring(match.Index, match.Length)));
            last = match.Index + match.Length;
        }
        AppendEscaped(sent, text.AsSpan(last));
    }

    private static void AppendEscaped(StringBuilder sent, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sent.Append("&amp;"),
                '<' => sent.Append("&lt;"),
                '>' => sent.Append("&gt;"),
                '\u00A0' => sent.Append("&nbsp;"),
                _ => sent.Append(c),
            };
        }
    }

    /// <summary>URLs, e-mail addresses and numbers (with their separators): never sent to the engine.</summary>
    [GeneratedRegex(@"(?:https?|ftp)://[^\s<>""']+|www\.[^\s<>""']+|[\w.+-]+@[\w-]+\.[\w.-]+|\d+(?:[.,:/-]\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Unsent();

    private static string ShapeOf(IElement root)
    {
        var builder = new StringBuilder();
        AppendShape(root, builder);
        return builder.ToString();
    }

    private static void AppendShape(INode parent, StringBuilder builder)
    {
        foreach (var node in parent.ChildNodes)
        {
            if (node is IElement element)
            {
                builder.Append(element.LocalName).Append('[');
                AppendShape(element, builder);
                builder.Append(']');
            }
        }
    }

    private void Rebuild(INode reply, INode output, List<Slot> slots, ref int slot)
    {
        foreach (var node in reply.ChildNodes)
        {
            if (node is IText text)
            {
                output.AppendChild(_document.CreateTextNode(text.Data));
            }
            else if (node is IElement)
            {
                var source = slots[slot++];
                switch (source.Kind)
                {
                    case SlotKind.Keep:
                        output.AppendChild(source.Node!.Clone(deep: true));
                        break;
                    case SlotKind.Text:
                        output.AppendChild(_document.CreateTextNode(source.Text!));
                        break;
                    default:
                        var clone = source.Node!.Clone(deep: false);
                        output.AppendChild(clone);
                        Rebuild(node, clone, slots, ref slot);
                        break;
                }
            }
        }
    }

    internal enum SlotKind
    {
        /// <summary>An inline element: cloned with its attributes, its content from the reply.</summary>
        Element,

        /// <summary>Code, an image, media: the source node as it is.</summary>
        Keep,

        /// <summary>A URL or a number in the text.</summary>
        Text,
    }

    internal readonly record struct Slot(SlotKind Kind, INode? Node, string? Text);
}

/// <summary>One block of a <see cref="BlockDocument"/>: what is sent, and what it came from.</summary>
public sealed class SourceBlock
{
    internal SourceBlock(List<INode> nodes, List<BlockDocument.Slot> slots, string sent, string shape)
    {
        Nodes = nodes;
        Slots = slots;
        Sent = sent;
        Shape = shape;
    }

    internal List<INode> Nodes { get; }
    internal List<BlockDocument.Slot> Slots { get; }

    /// <summary>The block as sent to the engine: HTML with no attributes, placeholders for what is never sent.</summary>
    public string Sent { get; }

    /// <summary>The element shape of <see cref="Sent"/>; a reply must have the same.</summary>
    public string Shape { get; }

    /// <summary>The cache key of this block in <paramref name="language"/>: hex SHA-256 of both.</summary>
    public string KeyFor(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var bytes = Encoding.UTF8.GetBytes(language + "\n" + Sent);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
