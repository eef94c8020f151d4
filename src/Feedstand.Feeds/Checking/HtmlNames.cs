using System.Collections.Frozen;
using AngleSharp.Html;
using AngleSharp.Common;

namespace Feedstand.Feeds.Checking;

/// <summary>Names the HTML checks know: elements, the unsafe ones, safe CSS.</summary>
internal static class HtmlNames
{
    private static readonly FrozenSet<string> Elements = FrozenSet.Create(StringComparer.Ordinal,
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "body", "br",
        "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn",
        "dialog", "dir", "div", "dl", "dt", "em", "fieldset", "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "img", "input", "ins", "kbd", "label", "legend", "li", "main", "map",
        "mark", "menu", "meter", "nav", "noscript", "ol", "optgroup", "option", "output", "p", "picture", "pre", "progress", "q", "rp", "rt",
        "ruby", "s", "samp", "section", "select", "small", "source", "span", "strike", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
        "nobr", "abbr", "xmp", "listing", "plaintext", "marquee", "blink", "multicol", "spacer", "basefont", "noembed", "noframes", "nolayer",
        "script", "style", "embed", "object", "applet", "iframe", "frame", "frameset", "meta", "link", "base", "param", "svg", "math", "layer", "ilayer");

    /// <summary>Elements readers remove for safety (the validator's <c>SecurityRisk</c>).</summary>
    private static readonly FrozenSet<string> Unsafe = FrozenSet.Create(StringComparer.Ordinal,
        "script", "embed", "object", "applet", "iframe", "frame", "frameset", "meta", "link", "base", "style", "blink", "layer", "ilayer",
        "noscript", "param", "form", "input", "button", "select", "textarea");

    private static readonly FrozenSet<string> SafeCssProperties = FrozenSet.Create(StringComparer.Ordinal,
        "azimuth", "background-color", "border-bottom-color", "border-collapse", "border-color", "border-left-color", "border-right-color",
        "border-top-color", "clear", "color", "cursor", "direction", "display", "elevation", "float", "font", "font-family", "font-size",
        "font-style", "font-variant", "font-weight", "height", "letter-spacing", "line-height", "overflow", "pause", "pause-after",
        "pause-before", "pitch", "pitch-range", "richness", "speak", "speak-header", "speak-numeral", "speak-punctuation", "speech-rate",
        "stress", "text-align", "text-decoration", "text-indent", "unicode-bidi", "vertical-align", "voice-family", "volume", "white-space", "width");

    private static readonly FrozenSet<string> SafeCssKeywords = FrozenSet.Create(StringComparer.Ordinal,
        "auto", "aqua", "black", "block", "blue", "bold", "both", "bottom", "brown", "center", "collapse", "dashed", "dotted", "fuchsia",
        "gray", "green", "!important", "italic", "left", "lime", "maroon", "medium", "none", "navy", "normal", "nowrap", "olive", "pointer",
        "purple", "red", "right", "solid", "silver", "teal", "top", "transparent", "underline", "white", "yellow");

    public static bool IsElement(string lowerName) => Elements.Contains(lowerName);

    public static bool IsUnsafe(string lowerName) => Unsafe.Contains(lowerName);

    public static bool IsEntity(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        var resolver = HtmlEntityProvider.ResolverExtended;
        return !string.IsNullOrEmpty(resolver.GetSymbol(new StringOrMemory(name + ";")))
            || !string.IsNullOrEmpty(resolver.GetSymbol(new StringOrMemory(name)));
    }

    /// <summary>A style attribute a careful reader keeps: known-safe properties and plain values only.</summary>
    public static bool IsSafeStyle(string style)
    {
        foreach (var c in style)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is ':' or ',' or ';' or '#' or '%' or '.' or '!' or '-' or '_' or '\'' or '"' or '(' or ')' || char.IsWhiteSpace(c)))
            {
                return false;
            }
        }
        foreach (var declaration in style.Split(';'))
        {
            if (string.IsNullOrWhiteSpace(declaration))
            {
                continue;
            }
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || declaration.IndexOf(':', colon + 1) >= 0)
            {
                return false;
            }
            var property = declaration[..colon].Trim().ToLowerInvariant();
            var value = declaration[(colon + 1)..].Trim();
            if (value.Contains("expression", StringComparison.OrdinalIgnoreCase) || value.Contains("url(", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            if (SafeCssProperties.Contains(property))
            {
                continue;
            }
            var family = property.Split('-')[0];
            if (family is not ("background" or "border" or "margin" or "padding"))
            {
                return false;
            }
            foreach (var keyword in value.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!SafeCssKeywords.Contains(keyword.ToLowerInvariant()) && !IsCssValue(keyword))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static bool IsCssValue(string value)
    {
        var v = value.ToLowerInvariant();
        if (v.StartsWith('#'))
        {
            return v.Length > 1 && v[1..].All(Uri.IsHexDigit);
        }
        if (v.StartsWith("rgb(", StringComparison.Ordinal))
        {
            return v.Skip(4).All(c => char.IsAsciiDigit(c) || c is '%' or ',' or ')');
        }
        var i = 0;
        var digits = 0;
        while (i < v.Length && char.IsAsciiDigit(v[i]) && digits < 2) { i++; digits++; }
        if (i < v.Length && v[i] == '.') { i++; }
        digits = 0;
        while (i < v.Length && char.IsAsciiDigit(v[i]) && digits < 2) { i++; digits++; }
        var unit = v[i..];
        return unit is "" or "cm" or "em" or "ex" or "in" or "mm" or "pc" or "pt" or "px" or "%" or "," or ")";
    }
}
