using System.Collections.Frozen;
using System.Text;

namespace Feedstand.Feeds.Decoding;

/// <summary>
/// Chooses the encoding of a feed document as a browser would: byte order mark, then the
/// HTTP charset, then the XML declaration (JSON: UTF-8/16/32 by its first bytes), then UTF-8,
/// and resolves the conflicts real feeds have: a declaration that lies about UTF-8 bytes,
/// "us-ascii" that is really UTF-8, windows-1252 bytes labelled ISO-8859-1.
/// </summary>
internal static class EncodingDetector
{
    static EncodingDetector() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>WHATWG label of each supported encoding and its .NET code page.</summary>
    private static readonly FrozenDictionary<string, int> CodePages = new Dictionary<string, int>
    {
        ["utf-8"] = 65001, ["utf-16le"] = 1200, ["utf-16be"] = 1201,
        ["windows-1250"] = 1250, ["windows-1251"] = 1251, ["windows-1252"] = 1252, ["windows-1253"] = 1253,
        ["windows-1254"] = 1254, ["windows-1255"] = 1255, ["windows-1256"] = 1256, ["windows-1257"] = 1257,
        ["windows-1258"] = 1258, ["windows-874"] = 874,
        ["iso-8859-2"] = 28592, ["iso-8859-3"] = 28593, ["iso-8859-4"] = 28594, ["iso-8859-5"] = 28595,
        ["iso-8859-6"] = 28596, ["iso-8859-7"] = 28597, ["iso-8859-8"] = 28598, ["iso-8859-8-i"] = 38598,
        ["iso-8859-9"] = 28599, ["iso-8859-10"] = 28600, ["iso-8859-13"] = 28603, ["iso-8859-14"] = 28604,
        ["iso-8859-15"] = 28605, ["iso-8859-16"] = 28606,
        ["koi8-r"] = 20866, ["koi8-u"] = 21866, ["ibm866"] = 866, ["macintosh"] = 10000, ["x-mac-cyrillic"] = 10007,
        ["gbk"] = 936, ["gb18030"] = 54936, ["big5"] = 950,
        ["shift_jis"] = 932, ["euc-jp"] = 51932, ["iso-2022-jp"] = 50220, ["euc-kr"] = 51949,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Labels seen in the wild, mapped to their WHATWG names.</summary>
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["utf8"] = "utf-8", ["unicode-1-1-utf-8"] = "utf-8", ["x-unicode20utf8"] = "utf-8", ["utf-8n"] = "utf-8",
        ["utf-16"] = "utf-16le", ["utf16"] = "utf-16le", ["unicode"] = "utf-16le", ["ucs-2"] = "utf-16le",
        ["us-ascii"] = "windows-1252", ["ascii"] = "windows-1252", ["ansi_x3.4-1968"] = "windows-1252",
        ["iso-8859-1"] = "windows-1252", ["iso8859-1"] = "windows-1252", ["iso_8859-1"] = "windows-1252",
        ["latin1"] = "windows-1252", ["latin-1"] = "windows-1252", ["l1"] = "windows-1252", ["cp1252"] = "windows-1252",
        ["x-cp1252"] = "windows-1252", ["cp819"] = "windows-1252", ["iso-ir-100"] = "windows-1252",
        ["cp1250"] = "windows-1250", ["cp1251"] = "windows-1251", ["x-cp1251"] = "windows-1251", ["cp1253"] = "windows-1253",
        ["cp1254"] = "windows-1254", ["iso-8859-9"] = "windows-1254", ["latin5"] = "windows-1254", ["cp1255"] = "windows-1255",
        ["cp1256"] = "windows-1256", ["cp1257"] = "windows-1257", ["cp1258"] = "windows-1258",
        ["iso-8859-11"] = "windows-874", ["tis-620"] = "windows-874", ["dos-874"] = "windows-874",
        ["latin2"] = "iso-8859-2", ["iso8859-2"] = "iso-8859-2", ["iso_8859-2"] = "iso-8859-2",
        ["iso8859-5"] = "iso-8859-5", ["cyrillic"] = "iso-8859-5", ["iso8859-15"] = "iso-8859-15", ["latin9"] = "iso-8859-15",
        ["iso_8859-15"] = "iso-8859-15", ["iso8859-7"] = "iso-8859-7", ["greek"] = "iso-8859-7",
        ["koi8"] = "koi8-r", ["koi"] = "koi8-r", ["koi8_r"] = "koi8-r", ["cp866"] = "ibm866",
        ["mac"] = "macintosh", ["x-mac-roman"] = "macintosh", ["csmacintosh"] = "macintosh",
        ["gb2312"] = "gbk", ["gb_2312-80"] = "gbk", ["chinese"] = "gbk", ["csgb2312"] = "gbk", ["x-gbk"] = "gbk",
        ["cp936"] = "gbk", ["euc-cn"] = "gbk", ["hz-gb-2312"] = "gbk", ["gb-18030"] = "gb18030",
        ["big5-hkscs"] = "big5", ["cn-big5"] = "big5", ["x-x-big5"] = "big5", ["cp950"] = "big5",
        ["shift-jis"] = "shift_jis", ["sjis"] = "shift_jis", ["x-sjis"] = "shift_jis", ["ms_kanji"] = "shift_jis",
        ["windows-31j"] = "shift_jis", ["cp932"] = "shift_jis", ["csshiftjis"] = "shift_jis",
        ["x-euc-jp"] = "euc-jp", ["eucjp"] = "euc-jp", ["cseucpkdfmtjapanese"] = "euc-jp",
        ["ks_c_5601-1987"] = "euc-kr", ["korean"] = "euc-kr", ["cp949"] = "euc-kr", ["windows-949"] = "euc-kr",
        ["euckr"] = "euc-kr", ["csiso2022jp"] = "iso-2022-jp", ["x-euc-tw"] = "big5", ["euc-tw"] = "big5",
        ["iso-8859-8-e"] = "iso-8859-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Picks the encoding. <paramref name="body"/> starts after any leading whitespace has been
    /// left in place; a byte order mark is removed from the returned body.
    /// </summary>
    public static DecodedDocument Detect(ReadOnlyMemory<byte> body, string? contentType, bool isJson, List<string> errors, out bool wasWrong)
    {
        wasWrong = false;
        var span = body.Span;

        // 1. A byte order mark wins over every label.
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Utf8(body[3..]);
        }
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return new DecodedDocument(body[4..], new UTF32Encoding(bigEndian: false, byteOrderMark: false), "utf-32le");
        }
        if (span.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return new DecodedDocument(body[4..], new UTF32Encoding(bigEndian: true, byteOrderMark: false), "utf-32be");
        }
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new DecodedDocument(body[2..], Encoding.Unicode, "utf-16le");
        }
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new DecodedDocument(body[2..], Encoding.BigEndianUnicode, "utf-16be");
        }

        // 2. UTF-16 or UTF-32 without a mark shows in the zero bytes around the first characters.
        if (SniffWideEncoding(span) is { } wide)
        {
            return wide.Label switch
            {
                "utf-16le" => new DecodedDocument(body, Encoding.Unicode, wide.Label),
                "utf-16be" => new DecodedDocument(body, Encoding.BigEndianUnicode, wide.Label),
                "utf-32le" => new DecodedDocument(body, new UTF32Encoding(false, false), wide.Label),
                _ => new DecodedDocument(body, new UTF32Encoding(true, false), wide.Label),
            };
        }

        // 3. Labels: the HTTP charset, then the XML declaration. JSON is UTF-8 by definition.
        var httpLabel = CharsetOf(contentType);
        var declaredLabel = isJson ? null : DeclaredEncoding(span);
        string? chosen = null;
        string? chosenFrom = null;
        foreach (var (label, source) in new[] { (httpLabel, "the HTTP charset"), (declaredLabel, "the XML declaration") })
        {
            if (label is null)
            {
                continue;
            }
            if (Normalize(label) is { } known)
            {
                chosen = known;
                chosenFrom = source;
                break;
            }
            errors.Add($"Unknown encoding \"{label}\" in {source} was ignored.");
        }

        var isAscii = System.Text.Ascii.IsValid(span);
        if (chosen is null || chosen == "utf-8")
        {
            if (isAscii || System.Text.Unicode.Utf8.IsValid(span))
            {
                return Utf8(body);
            }
            // Not UTF-8 after all. A declaration that names another encoding is believed; with no
            // label at all the bytes are sniffed (Mozilla's universal detector: Big5, GBK/GB18030,
            // EUC-JP, Shift_JIS, EUC-KR, KOI8-R, windows-125x...), else windows-1252, the usual culprit.
            var fallback = declaredLabel is not null && Normalize(declaredLabel) is { } declared && declared != "utf-8"
                ? declared
                : chosen is null ? Sniff(span) ?? "windows-1252" : "windows-1252";
            errors.Add(chosen is null
                ? $"The document has no encoding label and is not valid UTF-8; it was decoded as {fallback}."
                : $"The document is labelled UTF-8 in {chosenFrom} but is not valid UTF-8; it was decoded as {fallback}.");
            wasWrong = true;
            return Legacy(body, fallback);
        }

        if (chosen is "utf-16le" or "utf-16be")
        {
            // A UTF-16 label on bytes that are plainly 8-bit (the zero bytes are missing).
            errors.Add($"The document is labelled {chosen} in {chosenFrom} but its bytes are 8-bit; it was decoded as UTF-8.");
            wasWrong = true;
            return Utf8(body);
        }

        if (!isAscii && System.Text.Unicode.Utf8.IsValid(span))
        {
            // Non-ASCII bytes that form valid UTF-8 are UTF-8 whatever the label says:
            // legacy text almost never happens to be valid UTF-8.
            errors.Add($"The document is labelled {chosen} in {chosenFrom} but its bytes are UTF-8; it was decoded as UTF-8.");
            wasWrong = true;
            return Utf8(body);
        }
        return Legacy(body, chosen);
    }

    /// <summary>Maps a label as found in a header or declaration to its WHATWG name, or null when unknown.</summary>
    public static string? Normalize(string label)
    {
        var trimmed = label.Trim().Trim('"', '\'').ToLowerInvariant();
        if (CodePages.ContainsKey(trimmed))
        {
            return trimmed;
        }
        return Aliases.TryGetValue(trimmed, out var alias) ? alias : null;
    }

    /// <summary>The legacy encoding the bytes look like, when the detector is reasonably sure.</summary>
    private static string? Sniff(ReadOnlySpan<byte> span)
    {
        var sample = span[..Math.Min(span.Length, 64 << 10)].ToArray();
        var detected = UtfUnknown.CharsetDetector.DetectFromBytes(sample).Detected;
        if (detected?.EncodingName is not { } name || detected.Confidence < 0.3f)
        {
            return null;
        }
        return Normalize(name) is { } label && label != "utf-8" && !label.StartsWith("utf-16", StringComparison.Ordinal) ? label : null;
    }

    private static DecodedDocument Utf8(ReadOnlyMemory<byte> body) => new(body, Utf8NoBom, "utf-8");

    private static DecodedDocument Legacy(ReadOnlyMemory<byte> body, string label) =>
        new(body, Encoding.GetEncoding(CodePages[label]), label);

    private static (string Label, int Unused)? SniffWideEncoding(ReadOnlySpan<byte> span)
    {
        if (span.Length < 4)
        {
            return null;
        }
        if (span[0] != 0 && span[1] == 0 && span[2] == 0 && span[3] == 0)
        {
            return ("utf-32le", 0);
        }
        if (span[0] == 0 && span[1] == 0 && span[2] == 0 && span[3] != 0)
        {
            return ("utf-32be", 0);
        }
        if (span[0] != 0 && span[1] == 0 && span[2] != 0 && span[3] == 0)
        {
            return ("utf-16le", 0);
        }
        if (span[0] == 0 && span[1] != 0 && span[2] == 0 && span[3] != 0)
        {
            return ("utf-16be", 0);
        }
        return null;
    }

    /// <summary>The charset parameter of a Content-Type header, if any.</summary>
    public static string? CharsetOf(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }
        var at = contentType.IndexOf("charset", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }
        var rest = contentType.AsSpan(at + "charset".Length).TrimStart();
        if (rest.IsEmpty || rest[0] != '=')
        {
            return null;
        }
        rest = rest[1..].Trim().Trim('"').Trim('\'');
        var end = rest.IndexOfAny(';', ' ', ',');
        var value = (end < 0 ? rest : rest[..end]).ToString();
        return value.Length == 0 ? null : value;
    }

    /// <summary>The encoding pseudo-attribute of an XML declaration near the start of the bytes.</summary>
    private static string? DeclaredEncoding(ReadOnlySpan<byte> span)
    {
        var head = span[..Math.Min(span.Length, 1024)];
        var start = head.IndexOf("<?xml"u8);
        if (start < 0)
        {
            return null;
        }
        head = head[start..];
        var end = head.IndexOf("?>"u8);
        if (end > 0)
        {
            head = head[..end];
        }
        var at = head.IndexOf("encoding"u8);
        if (at < 0)
        {
            return null;
        }
        var rest = head[(at + "encoding".Length)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != '=')
        {
            return null;
        }
        rest = rest[1..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty)
        {
            return null;
        }
        var quote = rest[0];
        if (quote is (byte)'"' or (byte)'\'')
        {
            rest = rest[1..];
            var close = rest.IndexOf(quote);
            rest = close < 0 ? rest : rest[..close];
        }
        else
        {
            var close = rest.IndexOfAny(" \t\r\n?"u8);
            rest = close < 0 ? rest : rest[..close];
        }
        return rest.IsEmpty || !System.Text.Ascii.IsValid(rest) ? null : Encoding.ASCII.GetString(rest);
    }
}
