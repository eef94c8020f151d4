using System.Buffers;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.People;

/// <summary>
/// Reads an author or contributor as feeds write it in one string: <c>Will Larson</c>, <c>will@example.com</c>,
/// <c>will@example.com (Will Larson)</c> (the RSS form), <c>"Will Larson" &lt;will@example.com&gt;</c>,
/// <c>&lt;will@example.com&gt;</c>, with or without <c>mailto:</c>. Names are kept as given; runs of white space
/// become one space.
/// </summary>
public static class PersonParser
{
    private const string MailtoPrefix = "mailto:";

    private static readonly SearchValues<char> NotInEmail = SearchValues.Create(" <>()\",;");

    /// <summary>The person, or <c>null</c> when <paramref name="text"/> is null, empty or white space.</summary>
    public static Person? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var s = CollapseWhiteSpace(text);

        // Name <email> and "Name" <email>; also <email> (Name).
        var open = s.IndexOf('<', StringComparison.Ordinal);
        var close = open < 0 ? -1 : s.IndexOf('>', open + 1);
        if (close > open)
        {
            var address = StripMailto(s.AsSpan(open + 1, close - open - 1).Trim());
            var name = Unquote(s.AsSpan(0, open).Trim());
            if (name.IsEmpty)
            {
                name = Unparenthesize(s.AsSpan(close + 1).Trim());
            }

            return ToPerson(name, address);
        }

        // email (Name), the RSS <author> form; also Name (email).
        if (s.EndsWith(')') && s.IndexOf('(', StringComparison.Ordinal) is var paren and > 0)
        {
            var before = StripMailto(s.AsSpan(0, paren).Trim());
            var inside = StripMailto(s.AsSpan(paren + 1, s.Length - paren - 2).Trim());
            if (IsEmail(before))
            {
                return new Person(NullIfEmpty(Unquote(inside)), before.ToString());
            }

            if (IsEmail(inside))
            {
                return new Person(NullIfEmpty(Unquote(before)), inside.ToString());
            }

            return new Person(s);
        }

        var whole = StripMailto(s.AsSpan());
        if (IsEmail(whole))
        {
            return new Person(null, whole.ToString());
        }

        var quoted = Unquote(s.AsSpan());
        return quoted.IsEmpty ? null : new Person(quoted.ToString());
    }

    private static Person? ToPerson(ReadOnlySpan<char> name, ReadOnlySpan<char> address)
    {
        var personName = NullIfEmpty(name);
        if (IsEmail(address))
        {
            return new Person(personName, address.ToString());
        }

        if (IsWebAddress(address))
        {
            return new Person(personName, null, Urls.UrlResolver.ResolveWebUrl(null, address.ToString()));
        }

        if (personName is null && address.IsEmpty)
        {
            return null;
        }

        // "Will <the editor>": not an address, keep what was written.
        return new Person(personName ?? address.ToString());
    }

    private static string CollapseWhiteSpace(string text)
    {
        var trimmed = text.AsSpan().Trim();
        var needsWork = trimmed.Length != text.Length;
        for (var i = 0; i < trimmed.Length && !needsWork; i++)
        {
            needsWork = char.IsWhiteSpace(trimmed[i]) && (trimmed[i] != ' ' || (i + 1 < trimmed.Length && char.IsWhiteSpace(trimmed[i + 1])));
        }

        if (!needsWork)
        {
            return text;
        }

        Span<char> buffer = trimmed.Length <= 256 ? stackalloc char[trimmed.Length] : new char[trimmed.Length];
        var length = 0;
        var inSpace = false;
        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c))
            {
                inSpace = true;
                continue;
            }

            if (inSpace)
            {
                buffer[length++] = ' ';
                inSpace = false;
            }

            buffer[length++] = c;
        }

        return new string(buffer[..length]);
    }

    private static ReadOnlySpan<char> StripMailto(ReadOnlySpan<char> s) =>
        s.StartsWith(MailtoPrefix, StringComparison.OrdinalIgnoreCase) ? s[MailtoPrefix.Length..].TrimStart() : s;

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> s)
    {
        while (s.Length >= 2 && ((s[0] == '"' && s[^1] == '"') || (s[0] == '\'' && s[^1] == '\'')))
        {
            s = s[1..^1].Trim();
        }

        return s;
    }

    private static ReadOnlySpan<char> Unparenthesize(ReadOnlySpan<char> s) =>
        s.Length >= 2 && s[0] == '(' && s[^1] == ')' ? Unquote(s[1..^1].Trim()) : Unquote(s);

    private static string? NullIfEmpty(ReadOnlySpan<char> s) => s.IsEmpty ? null : s.ToString();

    /// <summary>local@domain with no spaces, brackets or second '@': loose on purpose, feeds are not RFC 5322.</summary>
    private static bool IsEmail(ReadOnlySpan<char> s)
    {
        var at = s.IndexOf('@');
        return at > 0
            && at < s.Length - 1
            && s[(at + 1)..].IndexOf('@') < 0
            && s.IndexOfAny(NotInEmail) < 0;
    }

    private static bool IsWebAddress(ReadOnlySpan<char> s) =>
        (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && s.IndexOf(' ') < 0;
}
