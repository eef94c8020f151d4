using System.Text;
using AngleSharp.Html;

namespace Feedstand.Feeds.Xml;

/// <summary>
/// Turns a broken XML document into a well-formed one that says what a human reading it
/// would understand, recording each kind of fix: HTML entities, bare '&amp;' and '&lt;', control
/// characters, junk before or after the root element, unclosed or mis-cased tags, undeclared
/// namespace prefixes, unquoted or duplicate attributes. Entity declarations in a DTD are
/// honoured within strict bounds, so entity bombs are refused rather than expanded.
/// </summary>
internal sealed class XmlRepair
{
    /// <summary>No single entity may expand to more than this.</summary>
    private const int MaxEntityExpansion = 100_000;

    /// <summary>All entity references of a document together may add no more than this.</summary>
    private const long MaxTotalExpansion = 10_000_000;

    private static readonly HashSet<string> VoidHtmlElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "img", "hr", "input", "area", "col", "embed", "param", "wbr",
    };

    private readonly string _text;
    private readonly StringBuilder _out;
    private readonly List<string> _fixes = [];
    private readonly List<string> _open = [];
    private readonly HashSet<string> _declaredPrefixes = new(StringComparer.Ordinal) { "xml", "xmlns" };
    private readonly HashSet<string> _usedPrefixes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _declaredEntities = new(StringComparer.Ordinal);
    private long _expanded;
    private int _rootInsertAt = -1;
    private bool _rootClosed;
    private int _pos;

    private XmlRepair(string text)
    {
        _text = text;
        _out = new StringBuilder(text.Length + (text.Length >> 4) + 64);
    }

    /// <summary>The repaired document and the list of fixes made.</summary>
    /// <exception cref="FeedParseException">The document declares an entity bomb, or holds no element at all.</exception>
    public static (string Xml, IReadOnlyList<string> Fixes) Repair(string text)
    {
        var repair = new XmlRepair(text);
        repair.Run();
        return (repair._out.ToString(), repair._fixes);
    }

    private void Fix(string message)
    {
        if (!_fixes.Contains(message))
        {
            _fixes.Add(message);
        }
    }

    private bool InsideRoot => _open.Count > 0;

    private void Run()
    {
        var text = _text;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '<')
            {
                if (!ReadMarkup())
                {
                    break;
                }
                continue;
            }
            if (!InsideRoot)
            {
                // Text outside the root element: whitespace is fine, anything else is junk.
                var next = text.IndexOf('<', _pos);
                var end = next < 0 ? text.Length : next;
                if (!text.AsSpan(_pos, end - _pos).IsWhiteSpace())
                {
                    Fix(_rootClosed ? "Junk after the root element was removed." : "Junk before the root element was removed.");
                }
                _pos = end;
                continue;
            }
            if (c == '&')
            {
                ReadReference(inAttribute: false);
                continue;
            }
            CopyText();
        }

        if (_rootInsertAt < 0)
        {
            throw new FeedParseException("not a feed: the document has no XML element in it");
        }
        if (_open.Count > 0)
        {
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                _out.Append("</").Append(_open[i]).Append('>');
            }
            Fix($"Unclosed element <{_open[0]}> (and what it contained) was closed at the end of the document.");
            _open.Clear();
        }
        DeclareMissingPrefixes();
    }

    /// <summary>Copies plain text up to the next markup or reference, dropping characters XML forbids.</summary>
    private void CopyText()
    {
        var text = _text;
        var start = _pos;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c is '<' or '&')
            {
                break;
            }
            if (c == '>' )
            {
                // Allowed, but "]]>" in text is not.
                if (_pos >= 2 && text[_pos - 1] == ']' && text[_pos - 2] == ']')
                {
                    _out.Append(text, start, _pos - start).Append("&gt;");
                    _pos++;
                    start = _pos;
                    continue;
                }
            }
            else if (!IsXmlChar(text, _pos, out var width))
            {
                _out.Append(text, start, _pos - start);
                Fix("Characters not allowed in XML (control characters) were removed.");
                _pos += width;
                start = _pos;
                continue;
            }
            else if (width == 2)
            {
                _pos++;
            }
            _pos++;
        }
        _out.Append(text, start, _pos - start);
    }

    /// <summary>Handles whatever starts with '&lt;'. False when the rest of the document is to be dropped.</summary>
    private bool ReadMarkup()
    {
        var text = _text;
        var rest = text.AsSpan(_pos);
        if (rest.StartsWith("<!--"))
        {
            var end = text.IndexOf("-->", _pos + 4, StringComparison.Ordinal);
            _pos = end < 0 ? text.Length : end + 3;
            return true;
        }
        if (rest.StartsWith("<![CDATA["))
        {
            var end = text.IndexOf("]]>", _pos + 9, StringComparison.Ordinal);
            var contentEnd = end < 0 ? text.Length : end;
            if (InsideRoot)
            {
                _out.Append("<![CDATA[");
                AppendCleanChars(text.AsSpan(_pos + 9, contentEnd - _pos - 9));
                _out.Append("]]>");
            }
            if (end < 0)
            {
                Fix("An unterminated CDATA section was closed.");
            }
            _pos = end < 0 ? text.Length : end + 3;
            return true;
        }
        if (rest.StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            ReadDoctype();
            return true;
        }
        if (rest.StartsWith("<?"))
        {
            var end = text.IndexOf("?>", _pos + 2, StringComparison.Ordinal);
            if (_pos > 0 && rest.StartsWith("<?xml ", StringComparison.OrdinalIgnoreCase) && !text.AsSpan(0, _pos).IsWhiteSpace())
            {
                Fix("An XML declaration that was not at the start of the document was removed.");
            }
            else if (_pos > 0 && rest.StartsWith("<?xml ", StringComparison.OrdinalIgnoreCase))
            {
                Fix("Whitespace before the XML declaration was removed.");
            }
            _pos = end < 0 ? text.Length : end + 2;
            return true;
        }
        if (rest.StartsWith("<!"))
        {
            // <!ELEMENT ...> or similar declaration outside a DOCTYPE.
            var end = text.IndexOf('>', _pos);
            _pos = end < 0 ? text.Length : end + 1;
            Fix("A stray markup declaration was removed.");
            return true;
        }
        if (rest.Length > 1 && rest[1] == '/')
        {
            return ReadEndTag();
        }
        if (rest.Length > 1 && IsNameStart(rest[1]))
        {
            return ReadStartTag();
        }
        // A '<' that starts no markup.
        if (InsideRoot)
        {
            _out.Append("&lt;");
            Fix("A bare '<' in text was escaped.");
        }
        _pos++;
        return true;
    }

    private bool ReadStartTag()
    {
        var text = _text;
        var nameStart = _pos + 1;
        var nameEnd = nameStart;
        while (nameEnd < text.Length && IsNameChar(text[nameEnd]))
        {
            nameEnd++;
        }
        var name = text[nameStart..nameEnd];
        if (_rootClosed)
        {
            Fix("Junk after the root element was removed.");
            _pos = text.Length;
            return false;
        }
        var isRoot = _rootInsertAt < 0;
        _out.Append('<').Append(name);
        NotePrefix(name);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = nameEnd;
        var selfClosing = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '>')
            {
                i++;
                break;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '>')
            {
                selfClosing = true;
                i += 2;
                break;
            }
            if (c == '<')
            {
                // The tag never closed: end it here.
                Fix($"The tag <{name}> was not closed with '>'.");
                break;
            }
            if (char.IsWhiteSpace(c) || c == '/')
            {
                i++;
                continue;
            }
            i = ReadAttribute(i, name, seen);
        }
        if (i >= text.Length && (text[^1] != '>'))
        {
            Fix($"The tag <{name}> was cut off at the end of the document.");
        }
        _pos = i;

        if (isRoot)
        {
            _rootInsertAt = _out.Length;
        }
        if (!selfClosing && !isRoot && VoidHtmlElements.Contains(name))
        {
            // <br>, <img ...> in unescaped HTML content: close them where they stand.
            selfClosing = true;
        }
        if (selfClosing)
        {
            _out.Append(" />");
            if (isRoot)
            {
                _rootClosed = true;
            }
        }
        else
        {
            _out.Append('>');
            _open.Add(name);
        }
        return true;
    }

    /// <summary>Reads one attribute at <paramref name="i"/>; returns the index after it.</summary>
    private int ReadAttribute(int i, string element, HashSet<string> seen)
    {
        var text = _text;
        var nameStart = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('=' or '>' or '/' or '<' or '"' or '\''))
        {
            i++;
        }
        var name = text[nameStart..i];
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
        string? value = null;
        var valueStart = -1;
        var valueEnd = -1;
        if (i < text.Length && text[i] == '=')
        {
            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i < text.Length && text[i] is '"' or '\'')
            {
                var quote = text[i];
                var close = text.IndexOf(quote, i + 1);
                var tagEnd = text.IndexOf('>', i + 1);
                if (close < 0)
                {
                    close = tagEnd < 0 ? text.Length : tagEnd;
                    Fix($"An attribute value of <{element}> had no closing quote.");
                }
                valueStart = i + 1;
                valueEnd = close;
                i = close < text.Length && text[close] == quote ? close + 1 : close;
            }
            else
            {
                valueStart = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '>' && !(text[i] == '/' && i + 1 < text.Length && text[i + 1] == '>'))
                {
                    i++;
                }
                valueEnd = i;
                Fix($"An attribute value of <{element}> was not quoted.");
            }
        }
        else
        {
            value = name;
            if (name.Length > 0)
            {
                Fix($"An attribute of <{element}> had no value.");
            }
        }

        if (name.Length == 0 || !IsNameStart(name[0]) || !IsValidName(name))
        {
            Fix($"An attribute of <{element}> with an invalid name was removed.");
            return Math.Max(i, nameStart + 1);
        }
        if (!seen.Add(name))
        {
            Fix($"A duplicate attribute \"{name}\" of <{element}> was removed.");
            return i;
        }
        if (name.StartsWith("xmlns:", StringComparison.Ordinal))
        {
            _declaredPrefixes.Add(name[6..]);
        }
        else
        {
            NotePrefix(name);
        }

        _out.Append(' ').Append(name).Append("=\"");
        if (value is not null)
        {
            AppendEscapedAttribute(value.AsSpan());
        }
        else
        {
            var save = _pos;
            _pos = valueStart;
            while (_pos < valueEnd)
            {
                var c = text[_pos];
                if (c == '&')
                {
                    ReadReference(inAttribute: true, limit: valueEnd);
                    continue;
                }
                if (c == '<')
                {
                    _out.Append("&lt;");
                }
                else if (c == '"')
                {
                    _out.Append("&quot;");
                }
                else if (!IsXmlChar(text, _pos, out var width))
                {
                    Fix("Characters not allowed in XML (control characters) were removed.");
                    _pos += width;
                    continue;
                }
                else
                {
                    _out.Append(c);
                    if (width == 2)
                    {
                        _out.Append(text[_pos + 1]);
                        _pos++;
                    }
                }
                _pos++;
            }
            _pos = save;
        }
        _out.Append('"');
        return i;
    }

    private bool ReadEndTag()
    {
        var text = _text;
        var nameStart = _pos + 2;
        var nameEnd = nameStart;
        while (nameEnd < text.Length && IsNameChar(text[nameEnd]))
        {
            nameEnd++;
        }
        var close = text.IndexOf('>', nameEnd);
        var next = text.IndexOf('<', nameEnd);
        if (close < 0 || (next >= 0 && next < close))
        {
            close = next < 0 ? text.Length : next - 1;
            Fix("An end tag was not closed with '>'.");
        }
        _pos = Math.Min(text.Length, close + 1);
        var name = text[nameStart..nameEnd];
        if (name.Length == 0)
        {
            if (InsideRoot)
            {
                _out.Append("&lt;/");
                Fix("A bare '<' in text was escaped.");
                _pos = nameStart;
            }
            return true;
        }
        var match = FindOpen(name);
        if (match < 0)
        {
            if (InsideRoot || !_rootClosed)
            {
                Fix($"A stray end tag </{name}> was removed.");
            }
            return true;
        }
        for (var i = _open.Count - 1; i > match; i--)
        {
            _out.Append("</").Append(_open[i]).Append('>');
            Fix($"Unclosed element <{_open[i]}> was closed.");
        }
        if (_open[match] != name)
        {
            Fix($"The end tag </{name}> did not match the case of <{_open[match]}>.");
        }
        _out.Append("</").Append(_open[match]).Append('>');
        _open.RemoveRange(match, _open.Count - match);
        if (_open.Count == 0)
        {
            _rootClosed = true;
        }
        return true;
    }

    private int FindOpen(string name)
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            if (_open[i] == name)
            {
                return i;
            }
        }
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_open[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Handles a '&amp;' at the current position: keeps what XML knows, converts what HTML knows, escapes the rest.</summary>
    private void ReadReference(bool inAttribute, int limit = -1)
    {
        var text = _text;
        if (limit < 0)
        {
            limit = text.Length;
        }
        var start = _pos + 1;
        var semicolon = -1;
        for (var i = start; i < limit && i - start <= 32; i++)
        {
            var c = text[i];
            if (c == ';')
            {
                semicolon = i;
                break;
            }
            if (!char.IsAsciiLetterOrDigit(c) && c != '#' && c != '_' && c != '-' && c != '.')
            {
                break;
            }
        }
        if (semicolon <= start)
        {
            _out.Append("&amp;");
            Fix("A bare '&' was escaped.");
            _pos++;
            return;
        }
        var name = text.AsSpan(start, semicolon - start);
        _pos = semicolon + 1;
        if (name[0] == '#')
        {
            var isHex = name.Length > 1 && (name[1] is 'x' or 'X');
            var digits = isHex ? name[2..] : name[1..];
            if (int.TryParse(digits, isHex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var code)
                && IsXmlCodePoint(code))
            {
                // &#X41; (an upper-case X, which HTML accepts and XML does not) is written &#x41;.
                _out.Append("&#").Append(code).Append(';');
                if (isHex && name[1] == 'X')
                {
                    Fix("Character references with an upper-case X (&#X41;) were read as hexadecimal.");
                }
            }
            else if (int.TryParse(digits, isHex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                         System.Globalization.CultureInfo.InvariantCulture, out var windows) && windows is >= 0x80 and <= 0x9F)
            {
                // &#146; and friends mean windows-1252 punctuation in practice.
                var mapped = System.Text.Encoding.GetEncoding(1252).GetString([(byte)windows]);
                _out.Append("&#").Append((int)mapped[0]).Append(';');
                Fix("Character references to C1 control codes were read as windows-1252 punctuation.");
            }
            else
            {
                Fix("Character references to characters not allowed in XML were removed.");
            }
            return;
        }
        switch (name)
        {
            case "amp" or "lt" or "gt" or "quot" or "apos":
                _out.Append('&').Append(name).Append(';');
                return;
        }
        var nameText = name.ToString();
        if (_declaredEntities.TryGetValue(nameText, out var value))
        {
            _expanded += value.Length;
            if (_expanded > MaxTotalExpansion)
            {
                throw new FeedParseException(
                    "entity expansion limit exceeded: the document's entity references expand to more than 10 million characters (a quadratic-blowup attack); it was not read");
            }
            if (inAttribute)
            {
                AppendEscapedAttribute(value.AsSpan());
            }
            else
            {
                AppendEscapedText(value.AsSpan());
            }
            return;
        }
        // HTML 4 (which feeds were written against) and HTML 5 differ on two names.
        var symbol = nameText switch
        {
            "lang" => "\u2329",
            "rang" => "\u232A",
            _ => HtmlEntityProvider.Resolver.GetSymbol(nameText),
        };
        if (symbol is not null)
        {
            foreach (var rune in symbol.EnumerateRunes())
            {
                _out.Append("&#").Append(rune.Value).Append(';');
            }
            Fix("HTML entities that XML does not define (such as &nbsp;) were converted.");
            return;
        }
        _out.Append("&amp;").Append(name).Append(';');
        Fix($"An unknown entity &{nameText}; was kept as text.");
    }

    private void ReadDoctype()
    {
        var text = _text;
        var i = _pos + 9;
        var depth = 0;
        var subsetStart = -1;
        var subsetEnd = -1;
        char quote = '\0';
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                if (depth++ == 0)
                {
                    subsetStart = i + 1;
                }
            }
            else if (c == ']')
            {
                if (--depth == 0)
                {
                    subsetEnd = i;
                }
            }
            else if (c == '>' && depth <= 0)
            {
                break;
            }
        }
        _pos = Math.Min(text.Length, i + 1);
        if (subsetStart >= 0 && subsetEnd > subsetStart)
        {
            ReadEntityDeclarations(text.AsSpan(subsetStart, subsetEnd - subsetStart).ToString());
        }
    }

    /// <summary>Collects internal general entities and refuses definitions that would blow up.</summary>
    private void ReadEntityDeclarations(string subset)
    {
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 0;
        while ((at = subset.IndexOf("<!ENTITY", at, StringComparison.Ordinal)) >= 0)
        {
            var i = at + 8;
            at = i;
            while (i < subset.Length && char.IsWhiteSpace(subset[i]))
            {
                i++;
            }
            if (i < subset.Length && subset[i] == '%')
            {
                continue; // parameter entities are not used in content
            }
            var nameStart = i;
            while (i < subset.Length && !char.IsWhiteSpace(subset[i]))
            {
                i++;
            }
            var name = subset[nameStart..i];
            while (i < subset.Length && char.IsWhiteSpace(subset[i]))
            {
                i++;
            }
            if (i >= subset.Length || subset[i] is not ('"' or '\''))
            {
                continue; // SYSTEM or PUBLIC: external entities are never loaded
            }
            var quote = subset[i];
            var close = subset.IndexOf(quote, i + 1);
            if (close < 0)
            {
                break;
            }
            raw.TryAdd(name, subset[(i + 1)..close]);
            at = close;
        }
        if (raw.Count > 0)
        {
            Fix("Entities declared in the document type were expanded.");
        }
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in raw.Keys)
        {
            var size = ExpandedSize(name, raw, sizes, 0);
            if (size > MaxEntityExpansion)
            {
                throw new FeedParseException(
                    $"entity expansion limit exceeded: the entity &{name}; declared in the document type expands to more than {MaxEntityExpansion:N0} characters (a \"billion laughs\" attack); it was not read");
            }
        }
        foreach (var (name, value) in raw)
        {
            _declaredEntities[name] = Expand(value, raw, 0);
        }
    }

    private static long ExpandedSize(string name, Dictionary<string, string> raw, Dictionary<string, long> sizes, int depth)
    {
        if (sizes.TryGetValue(name, out var known))
        {
            return known;
        }
        if (depth > 8 || !raw.TryGetValue(name, out var value))
        {
            return depth > 8 ? long.MaxValue / 4 : name.Length + 2;
        }
        sizes[name] = long.MaxValue / 4; // a reference cycle counts as infinite
        long size = 0;
        var i = 0;
        while (i < value.Length)
        {
            var amp = value.IndexOf('&', i);
            if (amp < 0)
            {
                size += value.Length - i;
                break;
            }
            size += amp - i;
            var semi = value.IndexOf(';', amp);
            if (semi < 0)
            {
                size += value.Length - amp;
                break;
            }
            var reference = value[(amp + 1)..semi];
            size += reference.StartsWith('#') ? 1 : ExpandedSize(reference, raw, sizes, depth + 1);
            if (size > MaxEntityExpansion)
            {
                break;
            }
            i = semi + 1;
        }
        sizes[name] = size;
        return size;
    }

    private static string Expand(string value, Dictionary<string, string> raw, int depth)
    {
        if (!value.Contains('&', StringComparison.Ordinal) || depth > 8)
        {
            return value;
        }
        var builder = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            var amp = value.IndexOf('&', i);
            var semi = amp < 0 ? -1 : value.IndexOf(';', amp);
            if (amp < 0 || semi < 0)
            {
                builder.Append(value, i, value.Length - i);
                break;
            }
            builder.Append(value, i, amp - i);
            var reference = value[(amp + 1)..semi];
            if (reference.StartsWith('#'))
            {
                var isHex = reference.Length > 1 && reference[1] is 'x' or 'X';
                if (int.TryParse(isHex ? reference[2..] : reference[1..], isHex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out var code) && IsXmlCodePoint(code))
                {
                    builder.Append(char.ConvertFromUtf32(code));
                }
            }
            else if (raw.TryGetValue(reference, out var inner))
            {
                builder.Append(Expand(inner, raw, depth + 1));
            }
            else if (reference is "amp" or "lt" or "gt" or "quot" or "apos")
            {
                builder.Append(reference switch { "amp" => '&', "lt" => '<', "gt" => '>', "quot" => '"', _ => '\'' });
            }
            else if (HtmlEntityProvider.Resolver.GetSymbol(reference) is { } symbol)
            {
                builder.Append(symbol);
            }
            i = semi + 1;
        }
        return builder.ToString();
    }

    private void NotePrefix(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            _usedPrefixes.Add(name[..colon]);
        }
    }

    private void DeclareMissingPrefixes()
    {
        var declarations = new StringBuilder();
        foreach (var prefix in _usedPrefixes)
        {
            if (_declaredPrefixes.Contains(prefix))
            {
                continue;
            }
            var uri = Namespaces.UriForPrefix(prefix) ?? "urn:feedstand:undeclared:" + prefix;
            declarations.Append(" xmlns:").Append(prefix).Append("=\"").Append(uri).Append('"');
            Fix($"The namespace prefix \"{prefix}\" was used without being declared.");
        }
        if (declarations.Length > 0 && _rootInsertAt >= 0)
        {
            _out.Insert(_rootInsertAt, declarations.ToString());
        }
    }

    private void AppendEscapedText(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '<': _out.Append("&lt;"); break;
                case '&': _out.Append("&amp;"); break;
                default: _out.Append(c); break;
            }
        }
    }

    private void AppendEscapedAttribute(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '<': _out.Append("&lt;"); break;
                case '&': _out.Append("&amp;"); break;
                case '"': _out.Append("&quot;"); break;
                default: _out.Append(c); break;
            }
        }
    }

    private void AppendCleanChars(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\t' or '\n' or '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD))
            {
                _out.Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                _out.Append(c).Append(value[i + 1]);
                i++;
            }
            else
            {
                Fix("Characters not allowed in XML (control characters) were removed.");
            }
        }
    }

    private static bool IsXmlChar(string text, int at, out int width)
    {
        var c = text[at];
        width = 1;
        if (c is '\t' or '\n' or '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD))
        {
            return true;
        }
        if (char.IsHighSurrogate(c) && at + 1 < text.Length && char.IsLowSurrogate(text[at + 1]))
        {
            width = 2;
            return true;
        }
        return false;
    }

    private static bool IsXmlCodePoint(int code) =>
        code is 0x9 or 0xA or 0xD || (code >= 0x20 && code <= 0xD7FF) || (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ':' || c == '\u00B7';

    private static bool IsValidName(string name)
    {
        foreach (var c in name)
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }
        return name.Count(c => c == ':') <= 1 && !name.EndsWith(':');
    }
}
