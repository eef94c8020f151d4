using System.Text;
using System.Xml;

namespace Feedstand.Feeds.Xml;

/// <summary>
/// A forward-only cursor over a feed document: an <see cref="XmlReader"/> with the few things
/// feed parsers need on top — namespace classes, case-insensitive names, the xml:base in scope,
/// and element content read as text or as markup.
/// </summary>
/// <remarks>
/// Invariant shared by every parser: a handler is called on a start element and leaves the
/// reader on that element's last node (its end element, or itself when empty);
/// <see cref="NextChild"/> then moves on.
/// </remarks>
internal sealed class FeedXmlReader : IDisposable
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CheckCharacters = true,
        MaxCharactersFromEntities = 1 << 20,
        CloseInput = true,
    };

    private readonly XmlReader _reader;
    private readonly Dictionary<object, Ns> _namespaces = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, string> _lowerNames = new(ReferenceEqualityComparer.Instance);
    private readonly List<(int Depth, Uri Base)> _bases = [];
    private readonly Uri? _documentBase;
    private readonly string _xmlNamespace;
    private readonly string _baseName;
    private StringBuilder? _builder;

    /// <param name="expandDeclaredEntities">
    /// Reads the internal DTD subset so entities it declares expand as XML says they do. Safe: no
    /// resolver (nothing external is ever read) and <see cref="XmlReaderSettings.MaxCharactersFromEntities"/>
    /// bounds the expansion (a "billion laughs" document fails and goes to the repair path, which refuses it).
    /// </param>
    public FeedXmlReader(TextReader text, Uri? documentBase, bool expandDeclaredEntities = false)
    {
        var settings = Settings.Clone();
        if (expandDeclaredEntities)
        {
            settings.DtdProcessing = DtdProcessing.Parse;
            settings.ValidationType = ValidationType.None;
        }
        settings.NameTable = new NameTable();
        _xmlNamespace = settings.NameTable.Add(Namespaces.XmlUri);
        _baseName = settings.NameTable.Add("base");
        _reader = XmlReader.Create(text, settings);
        _documentBase = documentBase;
    }

    public XmlReader Raw => _reader;

    /// <summary>The URL relative references resolve against here: the xml:base in scope, else the document's.</summary>
    public Uri? Base => _bases.Count > 0 ? _bases[^1].Base : _documentBase;

    /// <summary>Whether an xml:base is in scope (it then wins over an entry's link for its HTML).</summary>
    public bool HasExplicitBase => _bases.Count > 0;

    public int Depth => _reader.Depth;

    public bool IsEmpty => _reader.IsEmptyElement;

    /// <summary>The vocabulary of the current element.</summary>
    public Ns Namespace
    {
        get
        {
            var uri = _reader.NamespaceURI;
            if (uri.Length == 0)
            {
                return Ns.None;
            }
            if (!_namespaces.TryGetValue(uri, out var ns))
            {
                ns = Namespaces.Classify(uri);
                _namespaces[uri] = ns;
            }
            return ns;
        }
    }

    /// <summary>The local name in lower case (feeds write &lt;Title&gt; and &lt;pubdate&gt; too).</summary>
    public string Name
    {
        get
        {
            var name = _reader.LocalName;
            if (!_lowerNames.TryGetValue(name, out var lower))
            {
                lower = name.ToLowerInvariant();
                _lowerNames[name] = lower;
                if ((object)lower != name && MixedCaseName is null && !IsStandardCamelCase(name)
                    && (_reader.NamespaceURI.Length == 0 || Namespace is Ns.Atom10 or Ns.Atom03 or Ns.Rss10))
                {
                    MixedCaseName = name;
                }
            }
            return lower;
        }
    }

    public string Prefix => _reader.Prefix;

    /// <summary>The first RSS or Atom element name written in a case its format does not use (&lt;Title&gt;), if any.</summary>
    public string? MixedCaseName { get; private set; }

    private static bool IsStandardCamelCase(string name) => name is "pubDate" or "lastBuildDate" or "managingEditor" or "webMaster"
        or "textInput" or "skipHours" or "skipDays" or "isPermaLink" or "RDF" or "Seq" or "Bag" or "Alt" or "rssVersion";

    /// <summary>Deeper nesting than this is refused: no feed needs it, and hostile documents use it to exhaust parsers.</summary>
    public const int MaxDepth = 512;

    /// <summary>Reads what follows the feed element to the end, so junk after it is noticed.</summary>
    public bool HasJunkAfterFeed()
    {
        try
        {
            while (_reader.Read())
            {
                if (_reader.NodeType is XmlNodeType.Element or XmlNodeType.Text or XmlNodeType.CDATA)
                {
                    return true;
                }
            }
            return false;
        }
        catch (XmlException)
        {
            return true;
        }
    }

    /// <summary>Moves to the next element anywhere after the current node: the root first, then (to find a feed nested in a page) the ones after it.</summary>
    public bool MoveToNextElement()
    {
        while (_reader.Read())
        {
            if (_reader.NodeType == XmlNodeType.Element)
            {
                EnterElement();
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Moves to the next child element of the element at <paramref name="parentDepth"/>;
    /// false once that element ends.
    /// </summary>
    public bool NextChild(int parentDepth)
    {
        if (_reader.Depth == parentDepth && _reader.NodeType == XmlNodeType.Element && _reader.IsEmptyElement)
        {
            return false;
        }
        while (_reader.Read())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    ThrowIfTooDeep();
                    if (_reader.Depth == parentDepth + 1)
                    {
                        EnterElement();
                        return true;
                    }
                    break;
                case XmlNodeType.EndElement:
                    if (_reader.Depth <= parentDepth)
                    {
                        return false;
                    }
                    break;
            }
        }
        return false;
    }

    private void ThrowIfTooDeep()
    {
        if (_reader.Depth > MaxDepth)
        {
            throw new FeedParseException($"not a feed: elements nest more than {MaxDepth} levels deep (line {((IXmlLineInfo)_reader).LineNumber})");
        }
    }

    /// <summary>Consumes the current element and everything in it.</summary>
    public void Skip()
    {
        if (_reader.NodeType != XmlNodeType.Element || _reader.IsEmptyElement)
        {
            return;
        }
        var depth = _reader.Depth;
        while (_reader.Read())
        {
            if (_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == depth)
            {
                return;
            }
        }
    }

    public string? Attribute(string localName) => _reader.HasAttributes ? _reader.GetAttribute(localName) : null;

    public string? Attribute(string localName, string namespaceUri) =>
        _reader.HasAttributes ? _reader.GetAttribute(localName, namespaceUri) : null;

    /// <summary>An attribute by local name in any namespace or none, ignoring case (rdf:resource, url, URL, href).</summary>
    public string? AnyAttribute(string localName)
    {
        if (!_reader.HasAttributes)
        {
            return null;
        }
        string? found = null;
        while (_reader.MoveToNextAttribute())
        {
            if (string.Equals(_reader.LocalName, localName, StringComparison.OrdinalIgnoreCase))
            {
                found = _reader.Value;
                break;
            }
        }
        _reader.MoveToElement();
        return found;
    }

    /// <summary>The text content of the current element: text, CDATA, or the child markup when it has children (unescaped HTML).</summary>
    public string ReadText() => ReadContent(markup: false);

    /// <summary>The content of the current element as markup (Atom xhtml, inline XHTML in RSS).</summary>
    public string ReadMarkup() => ReadContent(markup: true);

    /// <summary>The inner markup of the first child element (the &lt;div&gt; wrapper of Atom xhtml content).</summary>
    public string ReadXhtml()
    {
        if (_reader.IsEmptyElement)
        {
            return "";
        }
        var depth = _reader.Depth;
        // Normally one <div> wrapper whose inner markup is the content; anything else is kept whole.
        string? wrapperContent = null;
        StringBuilder? mixed = null;
        while (_reader.Read())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element when _reader.Depth == depth + 1:
                    if (wrapperContent is null && mixed is null && _reader.LocalName.Equals("div", StringComparison.OrdinalIgnoreCase))
                    {
                        wrapperContent = ReadContent(markup: true);
                    }
                    else
                    {
                        mixed = StartMixed(mixed, ref wrapperContent).Append(WrapCurrentElement());
                    }
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA when _reader.Depth == depth + 1:
                    mixed = StartMixed(mixed, ref wrapperContent).Append(Escape(_reader.Value));
                    break;
                case XmlNodeType.EndElement when _reader.Depth == depth:
                    return mixed?.ToString() ?? wrapperContent ?? "";
            }
        }
        return mixed?.ToString() ?? wrapperContent ?? "";
    }

    /// <summary>Switches to keeping every child: what the first &lt;div&gt; held comes first.</summary>
    private static StringBuilder StartMixed(StringBuilder? mixed, ref string? wrapperContent)
    {
        if (mixed is not null)
        {
            return mixed;
        }
        mixed = new StringBuilder(wrapperContent);
        wrapperContent = null;
        return mixed;
    }

    private string WrapCurrentElement()
    {
        var builder = new StringBuilder();
        AppendStartTag(builder);
        if (!_reader.IsEmptyElement)
        {
            builder.Append(ReadContent(markup: true));
            builder.Append("</").Append(_reader.LocalName).Append('>');
        }
        return builder.ToString();
    }

    private string ReadContent(bool markup)
    {
        if (_reader.IsEmptyElement)
        {
            return "";
        }
        var depth = _reader.Depth;
        if (!_reader.Read())
        {
            return "";
        }
        // Fast path: one text node then the end tag.
        if (_reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
        {
            var isCData = _reader.NodeType == XmlNodeType.CDATA;
            var first = _reader.Value;
            if (!_reader.Read())
            {
                return first;
            }
            if (_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == depth)
            {
                return markup && !isCData ? Escape(first) : first;
            }
            var builder = Builder();
            // The first text belongs to the content too (Atom 0.3 mode="xml", naked markup in RSS):
            // it is raw text here, escaped below if markup follows.
            if (markup && !isCData)
            {
                AppendEscaped(builder, first);
            }
            else
            {
                builder.Append(first);
            }
            return ReadMixed(builder, 0, depth, markup);
        }
        if (_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == depth)
        {
            return "";
        }
        return ReadMixed(Builder(), 0, depth, markup);
    }

    /// <summary>Continues reading content from the current node to the end tag at <paramref name="depth"/>.</summary>
    private string ReadMixed(StringBuilder builder, int start, int depth, bool markup)
    {
        do
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (markup)
                    {
                        AppendEscaped(builder, _reader.Value);
                    }
                    else
                    {
                        builder.Append(_reader.Value);
                    }
                    break;
                case XmlNodeType.CDATA:
                    builder.Append(_reader.Value);
                    break;
                case XmlNodeType.Element:
                    ThrowIfTooDeep();
                    if (!markup)
                    {
                        // Child elements inside text content: unescaped HTML. What was read so far was text.
                        var text = builder.ToString(start, builder.Length - start);
                        builder.Length = start;
                        AppendEscaped(builder, text);
                        markup = true;
                    }
                    AppendStartTag(builder);
                    break;
                case XmlNodeType.EndElement:
                    if (_reader.Depth == depth)
                    {
                        var result = builder.ToString(start, builder.Length - start);
                        builder.Length = start;
                        return result;
                    }
                    builder.Append("</").Append(_reader.LocalName).Append('>');
                    break;
            }
        }
        while (_reader.Read());
        var rest = builder.ToString(start, builder.Length - start);
        builder.Length = start;
        return rest;
    }

    private void AppendStartTag(StringBuilder builder)
    {
        builder.Append('<').Append(_reader.LocalName);
        if (_reader.HasAttributes)
        {
            while (_reader.MoveToNextAttribute())
            {
                if (_reader.Prefix == "xmlns" || (_reader.Prefix.Length == 0 && _reader.LocalName == "xmlns"))
                {
                    continue;
                }
                builder.Append(' ').Append(_reader.LocalName).Append("=\"");
                AppendEscaped(builder, _reader.Value);
                builder.Append('"');
            }
            _reader.MoveToElement();
        }
        builder.Append(_reader.IsEmptyElement ? " />" : ">");
    }

    private StringBuilder Builder()
    {
        _builder ??= new StringBuilder(1024);
        _builder.Clear();
        return _builder;
    }

    private static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('<', '&', '>') < 0 && !text.Contains('"', StringComparison.Ordinal))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length + 16);
        AppendEscaped(builder, text);
        return builder.ToString();
    }

    private static void AppendEscaped(StringBuilder builder, string text)
    {
        var span = text.AsSpan();
        while (true)
        {
            var at = span.IndexOfAny("<>&\"");
            if (at < 0)
            {
                builder.Append(span);
                return;
            }
            builder.Append(span[..at]);
            builder.Append(span[at] switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                _ => "&quot;",
            });
            span = span[(at + 1)..];
        }
    }

    /// <summary>Updates the xml:base stack for the element the reader has just reached.</summary>
    private void EnterElement()
    {
        var depth = _reader.Depth;
        while (_bases.Count > 0 && _bases[^1].Depth >= depth)
        {
            _bases.RemoveAt(_bases.Count - 1);
        }
        if (!_reader.HasAttributes)
        {
            return;
        }
        string? value = null;
        while (_reader.MoveToNextAttribute())
        {
            // Names are atomized in the reader's name table: compare references, no hashing.
            if ((object)_reader.LocalName == _baseName && (object)_reader.NamespaceURI == _xmlNamespace)
            {
                value = _reader.Value;
                break;
            }
        }
        _reader.MoveToElement();
        if (value is null)
        {
            return;
        }
        var resolved = Urls.UrlResolver.ResolveUri(Base, value);
        // Only a web URL is a base: xml:base="javascript:..." must not lend its scheme to relative links.
        if (resolved is { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            _bases.Add((depth, resolved));
        }
    }

    public void Dispose() => _reader.Dispose();
}
