using System.Collections.Frozen;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// What stored HTML may hold, in one place: the elements and attributes kept, the elements dropped
/// with their content, the URL schemes, the <c>data:</c> image types and the video players whose
/// iframes stay. Both engines apply it — <see cref="ContentSanitizer"/> (HtmlSanitizer over
/// AngleSharp) and its fast path (<see cref="FastSanitizer"/>) — and the web app's
/// Content-Security-Policy allows frames from <see cref="FrameSources"/>, so a player the sanitizer
/// keeps is one the browser shows.
/// </summary>
public static class SanitizerPolicy
{
    /// <summary>Elements kept (with their allowed attributes); any other is unwrapped, its text kept.</summary>
    public static FrozenSet<string> AllowedElements { get; } = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "wbr",
        "section", "article", "aside", "header", "footer", "address",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "pre", "code", "kbd", "samp", "var", "blockquote", "q", "cite", "dfn",
        "figure", "figcaption", "img", "picture", "source", "audio", "video", "track", "iframe",
        "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "time",
        "details", "summary", "ruby", "rt", "rp");

    /// <summary>Attributes kept on any allowed element. No class, id, style, event handler or data-*.</summary>
    public static FrozenSet<string> AllowedAttributes { get; } = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "href", "src", "srcset", "sizes", "media", "alt", "title", "width", "height",
        "colspan", "rowspan", "span", "scope", "datetime", "lang", "dir", "cite",
        "start", "type", "reversed", "value", "open",
        "controls", "poster", "loop", "muted", "playsinline", "kind", "srclang", "label");

    /// <summary>Removed with everything inside: their content is code, styling, a form or a plugin's fallback.</summary>
    public static FrozenSet<string> DroppedWithContent { get; } = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "script", "style", "noscript", "template", "title", "head", "meta", "link", "base",
        "form", "input", "button", "select", "option", "optgroup", "textarea", "datalist", "output", "fieldset",
        "object", "embed", "applet", "param", "frame", "frameset", "noframes", "noembed",
        "svg", "math", "canvas", "dialog", "portal", "slot", "xmp", "plaintext");

    /// <summary>Schemes a URL attribute may have; relative URLs are made absolute against the feed's base.</summary>
    public static IReadOnlyList<string> UrlSchemes { get; } = ["http", "https", "mailto", "data"];

    /// <summary>Attributes holding one URL, and the one holding a list of them.</summary>
    public static IReadOnlyList<string> UrlAttributes { get; } = ["href", "src", "cite", "poster"];
    public static IReadOnlyList<string> UrlListAttributes { get; } = ["srcset"];

    /// <summary><c>data:</c> URLs allowed as image sources only: raster types a browser cannot run script from.</summary>
    public static IReadOnlyList<string> DataImageTypes { get; } = ["image/png", "image/gif", "image/jpeg", "image/jpg", "image/webp"];

    /// <summary>Where a lazily loaded image keeps its real source, read when <c>src</c> is a placeholder.</summary>
    public static IReadOnlyList<string> LazySourceAttributes { get; } = ["data-src", "data-lazy-src", "data-original", "data-lazy"];
    public static IReadOnlyList<string> LazySrcsetAttributes { get; } = ["data-srcset", "data-lazy-srcset"];

    /// <summary>The video players whose iframes stay (host, path prefix), always rewritten to https.</summary>
    public static IReadOnlyList<(string Host, string PathPrefix)> EmbedPlayers { get; } =
    [
        ("www.youtube.com", "/embed/"),
        ("youtube.com", "/embed/"),
        ("www.youtube-nocookie.com", "/embed/"),
        ("youtube-nocookie.com", "/embed/"),
        ("player.vimeo.com", "/video/"),
        ("www.dailymotion.com", "/embed/"),
        ("player.bilibili.com", "/"),
    ];

    /// <summary>The CSP <c>frame-src</c> sources matching <see cref="EmbedPlayers"/>: "https://host" for each host.</summary>
    public static string FrameSources { get; } = string.Join(' ', EmbedPlayers.Select(p => "https://" + p.Host).Distinct());

    /// <summary>Whether a URL (leading spaces allowed) is a <c>data:</c> URL of an allowed image type: the type then ';' or ','.</summary>
    public static bool IsAllowedDataImage(ReadOnlySpan<char> url)
    {
        var value = url.TrimStart();
        if (!value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        value = value[5..];
        foreach (var type in DataImageTypes)
        {
            if (value.StartsWith(type, StringComparison.OrdinalIgnoreCase) && value.Length > type.Length && value[type.Length] is ';' or ',')
            {
                return true;
            }
        }
        return false;
    }
}
