using System.Collections.Concurrent;
using System.Globalization;
using Feedstand.Data;

namespace Feedstand.Web;

/// <summary>
/// Feeds name their language in many spellings ("en", "en-US", "EN", "zh_CN", "zh-Hans"). The
/// directory lists and filters languages by the primary subtag in lower case ("en", "zh"); the
/// stored value stays as the feed (or the admin) gave it.
/// </summary>
public static class LanguageCodes
{
    private const int MaxCachedNames = 1000;
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    /// <summary>"en-US" → en, "zh_CN" → zh, "EN" → en; null for an empty value or one whose first part is not 2–8 letters.</summary>
    public static string? Primary(string? tag)
    {
        if (tag is null)
        {
            return null;
        }
        var span = tag.AsSpan().Trim();
        var end = span.IndexOfAny('-', '_');
        var primary = end < 0 ? span : span[..end];
        if (primary.Length is < 2 or > 8 || !char.IsAsciiLetter(primary[0]) || primary.ContainsAnyExcept(AsciiLetters))
        {
            return null;
        }
        return primary.ToString().ToLowerInvariant();
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>The language's own name for itself ("English", "中文", "Deutsch"), or the code when .NET does not know it.</summary>
    public static string DisplayName(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (Names.TryGetValue(code, out var cached))
        {
            return cached;
        }
        var name = LookUpName(code);
        if (Names.Count < MaxCachedNames)
        {
            Names.TryAdd(code, name);
        }
        return name;
    }

    private static string LookUpName(string code)
    {
        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(code);
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
        var name = culture.NativeName;
        if (culture.Equals(CultureInfo.InvariantCulture) || string.IsNullOrEmpty(name)
            || string.Equals(name, code, StringComparison.OrdinalIgnoreCase))
        {
            // An unknown code comes back as its own name.
            return code;
        }
        return culture.TextInfo.ToUpper(name[0]) + name[1..];
    }

    /// <summary>Feeds whose language has the primary subtag <paramref name="code"/> (already from <see cref="Primary"/>).</summary>
    public static IQueryable<Feed> WhereLanguage(this IQueryable<Feed> feeds, string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var dash = code + "-";
        var underscore = code + "_";
        // SQL, not .NET: ToLower() becomes lower() on both databases, and StartsWith a LIKE with
        // the pattern escaped; the culture-aware overloads the analyzers ask for do not translate.
#pragma warning disable CA1304, CA1311, CA1862
        return feeds.Where(f => f.Language!.Trim().ToLower() == code
            || f.Language!.Trim().ToLower().StartsWith(dash)
            || f.Language!.Trim().ToLower().StartsWith(underscore));
#pragma warning restore CA1304, CA1311, CA1862
    }

    /// <summary>The primary subtag of a filter from a query string; a value that is no language code stays as given (and matches nothing).</summary>
    public static string? Filter(string? lang) =>
        string.IsNullOrWhiteSpace(lang) ? null : Primary(lang) ?? lang.Trim().ToLowerInvariant();
}
