using System.Globalization;
using System.Text.RegularExpressions;

namespace Feedstand.Feeds.Checking;

/// <summary>The value checks of the validity section: dates, URLs, e-mail addresses, languages, MIME types, plain text.</summary>
internal static partial class ValueRules
{
    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{2}|\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[A-IK-Z]|[+-]\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822();

    [GeneratedRegex(@"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex W3cDtf();

    [GeneratedRegex(@"^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();

    [GeneratedRegex(@"^[A-Za-z0-9!#$&.+^_`{|}~-]+/[A-Za-z0-9!#$&.+^_`{|}~-]+(?:\s*;.*)?$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex MimeType();

    [GeneratedRegex(@"^(?:mailto:)?[A-Za-z0-9._%+'=!#$&*/?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex BareEmail();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"<(?:/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"&(?:#[xX]?[0-9a-fA-F]*|[A-Za-z][A-Za-z0-9]{1,31});?", RegexOptions.CultureInvariant)]
    private static partial Regex EntityLike();

    public static bool IsRfc3339(string value)
    {
        var m = Rfc3339().Match(value);
        if (!m.Success)
        {
            return false;
        }
        var year = Int(m.Groups[1].Value);
        var month = Int(m.Groups[2].Value);
        var day = Int(m.Groups[3].Value);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month))
        {
            return false;
        }
        if (Int(m.Groups[4].Value) > 23 || Int(m.Groups[5].Value) > 59 || Int(m.Groups[6].Value) > 60)
        {
            return false;
        }
        return !m.Groups[9].Success || (Int(m.Groups[9].Value) <= 23 && Int(m.Groups[10].Value) <= 59);
    }

    public static bool IsRfc822(string value)
    {
        var m = Rfc822().Match(value.Trim());
        if (!m.Success)
        {
            return false;
        }
        var year = Int(m.Groups[4].Value);
        if (m.Groups[4].Value.Length == 2)
        {
            year += year < 50 ? 2000 : 1900;
        }
        var month = Array.IndexOf(Months, m.Groups[3].Value) + 1;
        var day = Int(m.Groups[2].Value);
        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        return Int(m.Groups[5].Value) <= 23 && Int(m.Groups[6].Value) <= 59 && (!m.Groups[7].Success || Int(m.Groups[7].Value) <= 60);
    }

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static bool IsW3cDtf(string value)
    {
        var m = W3cDtf().Match(value.Trim());
        if (!m.Success)
        {
            return false;
        }
        if (m.Groups[2].Success && Int(m.Groups[2].Value) is < 1 or > 12)
        {
            return false;
        }
        if (m.Groups[3].Success && (Int(m.Groups[3].Value) < 1 || Int(m.Groups[3].Value) > DateTime.DaysInMonth(Math.Max(1, Int(m.Groups[1].Value)), Int(m.Groups[2].Value))))
        {
            return false;
        }
        return !m.Groups[4].Success || (Int(m.Groups[4].Value) <= 23 && Int(m.Groups[5].Value) <= 59);
    }

    /// <summary>A parsed date for the plausibility checks, or null.</summary>
    public static DateTimeOffset? ParseDate(string value) =>
        DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    /// <summary>A language tag whose primary subtag is an ISO 639 code (two letters from ISO 639-1, or three letters).</summary>
    public static bool IsLanguage(string value)
    {
        var tag = value.Trim();
        if (!LanguageTag().IsMatch(tag))
        {
            return false;
        }
        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        var primary = (dash < 0 ? tag : tag[..dash]).ToLowerInvariant();
        return primary.Length == 3 || primary is "i" or "x" || (primary.Length == 2 && Iso639.Contains(primary));
    }

    private static readonly System.Collections.Frozen.FrozenSet<string> Iso639 = System.Collections.Frozen.FrozenSet.Create(StringComparer.Ordinal,
        ("aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu "
        + "fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik in io is it iu iw ja ji jv jw ka kg ki kj kk kl km "
        + "kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or "
        + "os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw "
        + "ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu").Split(' '));

    public static bool IsMimeType(string value) => MimeType().IsMatch(value.Trim());

    /// <summary>RSS contacts: <c>address</c> or <c>address (Name)</c>.</summary>
    public static bool IsRssContact(string value)
    {
        var text = value.Trim();
        if (text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            text = Uri.UnescapeDataString(text[7..]);
        }
        var paren = text.IndexOf(" (", StringComparison.Ordinal);
        if (paren > 0 && text.EndsWith(')'))
        {
            text = text[..paren];
        }
        return BareEmail().IsMatch(text);
    }

    public static bool IsEmail(string value) => BareEmail().IsMatch(value.Trim()) && !value.Trim().StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL checks: characters first (<c>InvalidUriChar</c>), then shape (<c>InvalidLink</c>), then absoluteness.</summary>
    public static string? UrlProblem(string value, bool mustBeFull)
    {
        if (value.Length == 0)
        {
            return mustBeFull ? "InvalidFullLink" : null;
        }
        foreach (var c in value)
        {
            if (c <= ' ' || c is '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`' || c == '\u007f')
            {
                return "InvalidUriChar";
            }
        }
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2])))
            {
                return "InvalidLink";
            }
        }
        var scheme = Scheme().Match(value);
        if (!scheme.Success)
        {
            if (value.Contains(':', StringComparison.Ordinal) && value.IndexOf(':', StringComparison.Ordinal) < IndexOfAny(value, "/?#"))
            {
                return "InvalidLink";
            }
            return mustBeFull ? "InvalidFullLink" : null;
        }
        var name = scheme.Value[..^1].ToLowerInvariant();
        var rest = value[scheme.Length..];
        if (name is "http" or "https" or "ftp")
        {
            if (!rest.StartsWith("//", StringComparison.Ordinal) || rest.Length < 3 || rest[2] is '/' or '?' or '#')
            {
                return "InvalidLink";
            }
            var authorityEnd = IndexOfAny(rest[2..], "/?#");
            var authority = authorityEnd < 0 ? rest[2..] : rest.Substring(2, authorityEnd);
            var at = authority.LastIndexOf('@');
            var host = at >= 0 ? authority[(at + 1)..] : authority;
            var colon = host.LastIndexOf(':');
            if (colon >= 0 && !host.EndsWith(']') && (colon == host.Length - 1 || !host[(colon + 1)..].All(char.IsAsciiDigit)))
            {
                return "InvalidLink";
            }
        }
        else if (name is "urn" or "tag" or "mailto" && rest.Length == 0)
        {
            return "InvalidLink";
        }
        if (name == "urn" && !rest.Contains(':', StringComparison.Ordinal))
        {
            return "InvalidLink";
        }
        return null;
    }

    private static int IndexOfAny(string value, string chars)
    {
        var i = value.AsSpan().IndexOfAny(chars);
        return i < 0 ? value.Length : i;
    }

    /// <summary>RFC 3986 normalization that the validator asks of atom:id (<c>NonCanonicalURI</c>).</summary>
    public static bool IsCanonical(string value)
    {
        var scheme = Scheme().Match(value);
        if (!scheme.Success)
        {
            return true;
        }
        if (scheme.Value.Any(char.IsAsciiLetterUpper))
        {
            return false;
        }
        var rest = value[scheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var end = IndexOfAny(rest[2..], "/?#");
            var authority = end < rest.Length - 2 ? rest.Substring(2, end) : rest[2..];
            var path = end < rest.Length - 2 ? rest[(2 + end)..] : "";
            if (authority.StartsWith('@') || authority.StartsWith(":@", StringComparison.Ordinal))
            {
                return false;
            }
            if (authority.Any(char.IsAsciiLetterUpper) && !authority.Contains('@', StringComparison.Ordinal))
            {
                return false;
            }
            if ((scheme.Value == "http:" && authority.EndsWith(":80", StringComparison.Ordinal))
                || (scheme.Value == "https:" && authority.EndsWith(":443", StringComparison.Ordinal))
                || authority.EndsWith(':'))
            {
                return false;
            }
            if (path.Length == 0 && scheme.Value is "http:" or "https:")
            {
                return false;
            }
            var pathOnly = path[..IndexOfAny(path, "?#")];
            if (pathOnly.Contains("/./", StringComparison.Ordinal) || pathOnly.Contains("/../", StringComparison.Ordinal)
                || pathOnly.EndsWith("/.", StringComparison.Ordinal) || pathOnly.EndsWith("/..", StringComparison.Ordinal))
            {
                return false;
            }
        }
        for (var i = 0; i + 2 < value.Length; i++)
        {
            if (value[i] == '%' && (char.IsAsciiLetterLower(value[i + 1]) || char.IsAsciiLetterLower(value[i + 2])))
            {
                return false;
            }
            if (value[i] == '%' && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                var c = (char)Convert.ToInt32(value.Substring(i + 1, 2), 16);
                if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>Markup in a field that should be plain text: a known HTML tag or an entity reference after decoding.</summary>
    public static bool LooksLikeHtml(string text)
    {
        foreach (Match m in HtmlTag().Matches(text))
        {
            if (HtmlNames.IsElement(m.Groups[1].Value.ToLowerInvariant()))
            {
                return true;
            }
        }
        foreach (Match m in EntityLike().Matches(text))
        {
            var v = m.Value;
            if (v[1] == '#' || v.EndsWith(';') || HtmlNames.IsEntity(v[1..].TrimEnd(';')))
            {
                if (v[1] == '#' || HtmlNames.IsEntity(v[1..].TrimEnd(';')))
                {
                    return true;
                }
            }
        }
        return false;
    }

    public static bool HasBadCharacters(string text)
    {
        foreach (var c in text)
        {
            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || (c >= '\u0080' && c <= '\u009f'))
            {
                return true;
            }
        }
        return false;
    }

    private static int Int(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
