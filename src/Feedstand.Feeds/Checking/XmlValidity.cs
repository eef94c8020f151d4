using System.Text;
using System.Xml;

namespace Feedstand.Feeds.Checking;

/// <summary>
/// The validity section for XML feeds: one streaming pass over the document that knows, for RSS 2.0,
/// RSS 1.0/1.1 and Atom (and the common extensions), which element may appear where, how often, and
/// what its value must look like. It reports with the W3C Feed Validator's class names, the element,
/// its parent and the line, and keeps going after a problem (only a well-formedness error stops it).
/// </summary>
internal sealed partial class XmlValidity
{
    private readonly List<Finding> _findings;
    private readonly DateTimeOffset _now;
    private readonly Stack<Frame> _frames = new();
    private readonly HashSet<string> _entryIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private IXmlLineInfo? _lineInfo;
    private bool _hasSelf;
    private string? _format;

    private XmlValidity(List<Finding> findings, DateTimeOffset now)
    {
        _findings = findings;
        _now = now;
    }

    /// <summary>Checks <paramref name="text"/> (already decoded); returns the feed format found ("rss", "atom", "rdf", "rss11") or null.</summary>
    public static string? Check(string text, List<Finding> findings, DateTimeOffset now)
    {
        var pass = new XmlValidity(findings, now);
        pass.Run(text);
        return pass._format;
    }

    private int Line => _lineInfo?.LineNumber ?? 0;

    private void Report(string id, string? element, string? parent, string? detail = null, int? line = null)
    {
        _findings.Add(FindingCatalog.Make(id, element, parent, line ?? Line, detail));
    }

    private void ReportOnce(string id, string? element, string? parent, string? detail = null)
    {
        if (_reported.Add(id + "|" + element + "|" + parent))
        {
            Report(id, element, parent, detail);
        }
    }

    private void Run(string text)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = 1 << 20,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CheckCharacters = true,
        };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        _lineInfo = reader as IXmlLineInfo;
        try
        {
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var isEmpty = reader.IsEmptyElement;
                        StartElement(reader);
                        if (isEmpty)
                        {
                            EndElement();
                        }
                        break;
                    case XmlNodeType.EndElement:
                        EndElement();
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.Whitespace:
                    case XmlNodeType.SignificantWhitespace:
                        if (_frames.TryPeek(out var top))
                        {
                            top.Text.Append(reader.Value);
                        }
                        break;
                    case XmlNodeType.CDATA:
                        if (_frames.TryPeek(out var cdataTop))
                        {
                            cdataTop.Text.Append(reader.Value);
                            cdataTop.HasCData = true;
                        }
                        break;
                    default:
                        break;
                }
            }
        }
        catch (XmlException ex)
        {
            Report("SAXError", null, null, ex.Message, ex.LineNumber);
        }
    }

    private void StartElement(XmlReader reader)
    {
        var ns = reader.NamespaceURI;
        var local = reader.LocalName;
        var attributes = ReadAttributes(reader);
        var parent = _frames.Count > 0 ? _frames.Peek() : null;
        var name = IsAtom(ns) && _format is not (null or "atom") ? "atom:" + local : QualifiedName(ns, local, reader.Prefix);
        var frame = new Frame(name, local, ns, Line, attributes);

        if (parent is null)
        {
            frame.Kind = RootKind(ns, local, attributes, name);
        }
        else
        {
            parent.ChildElements++;
            frame.Kind = ChildKind(parent, frame);
            if (parent.Single.Contains(name) && !parent.Counts.TryAdd(name, 1))
            {
                Report("DuplicateElement", name, parent.Name);
            }
            else if (!parent.Counts.TryAdd(name, 1))
            {
                parent.Counts[name]++;
            }
        }

        frame.Single = SinglesOf(frame.Kind);
        CheckAttributes(frame, parent);
        _frames.Push(frame);
    }

    private void EndElement()
    {
        var frame = _frames.Pop();
        var parent = _frames.Count > 0 ? _frames.Peek() : null;
        CheckValue(frame, parent);
        CheckRequired(frame);
    }

    private static Dictionary<string, string> ReadAttributes(XmlReader reader)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.Prefix == "xmlns" || reader.LocalName == "xmlns" && reader.Prefix.Length == 0)
                {
                    continue;
                }
                attributes[QualifiedName(reader.NamespaceURI, reader.LocalName, reader.Prefix)] = reader.Value;
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        return attributes;
    }

    /// <summary>A name as the validator prints it: the usual prefix of a known namespace, else the local name.</summary>
    private static string QualifiedName(string ns, string local, string prefix)
    {
        if (ns.Length == 0)
        {
            return local;
        }
        if (Ns.Prefixes.TryGetValue(ns, out var known))
        {
            return known.Length == 0 ? local : known + ":" + local;
        }
        return prefix.Length == 0 ? local : prefix + ":" + local;
    }

    private Kind RootKind(string ns, string local, Dictionary<string, string> attributes, string name)
    {
        switch (ns, local)
        {
            case ("", "rss"):
                _format = "rss";
                if (attributes.TryGetValue("version", out var version) && version.Trim() is not ("2.0" or "0.91" or "0.92" or "0.93" or "0.94" or "2.0.1" or "2.0.10" or "2.0.11"))
                {
                    Report("InvalidRSSVersion", "rss", "root", version);
                }
                return Kind.Rss;
            case (Ns.Rdf, "RDF"):
                _format = "rdf";
                return Kind.Rdf;
            case (Ns.Atom, "feed"):
                _format = "atom";
                return Kind.AtomFeed;
            case (Ns.Atom, "entry"):
                _format = "atom";
                return Kind.AtomEntry;
            case (Ns.Atom03, "feed"):
                _format = "atom";
                Report("ObsoleteNamespace", "feed", "root", Ns.Atom03);
                return Kind.AtomFeed;
            case (Ns.Atom03, "entry"):
                _format = "atom";
                Report("ObsoleteNamespace", "entry", "root", Ns.Atom03);
                return Kind.AtomEntry;
            case (Ns.Rss11, "Channel"):
                _format = "rss11";
                return Kind.Rss1Channel;
            default:
                Report("UndefinedElement", name, "root", "this is not a feed's root element");
                return Kind.Unknown;
        }
    }

    private sealed class Frame(string name, string local, string ns, int line, Dictionary<string, string> attributes)
    {
        public string Name { get; } = name;
        public string Local { get; } = local;
        public string Ns { get; } = ns;
        public int Line { get; } = line;
        public Dictionary<string, string> Attributes { get; } = attributes;
        public Kind Kind { get; set; }
        public Value Value { get; set; }
        public StringBuilder Text { get; } = new();
        public bool HasCData { get; set; }
        public int ChildElements { get; set; }
        public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);
        public IReadOnlySet<string> Single { get; set; } = EmptySet;
        public HashSet<string>? AlternateLinks { get; set; }
        public bool NeedsSummary { get; set; }
        public bool HasGuid { get; set; }

        public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
    }

    private static readonly HashSet<string> EmptySet = [];
}
