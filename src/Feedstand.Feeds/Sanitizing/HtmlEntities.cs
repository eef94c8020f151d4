using System.Text;
using AngleSharp.Common;
using AngleSharp.Html;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// Decodes HTML character references the way an HTML5 tokenizer does in text: every named
/// entity of the HTML5 table (AngleSharp's), legacy names without a semicolon (<c>&amp;copy</c>),
/// decimal and hex references, with U+FFFD for invalid code points and the Windows-1252
/// remapping of 0x80–0x9F.
/// </summary>
internal static class HtmlEntities
{
    private const int LongestName = 32;
    private const int LongestLegacyName = 6;

    /// <summary>
    /// Decodes the reference at <paramref name="source"/>[<paramref name="index"/>] (an '&amp;')
    /// into <paramref name="output"/>. Returns the characters consumed, or 0 when the '&amp;'
    /// starts no reference and stands for itself.
    /// </summary>
    public static int Decode(string source, int index, ref ValueStringBuilder output)
    {
        var next = index + 1;
        if (next >= source.Length)
        {
            return 0;
        }

        return source[next] == '#'
            ? DecodeNumeric(source, index, ref output)
            : DecodeNamed(source, index, ref output);
    }

    /// <summary>Appends <paramref name="text"/> with every character reference decoded.</summary>
    public static void DecodeInto(string text, int start, int end, ref ValueStringBuilder output)
    {
        var i = start;
        while (i < end)
        {
            var amp = text.AsSpan(i, end - i).IndexOf('&');
            if (amp < 0)
            {
                output.Append(text.AsSpan(i, end - i));
                return;
            }

            output.Append(text.AsSpan(i, amp));
            i += amp;
            var consumed = Decode(text, i, ref output);
            if (consumed == 0)
            {
                output.Append('&');
                consumed = 1;
            }

            i += consumed;
        }
    }

    private static int DecodeNamed(string source, int index, ref ValueStringBuilder output)
    {
        var start = index + 1;
        var end = start;
        while (end < source.Length && end - start < LongestName && char.IsAsciiLetterOrDigit(source[end]))
        {
            end++;
        }

        var nameLength = end - start;
        if (nameLength == 0)
        {
            return 0;
        }

        var resolver = HtmlEntityProvider.ResolverExtended;
        if (end < source.Length && source[end] == ';')
        {
            var symbol = resolver.GetSymbol(new StringOrMemory(source.AsMemory(start, nameLength + 1)));
            if (!string.IsNullOrEmpty(symbol))
            {
                output.Append(symbol);
                return nameLength + 2;
            }
        }

        // Legacy entities (amp, lt, copy, nbsp...) are recognized without a semicolon, longest first.
        for (var length = Math.Min(nameLength, LongestLegacyName); length >= 2; length--)
        {
            var symbol = resolver.GetSymbol(new StringOrMemory(source.AsMemory(start, length)));
            if (!string.IsNullOrEmpty(symbol))
            {
                output.Append(symbol);
                return length + 1;
            }
        }

        return 0;
    }

    private static int DecodeNumeric(string source, int index, ref ValueStringBuilder output)
    {
        var i = index + 2;
        var isHex = i < source.Length && (source[i] == 'x' || source[i] == 'X');
        if (isHex)
        {
            i++;
        }

        var digitsStart = i;
        var code = 0;
        while (i < source.Length)
        {
            var c = source[i];
            int digit;
            if (char.IsAsciiDigit(c))
            {
                digit = c - '0';
            }
            else if (isHex && char.IsAsciiHexDigit(c))
            {
                digit = (c | 0x20) - 'a' + 10;
            }
            else
            {
                break;
            }

            code = code > 0x10FFFF ? code : (code * (isHex ? 16 : 10)) + digit;
            i++;
        }

        if (i == digitsStart)
        {
            return 0;
        }

        if (i < source.Length && source[i] == ';')
        {
            i++;
        }

        AppendCodePoint(code, ref output);
        return i - index;
    }

    private static void AppendCodePoint(int code, ref ValueStringBuilder output)
    {
        if (code is >= 0x80 and <= 0x9F && HtmlEntityProvider.IsInCharacterTable(code))
        {
            output.Append(HtmlEntityProvider.GetSymbolFromTable(code));
            return;
        }

        if (code == 0 || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
        {
            output.Append('\uFFFD');
            return;
        }

        Span<char> chars = stackalloc char[2];
        var written = new Rune(code).EncodeToUtf16(chars);
        output.Append(chars[..written]);
    }
}
