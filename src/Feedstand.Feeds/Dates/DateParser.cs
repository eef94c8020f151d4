namespace Feedstand.Feeds.Dates;

/// <summary>
/// Reads a date in any form met in real feeds (RFC 822/1123/2822 with odd zones and names, asctime, W3CDTF,
/// ISO 8601/RFC 3339 extended and basic, numeric and CJK forms, localized month names, Unix seconds) into a UTC
/// instant. One forward pass over the span, no allocation; an unreadable or out-of-range date is <c>null</c>,
/// never an exception.
/// </summary>
/// <remarks>
/// Missing zone means UTC. Two-digit years follow RFC 2822 (below 50 is 20xx). Numeric dates: <c>2025-10-26</c>,
/// <c>2025/10/26</c> and <c>2025.10.26</c> are year first; <c>26.10.2025</c> and <c>26-10-2025</c> are day first;
/// <c>10/26/2025</c> is month first unless the first number is above 12.
/// </remarks>
public static class DateParser
{
    private const int MaxLength = 256;

    /// <summary>The instant in UTC (<c>Offset == TimeSpan.Zero</c>), or <c>null</c> when the text is not a readable date.</summary>
    public static DateTimeOffset? Parse(ReadOnlySpan<char> text) => TryParse(text, out var utc) ? utc : null;

    /// <summary>Reads <paramref name="text"/> into a UTC instant; false when it is not a readable date.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset utc)
    {
        utc = default;
        var s = text.Trim();
        if (s.IsEmpty || s.Length > MaxLength)
        {
            return false;
        }

        var fields = new DateFields();
        if (!s.ContainsAnyExceptInRange('0', '9'))
        {
            return TryReadDigitsOnly(s, ref fields) && fields.TryBuild(out utc);
        }

        return Scan(s, ref fields) && fields.TryBuild(out utc);
    }

    /// <summary><c>2025</c>, <c>20251026</c>, <c>202510261900</c>, <c>20251026190000</c>, or 9–10 digits of Unix seconds.</summary>
    private static bool TryReadDigitsOnly(ReadOnlySpan<char> s, ref DateFields f)
    {
        switch (s.Length)
        {
            case 4:
                f.SetYear(Digits(s), 4);
                f.Month = 1;
                f.Day = 1;
                return true;
            case 8:
            case 12:
            case 14:
                f.SetYear(Digits(s[..4]), 4);
                f.Month = Digits(s.Slice(4, 2));
                f.Day = Digits(s.Slice(6, 2));
                if (s.Length > 8)
                {
                    f.HasTime = true;
                    f.Hour = Digits(s.Slice(8, 2));
                    f.Minute = Digits(s.Slice(10, 2));
                    f.Second = s.Length == 14 ? Digits(s.Slice(12, 2)) : 0;
                }

                return true;
            case 9:
            case 10:
                f.IsUnix = true;
                f.UnixSeconds = long.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
                return true;
            default:
                return false;
        }
    }

    private static bool Scan(ReadOnlySpan<char> s, ref DateFields f)
    {
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                if (!ScanNumber(s, ref i, ref f))
                {
                    return false;
                }
            }
            else if (c is '+' or '-' or '\u2212')
            {
                if (i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]) && (f.HasTime || f.HasFullDate))
                {
                    if (!ScanOffset(s, ref i, ref f))
                    {
                        return false;
                    }
                }
                else if (c == '-')
                {
                    i++;
                }
                else
                {
                    return false;
                }
            }
            else if (c is ',' or '.' or ';' || char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                // An RFC 2822 comment, "(PST)", "(Coordinated Universal Time)", "(日)": skipped whole.
                var close = s[i..].IndexOf(')');
                i = close < 0 ? s.Length : i + close + 1;
            }
            else if (char.IsLetter(c) && !IsCjkMarker(c))
            {
                if (!ScanWord(s, ref i, ref f))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static bool ScanNumber(ReadOnlySpan<char> s, ref int i, ref DateFields f)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var n = i - start;
        if (n > 8)
        {
            return false;
        }

        var value = Digits(s.Slice(start, n));
        var next = i < s.Length ? s[i] : '\0';
        var digitFollows = i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]);

        if (next == ':' && n <= 2 && digitFollows)
        {
            return ScanTime(s, ref i, value, ':', ref f);
        }

        if ((next is 'h' or 'H') && n <= 2 && digitFollows && !f.HasTime)
        {
            // French "19h00".
            return ScanTime(s, ref i, value, next, ref f);
        }

        if (next is '-' or '/' or '.' && digitFollows)
        {
            if (!f.HasAnyDatePart)
            {
                return ScanNumericDate(s, ref i, value, n, next, ref f);
            }

            if (next == '.' && n <= 2 && f.HasFullDate && !f.HasTime)
            {
                // "26.10.2025 19.00".
                return ScanTime(s, ref i, value, '.', ref f);
            }
        }

        switch (next)
        {
            case '年' or '년':
                i++;
                return f.TrySetYear(value, n);
            case '月' or '월':
                i++;
                return f.TrySetMonth(value);
            case '日' or '일':
                i++;
                return f.TrySetDay(value);
            case '時' or '时' or '시':
                i++;
                return f.TrySetTime(value, 0, 0);
            case '分' or '분':
                i++;
                f.Minute = value;
                return f.HasTime;
            case '秒' or '초':
                i++;
                f.Second = value;
                return f.HasTime;
            default:
                break;
        }

        if (n == 8 && !f.HasAnyDatePart)
        {
            // Basic ISO 8601: 20251026 (the time follows after a 'T').
            f.SetYear(value / 10000, 4);
            f.Month = value / 100 % 100;
            f.Day = value % 100;
            return true;
        }

        if (f.IsAfterT && (n is 4 or 6))
        {
            // Basic ISO 8601 time: T1900, T190000, T190000.5.
            f.IsAfterT = false;
            var ok = n == 4 ? f.TrySetTime(value / 100, value % 100, 0) : f.TrySetTime(value / 10000, value / 100 % 100, value % 100);
            if (ok && n == 6 && next is '.' or ',' && digitFollows)
            {
                i++;
                f.FractionTicks = ScanFraction(s, ref i);
            }

            return ok;
        }

        if (n is 3 or 4)
        {
            return f.TrySetYear(value, n);
        }

        if (n > 4)
        {
            return false;
        }

        if (f.Day == 0 && (value <= 31 || f.HasYear))
        {
            f.Day = value;
            return true;
        }

        return f.TrySetYear(value, n);
    }

    /// <summary>At the separator after the hour: <c>19:00</c>, <c>19:00:00</c>, <c>19:00:00.123456789</c>, <c>19h00</c>.</summary>
    private static bool ScanTime(ReadOnlySpan<char> s, ref int i, int hour, char separator, ref DateFields f)
    {
        i++;
        if (!TryReadTwoDigits(s, ref i, out var minute))
        {
            return false;
        }

        var second = 0;
        if (i + 1 < s.Length && s[i] == separator && char.IsAsciiDigit(s[i + 1]))
        {
            i++;
            if (!TryReadTwoDigits(s, ref i, out second))
            {
                return false;
            }

            if (separator == ':' && i + 1 < s.Length && s[i] is '.' or ',' && char.IsAsciiDigit(s[i + 1]))
            {
                i++;
                f.FractionTicks = ScanFraction(s, ref i);
            }
        }

        return (i == s.Length || !char.IsAsciiDigit(s[i])) && f.TrySetTime(hour, minute, second);
    }

    /// <summary>Fractional seconds of any length; the first seven digits are kept (100 ns ticks).</summary>
    private static long ScanFraction(ReadOnlySpan<char> s, ref int i)
    {
        long ticks = 0;
        var digits = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (digits < 7)
            {
                ticks = (ticks * 10) + (s[i] - '0');
                digits++;
            }
        }

        for (; digits < 7; digits++)
        {
            ticks *= 10;
        }

        return ticks;
    }

    /// <summary>At the first separator of <c>2025-10-26</c>, <c>2025-10</c>, <c>2025/10/26</c>, <c>26.10.2025</c>, <c>10/26/25</c>.</summary>
    private static bool ScanNumericDate(ReadOnlySpan<char> s, ref int i, int first, int firstDigits, char separator, ref DateFields f)
    {
        i++;
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var secondDigits = i - start;
        if (secondDigits > 2)
        {
            return false;
        }

        var second = Digits(s.Slice(start, secondDigits));
        var third = 0;
        var thirdDigits = 0;
        if (i + 1 < s.Length && s[i] == separator && char.IsAsciiDigit(s[i + 1]))
        {
            i++;
            start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            thirdDigits = i - start;
            if (thirdDigits > 4)
            {
                return false;
            }

            third = Digits(s.Slice(start, thirdDigits));
        }

        if (firstDigits == 4)
        {
            if (thirdDigits > 2 || (thirdDigits == 0 && separator == '.'))
            {
                return false;
            }

            f.SetYear(first, 4);
            f.Month = second;
            f.Day = thirdDigits == 0 ? 1 : third;
            f.IsYearMonthOnly = thirdDigits == 0;
            return f.Month != 0 && f.Day != 0;
        }

        if (firstDigits > 2 || thirdDigits is not (2 or 4))
        {
            return false;
        }

        f.SetYear(third, thirdDigits);
        var monthFirst = separator == '/' && first <= 12;
        f.Month = monthFirst ? first : second;
        f.Day = monthFirst ? second : first;
        return f.Month != 0 && f.Day != 0;
    }

    /// <summary>At the sign of <c>+0000</c>, <c>-08:00</c>, <c>+05</c>, <c>+8</c> (as in <c>GMT+8</c>).</summary>
    private static bool ScanOffset(ReadOnlySpan<char> s, ref int i, ref DateFields f)
    {
        var negative = s[i] != '+';
        i++;
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var n = i - start;
        var value = n <= 4 ? Digits(s.Slice(start, n)) : -1;
        int hours;
        var minutes = 0;
        switch (n)
        {
            case 1 or 2:
                hours = value;
                if (i + 1 < s.Length && s[i] == ':' && char.IsAsciiDigit(s[i + 1]) && !TryReadColonMinutes(s, ref i, out minutes))
                {
                    return false;
                }

                break;
            case 3 or 4:
                hours = value / 100;
                minutes = value % 100;
                break;
            default:
                return false;
        }

        if (hours > 23 || minutes > 59)
        {
            return false;
        }

        var offset = (hours * 60) + minutes;
        f.OffsetMinutes = negative ? -offset : offset;
        f.HasZone = true;
        return true;
    }

    private static bool TryReadColonMinutes(ReadOnlySpan<char> s, ref int i, out int minutes)
    {
        i++;
        return TryReadTwoDigits(s, ref i, out minutes);
    }

    private static bool ScanWord(ReadOnlySpan<char> s, ref int i, ref DateFields f)
    {
        var start = i;
        while (i < s.Length && char.IsLetter(s[i]) && !IsCjkMarker(s[i]))
        {
            i++;
        }

        var word = s[start..i];

        // "a.m." / "p.m."
        if (word.Length == 1 && (word[0] | 0x20) is 'a' or 'p' && i + 1 < s.Length && s[i] == '.' && (s[i + 1] | 0x20) == 'm')
        {
            i += 2;
            f.Meridiem = (word[0] | 0x20) == 'a' ? DateFields.Am : DateFields.Pm;
            return true;
        }

        // The date/time separator of ISO 8601: 2025-10-26T19:00, 20251026T190000.
        if (word.Length == 1 && (word[0] | 0x20) == 't' && i < s.Length && char.IsAsciiDigit(s[i]) && f.HasFullDate && !f.HasTime)
        {
            f.IsAfterT = true;
            return true;
        }

        if (word.Length > DateWords.MaxWordLength || !DateWords.Lookup.TryGetValue(word, out var meaning))
        {
            return false;
        }

        switch (meaning.Kind)
        {
            case DateWordKind.Month:
                if (f.Month == 0)
                {
                    f.Month = meaning.Value;
                    f.IsMonthAlsoWeekday = meaning.IsAlsoWeekday;
                    return true;
                }

                if (meaning.IsAlsoWeekday)
                {
                    return true;
                }

                if (f.IsMonthAlsoWeekday)
                {
                    // "mar 26 oct 2025": the first word was the French Tuesday, not March.
                    f.Month = meaning.Value;
                    f.IsMonthAlsoWeekday = false;
                    return true;
                }

                return false;
            case DateWordKind.Weekday:
            case DateWordKind.Filler:
                return true;
            case DateWordKind.Meridiem:
                f.Meridiem = meaning.Value == 0 ? DateFields.Am : DateFields.Pm;
                return true;
            case DateWordKind.Zone:
                if (!f.HasTime && !f.HasFullDate)
                {
                    return false;
                }

                if (!f.HasZone)
                {
                    f.OffsetMinutes = meaning.Value;
                    f.HasZone = true;
                }

                return true;
            case DateWordKind.MilitaryZone:
                if (!f.HasTime || f.HasZone)
                {
                    return false;
                }

                f.OffsetMinutes = meaning.Value;
                f.HasZone = true;
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadTwoDigits(ReadOnlySpan<char> s, ref int i, out int value)
    {
        if (i + 1 < s.Length && char.IsAsciiDigit(s[i]) && char.IsAsciiDigit(s[i + 1]))
        {
            value = ((s[i] - '0') * 10) + (s[i + 1] - '0');
            i += 2;
            return true;
        }

        value = 0;
        return false;
    }

    private static bool IsCjkMarker(char c) =>
        c is '年' or '月' or '日' or '時' or '时' or '分' or '秒' or '년' or '월' or '일' or '시' or '분' or '초';

    /// <summary>The value of a run of at most 8 ASCII digits (the callers check the length).</summary>
    private static int Digits(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
