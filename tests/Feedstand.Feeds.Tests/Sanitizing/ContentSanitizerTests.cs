using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Feedstand.Feeds.Sanitizing;

namespace Feedstand.Feeds.Tests.Sanitizing;

public class ContentSanitizerTests
{
    private static readonly Uri Base = new("https://example.com/blog/post/");

    private static readonly string[] ForbiddenElements =
    [
        "script", "style", "link", "meta", "base", "form", "input", "button", "object", "embed",
        "frame", "frameset", "template", "noscript", "textarea", "select",
        // Inline SVG and MathML stay, but none of their scripting, linking or embedding parts.
        "foreignObject", "animate", "set", "use", "image", "annotation-xml", "maction",
    ];

    public static TheoryData<string, string, string> Cases => new()
    {
        // name, input, expected output
        { "paragraph kept", "<p>Hello <b>world</b></p>", "<p>Hello <b>world</b></p>" },
        { "script dropped with its content", "<p>a</p><script>alert(1)</script><p>b</p>", "<p>a</p><p>b</p>" },
        { "script in attribute-less case", "<SCRIPT SRC=//evil.js></SCRIPT>x", "x" },
        { "img onerror removed", "<img src=x onerror=alert(1)>", """<img src="https://example.com/blog/post/x" loading="lazy" decoding="async">""" },
        { "javascript href removed", """<a href="javascript:alert(1)">x</a>""", "<a>x</a>" },
        { "mixed-case javascript href removed", """<a href="JaVaScRiPt:alert(1)">x</a>""", "<a>x</a>" },
        { "entity-encoded colon in javascript href removed", """<a href="javascript&#58;alert(1)">x</a>""", "<a>x</a>" },
        { "hex entity javascript href removed", """<a href="&#x6A;avascript:alert(1)">x</a>""", "<a>x</a>" },
        { "javascript href with tab removed", "<a href=\"java\tscript:alert(1)\">x</a>", "<a>x</a>" },
        { "vbscript href removed", """<a href="vbscript:msgbox(1)">x</a>""", "<a>x</a>" },
        { "data href removed", """<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>""", "<a>x</a>" },
        { "svg kept without its onload", "<svg onload=alert(1)><circle r=1 /></svg>after", "<svg><circle r=\"1\"></circle></svg>after" },
        { "math kept without its link", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>y", "<math><mi>x</mi></math>y" },
        { "style element dropped", "<style>body{display:none}</style><p>t</p>", "<p>t</p>" },
        { "style attribute dropped", """<p style="position:fixed;top:0">t</p>""", "<p>t</p>" },
        { "class and id dropped", """<p class="x" id="y">t</p>""", "<p>t</p>" },
        { "unknown iframe dropped", """<iframe src="https://evil.example/"></iframe>ok""", "ok" },
        { "iframe over javascript dropped", """<iframe src="javascript:alert(1)"></iframe>ok""", "ok" },
        {
            "youtube iframe kept in a sandbox",
            """<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315" allow="autoplay" onload="x()"></iframe>""",
            """<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315" sandbox="allow-scripts allow-same-origin allow-presentation" allowfullscreen="" loading="lazy"></iframe>"""
        },
        {
            "protocol-relative vimeo iframe upgraded to https",
            """<iframe src="//player.vimeo.com/video/42"></iframe>""",
            """<iframe src="https://player.vimeo.com/video/42" sandbox="allow-scripts allow-same-origin allow-presentation" allowfullscreen="" loading="lazy"></iframe>"""
        },
        { "youtube page that is not an embed dropped", """<iframe src="https://www.youtube.com/watch?v=abc"></iframe>""", "" },
        { "form dropped with its content", """<form action="/x"><input name="a"><p>in form</p><button>go</button></form>after""", "after" },
        { "object and embed dropped", """<object data="x.swf"><embed src="x.swf"></object>ok""", "ok" },
        { "relative img resolved", """<img src="../pic.png" alt="A picture">""", """<img src="https://example.com/blog/pic.png" alt="A picture" loading="lazy" decoding="async">""" },
        {
            "srcset candidates resolved",
            """<img src="/a.png" srcset="/a-2x.png 2x, a-3x.png 3x">""",
            """<img src="https://example.com/a.png" srcset="https://example.com/a-2x.png 2x, https://example.com/blog/post/a-3x.png 3x" loading="lazy" decoding="async">"""
        },
        { "data png image allowed", """<img src="data:image/png;base64,iVBORw0KGgo=">""", """<img src="data:image/png;base64,iVBORw0KGgo=" loading="lazy" decoding="async">""" },
        { "data svg image dropped", """<img src="data:image/svg+xml;base64,PHN2Zz4=">x""", "x" },
        { "data html image dropped", """<img src="data:text/html,hello">x""", "x" },
        { "lazy data-src promoted over a placeholder", """<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg" alt="r">""", """<img src="https://example.com/real.jpg" alt="r" loading="lazy" decoding="async">""" },
        { "lazy data-lazy-src promoted when src missing", """<img data-lazy-src="real.jpg">""", """<img src="https://example.com/blog/post/real.jpg" loading="lazy" decoding="async">""" },
        { "lazy data-original promoted over placeholder file", """<img src="/img/placeholder.gif" data-original="/real.jpg">""", """<img src="https://example.com/real.jpg" loading="lazy" decoding="async">""" },
        { "real src not replaced by data-src", """<img src="/real.jpg" data-src="/other.jpg">""", """<img src="https://example.com/real.jpg" loading="lazy" decoding="async">""" },
        { "relative link resolved and rel added", """<a href="/about" target="_blank">About</a>""", """<a href="https://example.com/about" rel="noopener noreferrer">About</a>""" },
        { "mailto link kept", """<a href="mailto:me@example.com">mail</a>""", """<a href="mailto:me@example.com" rel="noopener noreferrer">mail</a>""" },
        { "fragment link resolved", """<a href="#note-1">1</a>""", """<a href="https://example.com/blog/post/#note-1" rel="noopener noreferrer">1</a>""" },
        { "code and pre kept verbatim", "<pre><code>if (a &lt; b) {\n  x();\n}</code></pre>", "<pre><code>if (a &lt; b) {\n  x();\n}</code></pre>" },
        { "table kept", "<table><thead><tr><th colspan=\"2\">H</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>", "<table><thead><tr><th colspan=\"2\">H</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>" },
        { "comments dropped", "<p>a<!-- secret --></p><!--[if IE]><script>x</script><![endif]-->", "<p>a</p>" },
        { "base element dropped", """<base href="https://evil.example/"><a href="x">x</a>""", """<a href="https://example.com/blog/post/x" rel="noopener noreferrer">x</a>""" },
        { "meta refresh dropped", """<meta http-equiv="refresh" content="0;url=https://evil.example/">ok""", "ok" },
        { "link stylesheet dropped", """<link rel="stylesheet" href="https://evil.example/x.css">ok""", "ok" },
        { "unknown wrapper unwrapped, text kept", """<font color="red">red</font> <center>mid</center>""", "red mid" },
        { "blockquote cite made absolute", """<blockquote cite="/source">q</blockquote>""", """<blockquote cite="https://example.com/source">q</blockquote>""" },
        { "video gets controls, loses autoplay", """<video src="v.mp4" autoplay poster="p.jpg"></video>""", """<video src="https://example.com/blog/post/v.mp4" poster="https://example.com/blog/post/p.jpg" controls="" preload="none"></video>""" },
        { "figure with caption kept", "<figure><img src=\"/a.png\" alt=\"a\"><figcaption>Cap</figcaption></figure>", "<figure><img src=\"https://example.com/a.png\" alt=\"a\" loading=\"lazy\" decoding=\"async\"><figcaption>Cap</figcaption></figure>" },
        { "lists and headings kept", "<h2>T</h2><ol start=\"3\" reversed><li>x</li></ol><ul><li>y</li></ul>", "<h2>T</h2><ol start=\"3\" reversed=\"\"><li>x</li></ol><ul><li>y</li></ul>" },
        { "time and abbr keep their attributes", """<time datetime="2025-01-02">Jan 2</time> <abbr title="HyperText">HTML</abbr>""", """<time datetime="2025-01-02">Jan 2</time> <abbr title="HyperText">HTML</abbr>""" },
        { "details kept", "<details open><summary>More</summary>x</details>", "<details open=\"\"><summary>More</summary>x</details>" },
        { "event handlers on allowed tags removed", """<p onclick="x()" onmouseover="y()">t</p>""", "<p>t</p>" },
        { "noscript dropped", "<noscript><img src=\"/tracker.gif\"></noscript>t", "t" },
        { "plain text escaped", "Tom & Jerry > cats", "Tom &amp; Jerry &gt; cats" },
        { "plain text entities decoded then escaped", "it&rsquo;s &lt;b&gt; &amp; more&hellip;", "it’s &lt;b&gt; &amp; more…" },
        { "plain text unchanged when nothing to escape", "Just words.", "Just words." },
        { "empty stays empty", "", "" },
        { "unclosed tags closed", "<p><b>bold", "<p><b>bold</b></p>" },
        { "textarea breakout dropped", "<textarea></textarea><script>alert(1)</script>ok", "ok" },
        { "title breakout dropped", "<title></title><img src=x onerror=alert(1)>", """<img src="https://example.com/blog/post/x" loading="lazy" decoding="async">""" },
        // Untidy shapes the fast path follows; hostile content inside them goes as on the full path.
        { "whole document in a description", """<html><head><title>T</title><script>alert(1)</script></head><body onload=alert(1)><p>x</p></body></html>""", "<p>x</p>" },
        { "svg kept, the script inside dropped", "<svg><script>alert(1)</script></svg>ok", "<svg></svg>ok" },
        { "unquoted javascript href removed", "<a href=javascript:alert(1)>x</a>", "<a>x</a>" },
        { "unquoted entity-encoded javascript href removed", "<a href=&#106;avascript:alert(1)>x</a>", "<a>x</a>" },
        { "handler glued to a quoted attribute removed", """<img src="x.png"onerror="alert(1)">""", """<img src="https://example.com/blog/post/x.png" loading="lazy" decoding="async">""" },
        { "iframe content dropped with the iframe", """<iframe src="https://evil.example/"><script>alert(1)</script></iframe>ok""", "ok" },
        { "noscript ends at its end tag inside an attribute", """<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>""", """<img src="https://example.com/blog/post/x" loading="lazy" decoding="async">"&gt;""" },
        { "stray end tags ignored", "<div></span><script>alert(1)</script>x</div>", "<div>x</div>" },
        { "stray paragraph end makes an empty paragraph", "<p>one</p></p>two", "<p>one</p><p></p>two" },
        { "formatting reopened after a paragraph, without its handler", """<p><b onclick="alert(1)">x</p>y""", "<p><b>x</b></p><b>y</b>" },
        { "lazy image whose real source is javascript dropped", """<img data-src="javascript:alert(1)" src="placeholder.gif">""", "" },
        { "left-out table parts inserted", "<table><td>x</td></table>", "<table><tbody><tr><td>x</td></tr></tbody></table>" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Sanitizes(string name, string input, string expected)
    {
        var output = ContentSanitizer.Sanitize(input, Base);
        Assert.True(expected == output, $"{name}: expected\n{expected}\nbut got\n{output}");
        AssertSafe(output);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Output_is_safe_without_a_base_url(string name, string input, string expected)
    {
        _ = expected;
        var output = ContentSanitizer.Sanitize(input, baseUri: null);
        AssertSafe(output);
        Assert.DoesNotContain("example.com", output.Replace("me@example.com", "", StringComparison.Ordinal), StringComparison.Ordinal);
        _ = name;
    }

    [Fact]
    public void Relative_urls_stay_relative_without_a_base_url()
    {
        var output = ContentSanitizer.Sanitize("""<a href="/about">a</a><img src="x.png">""", baseUri: null);
        var body = Parse(output);
        Assert.Equal("/about", body.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("x.png", body.QuerySelector("img")!.GetAttribute("src"));
    }

    [Fact]
    public void Sanitized_output_is_stable_when_sanitized_again()
    {
        const string Input = """<p>x <a href="/a">a</a> <img src="/i.png" alt="i"></p><iframe src="https://www.youtube.com/embed/x"></iframe>""";
        var once = ContentSanitizer.Sanitize(Input, Base);
        Assert.Equal(once, ContentSanitizer.Sanitize(once, Base));
    }

    [Fact]
    public void Concurrent_use_gives_the_same_result()
    {
        const string Input = """<p onclick="x">Hello <a href="/a">a</a><script>bad()</script></p>""";
        var expected = ContentSanitizer.Sanitize(Input, Base);
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = ContentSanitizer.Sanitize(Input, Base));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Deeply_nested_markup_does_not_crash()
    {
        var input = string.Concat(Enumerable.Repeat("<div>", 5000)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 5000));
        var output = ContentSanitizer.Sanitize(input, Base);
        Assert.Contains("deep", output, StringComparison.Ordinal);
        AssertSafe(output);
    }

    private static IElement Parse(string fragment)
    {
        var document = new HtmlParser().ParseDocument("<!doctype html><html><body>" + fragment);
        return document.Body!;
    }

    private static void AssertSafe(string output)
    {
        var body = Parse(output);
        foreach (var element in body.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, ForbiddenElements);
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name} kept");
                Assert.NotEqual("style", attribute.Name);
                Assert.NotEqual("class", attribute.Name);
                Assert.NotEqual("id", attribute.Name);
                var value = attribute.Value.Trim();
                Assert.False(value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase), $"javascript: URL in {attribute.Name}");
                Assert.False(value.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase), $"vbscript: URL in {attribute.Name}");
            }

            if (element.LocalName == "iframe")
            {
                Assert.StartsWith("https://", element.GetAttribute("src"), StringComparison.Ordinal);
                Assert.NotNull(element.GetAttribute("sandbox"));
            }

            if (element.LocalName == "a" && element.HasAttribute("href"))
            {
                Assert.Equal("noopener noreferrer", element.GetAttribute("rel"));
                Assert.False(element.HasAttribute("target"));
                Assert.False(element.GetAttribute("href")!.StartsWith("data:", StringComparison.OrdinalIgnoreCase));
            }

            if (element.LocalName == "img" && element.GetAttribute("src") is { } src && src.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                Assert.StartsWith("data:image/png", src, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
