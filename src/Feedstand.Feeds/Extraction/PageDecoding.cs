using System.Text;
using System.Text.Unicode;

namespace Feedstand.Feeds.Extraction;

/// <summary>
/// An HTML page's bytes as text: a BOM wins, then valid UTF-8 (legacy text almost never is),
/// then the HTTP charset, then a <c>&lt;meta charset&gt;</c> in the first 2 KB, else windows-1252.
/// </summary>
internal static class PageDecoding
{
    private static readonly System.Buffers.SearchValues<char> CharsetEnd = System.Buffers.SearchValues.Create("\"'; />");

    static PageDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }
        var encoding = EncodingOf(Decoding.EncodingDetector.CharsetOf(contentType)) ?? EncodingOf(MetaCharset(bytes)) ?? Encoding.GetEncoding(1252);
        return encoding.GetString(bytes);
    }

    private static Encoding? EncodingOf(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return null;
        }
        try
        {
            var encoding = Encoding.GetEncoding(label.Trim().Trim('"', '\''));
            // A page labelled UTF-8 whose bytes are not: the usual culprit is windows-1252.
            return encoding.CodePage == 65001 ? null : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The charset of a meta element near the top: <c>charset=</c> in any attribute.</summary>
    private static string? MetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 2048)]);
        var at = 0;
        while ((at = head.IndexOf("<meta", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = head.IndexOf('>', at);
            if (end < 0)
            {
                return null;
            }
            var tag = head.AsSpan(at, end - at);
            var charset = tag.IndexOf("charset", StringComparison.OrdinalIgnoreCase);
            if (charset >= 0)
            {
                var rest = tag[(charset + "charset".Length)..].TrimStart();
                if (rest.StartsWith("="))
                {
                    rest = rest[1..].TrimStart().TrimStart("\"'");
                    var stop = rest.IndexOfAny(CharsetEnd);
                    return (stop < 0 ? rest : rest[..stop]).ToString();
                }
            }
            at = end;
        }
        return null;
    }
}
