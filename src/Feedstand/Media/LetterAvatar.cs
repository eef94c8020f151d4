using System.Globalization;
using System.Text;

namespace Feedstand.Media;

/// <summary>
/// The icon of a feed that has none: the first letter (or first CJK character) of its name, white on a
/// colour picked from the name, as a small SVG served by the app (no inline style in any page).
/// </summary>
public static class LetterAvatar
{
    /// <summary>Twelve colours dark enough for white text (contrast at least 4.5:1).</summary>
    private static readonly string[] Colours =
    [
        "#b91c1c", "#c2410c", "#a16207", "#4d7c0f", "#15803d", "#0f766e",
        "#0e7490", "#1d4ed8", "#4338ca", "#7e22ce", "#a21caf", "#be185d",
    ];

    /// <summary>The first letter or digit of the name, upper-cased; "?" when it has none.</summary>
    public static string LetterOf(string? name)
    {
        foreach (var rune in (name ?? "").EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                return Rune.ToUpperInvariant(rune).ToString();
            }
        }
        return "?";
    }

    /// <summary>The same name always gets the same colour (FNV-1a of its characters).</summary>
    public static string ColourOf(string? name)
    {
        var hash = 2166136261u;
        foreach (var c in name ?? "")
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }
        return Colours[hash % (uint)Colours.Length];
    }

    /// <summary>The avatar as SVG; the letter is a letter or digit (or "?"), so it needs no escaping.</summary>
    public static string Svg(string? name) => string.Create(CultureInfo.InvariantCulture,
        $"""<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="{ColourOf(name)}"/><text x="32" y="32" dy=".35em" text-anchor="middle" font-family="system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" font-size="34" font-weight="600" fill="#fff">{LetterOf(name)}</text></svg>""");
}
