using System.Buffers;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// Makes feed HTML safe to embed in our pages: an allowlist of blog-content elements and
/// attributes (HtmlSanitizer over AngleSharp), absolute URLs, no script, style, forms, plugins or
/// event handlers, iframes only from a few video hosts inside a sandbox, lazy images.
/// </summary>
/// <remarks>
/// Links keep no <c>target</c> and get <c>rel="noopener noreferrer"</c>. Elements outside the
/// allowlist are unwrapped (their text stays) except those whose content is code, styling, a form
/// or a plugin, which go with their content. <c>class</c>, <c>id</c> and <c>style</c> are dropped.
/// Audio and video get <c>controls</c> and <c>preload="none"</c>, never autoplay.
/// </remarks>
public static class ContentSanitizer
{
    private const string BodyPrefix = "<!doctype html><html><body>";

    // Scripting on, as in the browsers that will show the result: <noscript> content is text.
    private static readonly HtmlParser Parser = new(
        new HtmlParserOptions { IsScripting = true },
        BrowsingContext.New(Configuration.Default));

    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\r\0\u00A0");

    private static readonly string[] PlaceholderHints = ["placeholder", "blank.", "spacer.", "lazy", "loading.", "1x1", "pixel.", "transparent."];

    // HtmlSanitizer's Sanitize/SanitizeDom are documented thread-safe on a shared instance whose
    // configuration is set once (README "Thread safety"); it is built here from the policy and never changed.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>
    /// Whether tidy HTML goes through the one-pass <see cref="FastSanitizer"/> (on by default). Off,
    /// every fragment takes the full parser-based path: slower (the corpus parses at about half the
    /// speed), for ruling the fast path out when a page looks wrong. Set once at start.
    /// </summary>
    public static bool UseFastPath { get; set; } = true;

    /// <summary>Sanitized HTML fragment; relative URLs resolve against <paramref name="baseUri"/> when given.</summary>
    public static string Sanitize(string html, Uri? baseUri)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (html.Length == 0)
        {
            return string.Empty;
        }

        if (!html.Contains('<'))
        {
            return EscapeText(html);
        }

        // No nesting limit before the fast path: it keeps to a depth of 64 and gives up past it, so
        // only the fragments it gives up on need one (NestingLimit is a second scan of the whole
        // fragment: about a fifth of the sanitizing time on the large feeds of bench/parse.sh).
        return UseFastPath && FastSanitizer.TrySanitize(html, baseUri, out var tidy) ? tidy : SanitizeWithParser(html, baseUri);
    }

    /// <summary>The full path: parse into a DOM, apply the allowlist, serialize.</summary>
    internal static string SanitizeWithParser(string html, Uri? baseUri) => SanitizeNestingLimited(NestingLimit.Apply(html), baseUri);

    private static string SanitizeNestingLimited(string html, Uri? baseUri)
    {
        var baseUrl = baseUri is { IsAbsoluteUri: true } ? baseUri.AbsoluteUri : string.Empty;
        using var document = Parser.ParseDocument(string.Concat(BodyPrefix, html));
        var body = document.Body;
        if (body is null)
        {
            return string.Empty;
        }

        Prepare(body);
        Sanitizer.SanitizeDom(document, body, baseUrl);
        Finish(body);
        return HtmlSerializer.InnerHtml(body);
    }

    /// <summary>
    /// Text without markup, serialized as the HTML parser and serializer would: references
    /// decoded, then &amp; &lt; &gt; and no-break spaces escaped, line ends normalized, NULs dropped.
    /// </summary>
    private static string EscapeText(string text)
    {
        if (!text.AsSpan().ContainsAny(TextSpecials))
        {
            return text;
        }

        var decoded = new ValueStringBuilder(stackalloc char[512]);
        HtmlEntities.DecodeInto(text, 0, text.Length, ref decoded);
        var output = new ValueStringBuilder(stackalloc char[512]);
        var chars = decoded.AsSpan();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            switch (c)
            {
                case '&': output.Append("&amp;"); break;
                case '<': output.Append("&lt;"); break;
                case '>': output.Append("&gt;"); break;
                case '\u00A0': output.Append("&nbsp;"); break;
                case '\0': break;
                case '\r':
                    output.Append('\n');
                    if (i + 1 < chars.Length && chars[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                default: output.Append(c); break;
            }
        }

        decoded.Dispose();
        return output.ToString();
    }

    /// <summary>Before the allowlist: drop dangerous subtrees, promote lazy-loaded image sources.</summary>
    private static void Prepare(IElement body)
    {
        foreach (var element in body.QuerySelectorAll("*"))
        {
            var ns = element.NamespaceUri;
            if (SanitizerPolicy.DroppedWithContent.Contains(element.LocalName)
                || (ns != NamespaceNames.HtmlUri
                    && !(ns == NamespaceNames.SvgUri ? SanitizerPolicy.SvgElements.Contains(element.LocalName)
                        : ns == NamespaceNames.MathMlUri && SanitizerPolicy.MathElements.Contains(element.LocalName))))
            {
                element.Remove();
            }
            else if (element.LocalName == "img")
            {
                PromoteLazySource(element);
            }
        }
    }

    private static void PromoteLazySource(IElement image)
    {
        if (IsPlaceholder(image.GetAttribute("src")))
        {
            foreach (var name in SanitizerPolicy.LazySourceAttributes)
            {
                var value = image.GetAttribute(name);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    image.SetAttribute("src", value);
                    break;
                }
            }
        }

        if (string.IsNullOrWhiteSpace(image.GetAttribute("srcset")))
        {
            foreach (var name in SanitizerPolicy.LazySrcsetAttributes)
            {
                var value = image.GetAttribute(name);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    image.SetAttribute("srcset", value);
                    break;
                }
            }
        }
    }

    /// <summary>An image source that stands in for a lazily loaded one (empty, data:, a spacer).</summary>
    internal static bool IsPlaceholder(string? src)
    {
        if (string.IsNullOrWhiteSpace(src))
        {
            return true;
        }

        var value = src.AsSpan().Trim();
        if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var hint in PlaceholderHints)
        {
            if (value.Contains(hint, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>After the allowlist: attributes we add, iframes checked against the video hosts.</summary>
    private static void Finish(IElement body)
    {
        foreach (var element in body.QuerySelectorAll("img, a, iframe, video, audio"))
        {
            switch (element.LocalName)
            {
                case "img":
                    if (element.GetAttribute("src") is null && element.GetAttribute("srcset") is null)
                    {
                        element.Remove();
                        break;
                    }

                    element.SetAttribute("loading", "lazy");
                    element.SetAttribute("decoding", "async");
                    break;
                case "a":
                    if (element.HasAttribute("href"))
                    {
                        element.SetAttribute("rel", "noopener noreferrer");
                    }

                    break;
                case "iframe":
                    FinishFrame(element);
                    break;
                default:
                    element.SetAttribute("controls", string.Empty);
                    element.SetAttribute("preload", "none");
                    break;
            }
        }
    }

    private static void FinishFrame(IElement frame)
    {
        var source = VideoEmbeds.Allowed(frame.GetAttribute("src"));
        if (source is null)
        {
            frame.Remove();
            return;
        }

        frame.TextContent = string.Empty;
        frame.SetAttribute("src", source);
        frame.SetAttribute("sandbox", "allow-scripts allow-same-origin allow-presentation");
        frame.SetAttribute("allowfullscreen", string.Empty);
        frame.SetAttribute("loading", "lazy");
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true, AllowDataAttributes = false };
        Replace(sanitizer.AllowedTags, SanitizerPolicy.AllowedElements.Concat(SanitizerPolicy.SvgElements).Concat(SanitizerPolicy.MathElements));
        Replace(sanitizer.AllowedAttributes, SanitizerPolicy.AllowedAttributes.Concat(SanitizerPolicy.ForeignAttributes));
        Replace(sanitizer.AllowedSchemes, SanitizerPolicy.UrlSchemes);
        Replace(sanitizer.UriAttributes, SanitizerPolicy.UrlAttributes);
        Replace(sanitizer.UriListAttributes, SanitizerPolicy.UrlListAttributes);
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.AllowedAtRules.Clear();
        sanitizer.FilterUrl += static (_, e) =>
        {
            if (e.SanitizedUrl is { } url && IsDataUrl(url) && !IsAllowedDataImage(e.Tag, url))
            {
                e.SanitizedUrl = null;
            }
        };
        return sanitizer;
    }

    private static void Replace(ISet<string> target, IEnumerable<string> values)
    {
        target.Clear();
        target.UnionWith(values);
    }

    private static bool IsDataUrl(string url) => url.AsSpan().TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    /// <summary>data: URLs only as image sources, only raster types a browser cannot run script from.</summary>
    private static bool IsAllowedDataImage(IElement element, string url)
    {
        var isImageSource = element.LocalName == "img"
            || (element.LocalName == "source" && element.ParentElement?.LocalName == "picture");
        if (!isImageSource)
        {
            return false;
        }

        return SanitizerPolicy.IsAllowedDataImage(url);
    }
}
