using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Feedstand.Feeds.Sanitizing;

namespace Feedstand.Feeds.Tests.Sanitizing;

/// <summary>
/// The fast path must agree with the full parser-based sanitizer wherever it accepts its input,
/// and give up on everything it does not fully understand.
/// </summary>
public partial class FastSanitizerTests
{
    private static readonly Uri Base = new("https://example.org/posts/1/");
    private static readonly HtmlParser Parser = new();

    public static TheoryData<string> TidyHtml => new()
    {
        "<p>Hello <a href=\"/about\">about</a> &amp; <em>more</em>&hellip;</p>",
        "<ul><li>one</li><li>two <code>x &lt; y</code></li></ul>",
        "<figure><img src=\"a.png\" alt=\"A diagram\" width=\"800\" height=\"450\"/><figcaption>Caption</figcaption></figure>",
        "<table><thead><tr><th>name</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        "<pre><code>if (a &lt; b) { return; }\n</code></pre>",
        "<p>a <span title=\"t\" class=\"x\" style=\"color:red\" onclick=\"alert(1)\">b</span></p>",
        "<blockquote cite=\"//example.com/q\"><p>quote</p></blockquote><hr><p>x</p>",
        "<p><iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" allowfullscreen></iframe></p>",
        "<h2 id=\"x\">Heading</h2><ol start=\"3\"><li>c</li></ol>",
        "<p><img srcset=\"a.png 1x, b.png 2x\" src=\"a.png\" alt=\"\"></p>",
        "<p>a</p><script>alert('</p>')</script><p>b</p>",
        "<style>p { position: fixed }</style><p>x</p>",
        "<p>unclosed paragraph",
        "<p>one<p>two<ul><li>a<li>b</ul>",
        "<table><tr><td>a<td>b<tr><td>c</table>",
        "<dl><dt>term<dd>definition</dl>",
        "<p><font color=\"red\">unwrapped</font> <tt>tt</tt> <img src=\"x.png\" alt=\"x\"></img></p>",
    };

    [Theory, MemberData(nameof(TidyHtml))]
    public void Tidy_html_takes_the_fast_path_and_matches_the_full_sanitizer(string html)
    {
        Assert.True(FastSanitizer.TrySanitize(html, Base, out var fast));
        AssertSafe(fast);
        AssertSameDocument(ContentSanitizer.SanitizeWithParser(html, Base), fast);
    }

    /// <summary>Untidy HTML the fast path follows as the HTML tree builder does.</summary>
    public static TheoryData<string> UntidyHtmlItFollows => new()
    {
        "<div><p>a</div>",
        "<p><div>block in paragraph</div></p>",
        "<li>item without list</li>",
        "<p>x</q>",
        "Medscape</i> News",
        "<p>one</p></p><p>two</p>",
        "line<br>one</br>two",
        "<p>a <span>b</p> c",
        "<ul><li><span>a<li>b</ul>",
        "<blockquote><span>x</blockquote>y",
        "<span><div>block in inline</div></span>",
        "<a href=\"/x\"><h2>heading in a link</h2></a>",
        "<h2>a<h3>b</h3>",
        "<dl><dt>a<dd>b<dt>c</dl>",
        "<html><head><title>T</title><meta charset=\"utf-8\"><style>p{}</style></head><body><p>x</p></body></html>",
        "<!DOCTYPE html><p>x</p>",
        "<?xml version=\"1.0\"?><p>x</p>",
        "<p class=lp>unquoted <a href=/about title=x>about</a></p>",
        "<img alt=\"say \"hi\" now\" src=\"a.png\">",
        "<img class=\"thumb\" data-src=\"real.jpg\" src=\"placeholder.gif\" alt=\"r\">",
        "<img data-srcset=\"a.png 1x, b.png 2x\" src=\"a.png\">",
        "<iframe src=\"https://evil.example/\">fallback text</iframe>ok",
        "<span><iframe src=\"https://www.youtube.com/embed/abc\"></iframe></span>",
        "<article-nav></article-nav><p>custom</p>",
        "<noscript><img src=\"x.png\"></noscript>after",
        "<a href=\"?a=1&copy=2&amp;b=3\">legacy reference in a URL</a>",
        "<p><a href=\"/x\" title='it\"s'>q</a>",
        // Hostile input in the newly followed shapes.
        "<html><head><script>alert(1)</script></head><body onload=alert(1)><p>x</p></body></html>",
        "<a href=javascript:alert(1)>x</a>",
        "<a href=&#106;avascript:alert(1)>x</a>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"x.png\"onerror=\"alert(1)\">",
        "<iframe src=\"https://evil.example/\"><script>alert(1)</script></iframe>ok",
        "<title><script>alert(1)</script></title>ok",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<div></span><script>alert(1)</script>x</div>",
        "<script>a</scriptx><img src=x onerror=alert(1)></script>ok",
        "<iframe src=\"https://www.youtube.com/embed/x\" width=320>unclosed <script>alert(1)</script>",
        // Formatting elements closed by a block and reopened before the next text.
        "<p>a<a class=anchor href=\"#x\"><h2 id=\"x\">Title</h2></a>\n\n<p>next",
        "<p><b>x<div>y</div></b>",
        "<b><i>x</b>y</i>",
        "<p><b>bold<p>still bold</b> not",
        "<span><b>x</span>y",
        "<p><a href=\"/1\">x<div>y</div></a>",
        "<p><em>x</p><img src=\"a.png\" onerror=\"alert(1)\">",
        "<p><b onclick=\"alert(1)\">x</p>y",
        // Table parts left out, cells closing what is inside them.
        "<table><tr><td><b>x</td><td>y</td></tr></table>",
        "<table><tr><td><p><b>x</p></td></tr></table>after",
        "<table><tbody><tr><td>a</td></tr>\n<th>h</th></tbody></table>",
        "<table><td>x</td></table>",
        "<table><tr><td>a<tr><td>b</table>",
        "<table><caption>c<td>x</table>",
        "<table><colgroup><col width=\"25%\"></col><col width=\"75%\"></col></colgroup><tbody><tr><td>a</td></tr></tbody></table>",
        "<table>\n<colgroup>\n<col class=\"x\" />\n<col span=\"2\" />\n</colgroup>\n<thead>\n<tr><th>h</th></tr></thead></table>",
        "<table><col width=\"50%\"><tr><td>x</td></tr></table>",
        "<table><tr><td>x<col></table>",
        "<table><colgroup><head><col></table>",
        // A line break starting a <pre>: dropped right after the tag, kept (and written twice) after anything else.
        "<pre>\nx</pre>",
        "<pre>\n\nx</pre>",
        "<pre></em>\nx</pre>",
        "<p><i><pre>\n</sub><dt>",
        // Up to three of the same formatting element are reopened.
        "<p><strong>a <strong>b <strong>c</strong></strong></strong></p>",
        "<p><b>1<b>2<b>3</p>x",
        // Lists holding more than list items.
        "<ul>\n<ul><li>x</ul></ul>",
        "<ul><br><li>a<br><li>b</ul>",
        "<dl><dt><strong>t</strong></dt><div>x</div></dl>",
        "<ol type=\"a\" start=\"3\"><li value=\"7\">one</li></ol>",
    };

    [Theory, MemberData(nameof(UntidyHtmlItFollows))]
    public void Untidy_html_it_follows_takes_the_fast_path_and_matches_the_full_sanitizer(string html)
    {
        Assert.True(FastSanitizer.TrySanitize(html, Base, out var fast));
        AssertSafe(fast);
        Assert.Equal(ContentSanitizer.SanitizeWithParser(html, Base), fast);
    }

    /// <summary>Plain inline MathML and SVG, as formulas and icons are generated.</summary>
    public static TheoryData<string> ForeignContentItFollows => new()
    {
        "<p>a <math><mi>x</mi><mo>=</mo><mspace width=\"1em\"/><mn>2</mn></math> b</p>",
        "<p>x<math><mi>n</mi><annotation encoding=\"application/x-tex\">n</annotation></math>y</p>",
        "<math><semantics><mrow><mi>x</mi></mrow><annotation encoding=\"application/x-tex\">x^2 &amp; y</annotation></semantics></math>",
        "<math><mtable><mtr><mtd><mi>a</mi></mtd></mtr></mtable></math>",
        "<math><mi>x</mi><!-- c --><mi>&lt;</mi></math>",
        "<math><MI>x</MI></math>",
        "<math><mrow/><mi>x</mi></math>",
        "<math><mi>x</mi></math><math display=\"block\"><mfrac><mn>1</mn><mn>2</mn></mfrac></math>",
        "<math><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow></math>",
        "<math><mi>x</mi> y&nbsp;z</math>",
        "<table><tr><td><math><mi>x</mi></math></td></tr></table>",
        "<svg viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\" class=\"icon\"><path d=\"M0 0L10 10\" fill=\"none\"/><circle cx=\"5\" cy=\"5\" r=\"2\"></circle></svg>",
        "<p>x <svg width=\"10\" height=\"10\"><linearGradient id=\"g\" gradientUnits=\"userSpaceOnUse\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient><rect width=\"10\" height=\"10\" fill=\"url(#g)\"/></svg> y</p>",
        "<svg><desc>hello</desc><text x=\"1\">a &amp; b &lt; c</text></svg>",
        "<svg viewbox=\"0 0 1 1\" VIEWBOX=\"2\"><g transform=\"scale(2)\"><Path D=\"M0 0\"/></g></svg>",
        "<b>bold<svg><path d=\"M0\"/></svg>after</b>",
        "<p><b>x</p><svg></svg>",
        "<svg onload=\"alert(1)\"><rect onclick=\"x\" width=\"1\"/></svg>",
        "<svg><text>a<tspan>b</tspan></text></svg>",
        "<svg><clipPath id=\"c\"><rect/></clipPath><mask><rect/></mask></svg>",
    };

    /// <summary>MathML or SVG at the fast path's depth limit, also when reopening a formatting element fills the stack: it gives up, never throws.</summary>
    [Theory]
    [InlineData(61, "<p><b>x</p><div><div><math><mi>y</mi></math>")]
    [InlineData(62, "<math><mi>y</mi></math>")]
    [InlineData(63, "<svg><g><path/></g></svg>")]
    [InlineData(64, "<math><mi>y</mi></math>")]
    public void Foreign_content_at_the_depth_limit_takes_the_full_path(int divs, string tail)
    {
        var html = string.Concat(Enumerable.Repeat("<div>", divs)) + tail;
        var accepted = FastSanitizer.TrySanitize(html, Base, out var fast);
        var full = ContentSanitizer.SanitizeWithParser(html, Base);
        if (accepted)
        {
            AssertSafe(fast);
            Assert.Equal(full, fast);
        }
        Assert.Contains(tail.Contains("<svg", StringComparison.Ordinal) ? "<path>" : "<mi>y</mi>", ContentSanitizer.Sanitize(html, Base), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(ForeignContentItFollows))]
    public void Plain_inline_mathml_and_svg_take_the_fast_path_and_match_the_full_sanitizer(string html)
    {
        Assert.True(FastSanitizer.TrySanitize(html, Base, out var fast));
        AssertSafe(fast);
        Assert.Equal(ContentSanitizer.SanitizeWithParser(html, Base), fast);
    }

    public static TheoryData<string> UntidyHtml => new()
    {
        "<table><tr><td>no tbody is fine but</td></tr>text in table</table>",
        "<a href=x><a href=y>nested</a></a>",
        "<![CDATA[x]]>",
        "<p>\0</p>",
        // Formatting elements the tree builder closes and reopens.
        "<a href=x><div>x</a>y",
        "<b>x<p>y</b>z</p>",
        "<p><i>a</p>\n<p>b</i> c</p>",
        "<b><b><b><b>x</b></b></b></b>",
        "<p>x<col>y</p>",
        "<table><colgroup>text</colgroup></table>",
        "<a href=\"/1\">x<p>y</a>z",
        "<h2>x</h3>",
        // Inline SVG and MathML beyond the plain shape: an element outside the lists (removed with
        // its content on the full path), HTML inside a text integration point, CDATA, URLs.
        "<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/><title>icon</title></svg>after",
        "<svg><script>alert(1)</script></svg>ok",
        "<svg><style>*{}</style></svg>",
        "<svg><use xlink:href=\"#a\"/></svg>",
        "<svg><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<svg><foreignObject><p>x</p></foreignObject></svg>",
        "<svg><![CDATA[x]]></svg>",
        "<svg><g></svg>after",
        "<math><mi>x<b>y</b></mi></math>",
        "<math><mrow><foo>x</foo></mrow></math>",
        "<math><mi>x</mi><p>after</p>",
        "<math><mi>x</math> tail",
        "<math><annotation-xml><svg></svg></annotation-xml></math>",
        "<math display=\"block\" href=\"javascript:alert(1)\"><mi>x</mi></math>",
        "<table><math><mi>x</mi></math></table>",
        "<p>a<math><mi>x</mi></p>b",
        // Foreign content that breaks out into HTML or holds HTML.
        "<svg><p onclick=alert(1)>x</p></svg>",
        "<svg></p><style><img src=x onerror=alert(1)></style>",
        "<svg><desc><b>x</b></desc></svg>",
        "<math><mi><script>alert(1)</script></mi></math>",
        "<img data-src=\"javascript:alert(1)\" src=\"placeholder.gif\">",
        "<td>cell outside table</td>",
        "<script><!--<script>x</script>--></script>ok",
        "<table>\u2003<tr><td>x</td></tr></table>",
    };

    [Theory, MemberData(nameof(UntidyHtml))]
    public void Untidy_or_dangerous_html_takes_the_slow_path(string html) =>
        Assert.False(FastSanitizer.TrySanitize(html, Base, out _));

    public static TheoryData<string, string?> Urls => new()
    {
        { "javascript:alert(1)", null },
        { "JaVaScRiPt:alert(1)", null },
        { "java\tscript:alert(1)", null },
        { " vbscript:x", null },
        { "data:text/html;base64,PHNjcmlwdD4=", null },
        { "/a/b?c=d#e", "https://example.org/a/b?c=d#e" },
        { "../up", "https://example.org/posts/up" },
        { "//cdn.example.com/x.png", "https://cdn.example.com/x.png" },
        { "mailto:a@example.org", "mailto:a@example.org" },
        { "https://example.com/ok", "https://example.com/ok" },
    };

    [Theory, MemberData(nameof(Urls))]
    public void Urls_are_made_absolute_and_unsafe_schemes_dropped(string url, string? expected) =>
        Assert.Equal(expected, FastSanitizer.SafeUrl(url, Base, allowDataImage: false));

    private static readonly string[] SoupNames =
    [
        "p", "div", "span", "b", "i", "em", "strong", "a", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th",
        "tbody", "thead", "caption", "colgroup", "col", "h2", "h3", "blockquote", "pre", "code", "br", "img", "hr", "font",
        "center", "svg", "math", "script", "style", "title", "iframe", "noscript", "html", "head", "body", "x-foo",
        "section", "figure", "sub", "u", "s", "small", "tt", "nobr", "q",
    ];

    private static readonly string[] SoupPieces =
    [
        "&amp;", "<!-- c -->", "<!DOCTYPE html>", "a < b", "\u00A0", "<img data-src=\"r.jpg\" src=\"spacer.gif\" alt=x>",
        "<a href=/y title=\"q\"t>", "<iframe src=\"https://www.youtube.com/embed/v\" width=5>z</iframe>", "<x-y>", "</x-y>",
        "<p/>", "<a href=\"?a=1&copy=2\">", "<svg><path/></svg>", "&nbsp;", "<span title='it\"s'>", "</br>",
        "<b onclick=\"alert(1)\">", "<a href=\"javascript:alert(1)\">", "<script>alert(1)</script>",
    ];

    /// <summary>
    /// Random tag soup from the shapes above (seeded, so a failure repeats): wherever the fast
    /// path accepts it, its output is exactly the full sanitizer's.
    /// </summary>
    [Fact]
    public void Fast_path_writes_exactly_what_the_full_sanitizer_writes_for_tag_soup()
    {
        var random = new Random(20261130);
        var accepted = 0;
        var soup = new System.Text.StringBuilder();
        for (var n = 0; n < 4000; n++)
        {
            soup.Clear();
            var tokens = random.Next(1, 14);
            for (var t = 0; t < tokens; t++)
            {
                var kind = random.Next(10);
                var name = SoupNames[random.Next(SoupNames.Length)];
                _ = kind switch
                {
                    < 4 => soup.Append('<').Append(name).Append(name == "a" ? " href=\"/x\"" : name == "img" ? " src=\"a.png\"" : "").Append('>'),
                    < 7 => soup.Append("</").Append(name).Append('>'),
                    < 9 => soup.Append(random.Next(3) switch { 0 => "t", 1 => " ", _ => "\n" }),
                    _ => soup.Append(SoupPieces[random.Next(SoupPieces.Length)]),
                };
            }
            var html = soup.ToString();
            if (FastSanitizer.TrySanitize(html, Base, out var fast))
            {
                accepted++;
                AssertSafe(fast, html);
                Assert.True(ContentSanitizer.SanitizeWithParser(html, Base) == fast, $"fast and full paths differ for: {html}");
            }
        }
        Assert.True(accepted > 1500, $"only {accepted} soups took the fast path");
    }

    public static TheoryData<string, bool> CanonicalUrls => new()
    {
        { "https://example.com/a/b?c=d&e=f#g", true },
        { "http://www.example.co.uk/", true },
        { "https://example.com/~user/a-b_c.d,e;f:g@h+i", true },
        { "https://example.com", false },
        { "HTTPS://example.com/", false },
        { "https://Example.com/", false },
        { "https://example.com:443/", false },
        { "https://user@example.com/", false },
        { "https://1.2.3.4/", false },
        { "https://localhost/", false },
        { "https://example.com./", false },
        { "https://xn--bcher-kva.example/", false },
        { "https://example.com/a/../b", false },
        { "https://example.com/a/./b", false },
        { "https://example.com/a b", false },
        { "https://example.com/%41", false },
        { "https://example.com/a\\b", false },
        { "https://example.com/caf\u00e9", false },
        { "https://example.com/a?", false },
        { "https://example.com/a#", false },
        { "https://example.com/a#b#c", false },
        { "https://example.com/a|b", false },
    };

    [Theory, MemberData(nameof(CanonicalUrls))]
    public void Urls_written_as_uri_writes_them_skip_the_parse(string url, bool isCanonical)
    {
        Assert.Equal(isCanonical, FastSanitizer.IsCanonicalHttpUrl(url));
        if (isCanonical)
        {
            Assert.Equal(new Uri(url).AbsoluteUri, url);
        }
    }

    [Fact]
    public void Every_corpus_url_that_skips_the_parse_is_what_uri_gives()
    {
        var checkedUrls = 0;
        var authority = FastSanitizer.HttpAuthority(Base);
        foreach (var (_, html) in CorpusHtml())
        {
            foreach (System.Text.RegularExpressions.Match match in UrlAttribute().Matches(html))
            {
                var url = match.Groups[1].Value;
                if (FastSanitizer.IsCanonicalHttpUrl(url))
                {
                    Assert.Equal(new Uri(url).AbsoluteUri, url);
                    checkedUrls++;
                }
                else if (url.Length > 1 && url[0] == '/' && url[1] != '/' && FastSanitizer.IsCanonicalPath(url))
                {
                    Assert.Equal(new Uri(Base, url).AbsoluteUri, authority + url);
                    checkedUrls++;
                }
            }
        }
        Assert.True(checkedUrls > 1000, $"only {checkedUrls} corpus URLs checked");
    }

    [System.Text.RegularExpressions.GeneratedRegex("(?:href|src)=\"([^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex UrlAttribute();

    /// <summary>Every summary and content fragment of the corpus feeds, unsanitized, with its file name.</summary>
    internal static IEnumerable<(string File, string Html)> CorpusHtml()
    {
        var corpus = Path.Combine(TestData.Root, "corpus");
        foreach (var file in Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories))
        {
            Model.ParsedFeed feed;
            try
            {
                feed = FeedParser.Parse(File.ReadAllBytes(file), new FeedParseOptions { Sanitize = false });
            }
            catch (FeedParseException)
            {
                continue;
            }
            foreach (var entry in feed.Entries)
            {
                if (entry.SummaryHtml is { } summary)
                {
                    yield return (Path.GetFileName(file), summary);
                }
                if (entry.ContentHtml is { } content)
                {
                    yield return (Path.GetFileName(file), content);
                }
            }
        }
    }

    public static TheoryData<string, bool> DataImages => new()
    {
        { "data:image/png;base64,iVBORw0KGgo=", true },
        { "data:image/jpeg;base64,/9j/4AAQ", true },
        { "data:image/jpg;base64,/9j/4AAQ", true },
        { "data:image/webp,UklGR", true },
        { "data:image/svg+xml;base64,PHN2Zz4=", false },
        { "data:image/pngx;base64,iVBORw0KGgo=", false },
        { "data:image/png", false },
        { "data:text/html,<script>alert(1)</script>", false },
    };

    /// <summary>Both engines take the policy's data: image types, and nothing that only starts like one.</summary>
    [Theory, MemberData(nameof(DataImages))]
    public void Data_image_sources_are_kept_only_for_raster_images(string url, bool kept)
    {
        Assert.Equal(kept, FastSanitizer.SafeUrl(url, Base, allowDataImage: true) is not null);
        var full = ContentSanitizer.SanitizeWithParser($"<p><img src=\"{url}\" alt=\"x\"></p>", Base);
        Assert.Equal(kept, Parser.ParseDocument(full).QuerySelector("img") is not null);
    }

    public static TheoryData<string> Players => new()
    {
        "https://www.youtube.com/embed/abc", "https://youtube.com/embed/abc", "https://www.youtube-nocookie.com/embed/abc",
        "https://player.vimeo.com/video/1", "https://www.dailymotion.com/embed/video/x1", "https://player.bilibili.com/player.html?bvid=1",
    };

    /// <summary>Every player the sanitizer keeps is one the Content-Security-Policy lets the browser show.</summary>
    [Theory, MemberData(nameof(Players))]
    public void Every_embed_the_sanitizer_keeps_is_in_the_frame_sources(string src)
    {
        var html = ContentSanitizer.SanitizeWithParser($"<iframe src=\"{src}\"></iframe>", Base);
        var frame = Parser.ParseDocument(html).QuerySelector("iframe");
        Assert.NotNull(frame);
        var host = new Uri(frame.GetAttribute("src")!).Host;
        Assert.Contains("https://" + host, SanitizerPolicy.FrameSources.Split(' '));
    }

    [Fact]
    public void An_attribute_the_policy_keeps_but_the_fast_path_has_no_rule_for_takes_the_full_path()
    {
        Assert.False(FastSanitizer.TrySanitize("<p loop=\"x\">one</p>", Base, out _));
        Assert.Contains("loop=\"x\"", ContentSanitizer.Sanitize("<p loop=\"x\">one</p>", Base), StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_fast_path_off_every_fragment_takes_the_full_sanitizer()
    {
        const string html = "<p>A <b>tidy</b> paragraph with a <a href=\"/x\">link</a>.</p>";
        Assert.True(FastSanitizer.TrySanitize(html, Base, out var fast));
        try
        {
            ContentSanitizer.UseFastPath = false;
            Assert.Equal(ContentSanitizer.SanitizeWithParser(html, Base), ContentSanitizer.Sanitize(html, Base));
        }
        finally
        {
            ContentSanitizer.UseFastPath = true;
        }
        Assert.Equal(fast, ContentSanitizer.Sanitize(html, Base));
    }

    private static readonly HashSet<string> AddedAttributes = new(StringComparer.Ordinal) { "rel", "loading", "decoding", "sandbox", "allowfullscreen" };

    /// <summary>The fast path's safety invariant (see its remarks), checked on what it wrote.</summary>
    private static void AssertSafe(string output, string? input = null)
    {
        var body = Parser.ParseDocument("<body>" + output).Body!;
        foreach (var element in body.QuerySelectorAll("*"))
        {
            var svg = element.NamespaceUri == NamespaceNames.SvgUri;
            var math = element.NamespaceUri == NamespaceNames.MathMlUri;
            var foreign = svg || math;
            Assert.True(
                svg ? SanitizerPolicy.SvgElements.Contains(element.LocalName)
                    : math ? SanitizerPolicy.MathElements.Contains(element.LocalName)
                    : SanitizerPolicy.AllowedElements.Contains(element.LocalName),
                $"element {element.LocalName} written for: {input ?? output}");
            Assert.False(SanitizerPolicy.DroppedWithContent.Contains(element.LocalName), $"element {element.LocalName} written for: {input ?? output}");
            foreach (var attribute in element.Attributes)
            {
                Assert.True(SanitizerPolicy.AllowedAttributes.Contains(attribute.Name) || AddedAttributes.Contains(attribute.Name)
                    || (foreign && SanitizerPolicy.ForeignAttributes.Contains(attribute.Name, StringComparer.OrdinalIgnoreCase)),
                    $"attribute {attribute.Name} written for: {input ?? output}");
                if (attribute.Name is "href" or "src" or "cite")
                {
                    Assert.True(IsSafeUrl(attribute.Value, dataImage: element.LocalName == "img" && attribute.Name == "src"),
                        $"URL {attribute.Value} written for: {input ?? output}");
                }
                else if (attribute.Name == "srcset")
                {
                    foreach (var candidate in attribute.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        Assert.True(IsSafeUrl(candidate.Split(' ')[0], dataImage: false), $"srcset {attribute.Value} written for: {input ?? output}");
                    }
                }
            }
            if (element.LocalName == "iframe")
            {
                var host = new Uri(element.GetAttribute("src")!).Host;
                Assert.Contains(SanitizerPolicy.EmbedPlayers, p => p.Host == host);
            }
        }
    }

    private static bool IsSafeUrl(string url, bool dataImage) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.Scheme is "http" or "https" or "mailto" || (dataImage && SanitizerPolicy.IsAllowedDataImage(url))
            : false;

    [Fact]
    public void Fast_path_agrees_with_the_full_sanitizer_on_every_corpus_entry_it_accepts()
    {
        var accepted = 0;
        foreach (var (file, html) in CorpusHtml())
        {
            if (!FastSanitizer.TrySanitize(html, Base, out var fast))
            {
                continue;
            }
            accepted++;
            AssertSafe(fast, $"{file}: {html}");
            var full = ContentSanitizer.SanitizeWithParser(html, Base);
            Assert.True(SameDocument(full, fast), $"{file}: fast and full paths differ for: {html}");
        }
        Assert.True(accepted > 2400, $"only {accepted} corpus fragments took the fast path");
    }

    private static bool SameDocument(string expected, string actual)
    {
        var a = Parser.ParseDocument("<body>" + expected).Body!;
        var b = Parser.ParseDocument("<body>" + actual).Body!;
        return a.TextContent == b.TextContent && Shape(a) == Shape(b);
    }

    /// <summary>Same text, same elements in the same order, same URLs.</summary>
    private static void AssertSameDocument(string expected, string actual)
    {
        var a = Parser.ParseDocument("<body>" + expected).Body!;
        var b = Parser.ParseDocument("<body>" + actual).Body!;
        Assert.Equal(a.TextContent, b.TextContent);
        Assert.Equal(Shape(a), Shape(b));
    }

    private static string Shape(IElement body) => string.Join(" ", body.QuerySelectorAll("*").Select(e =>
        e.LocalName + "[" + string.Join(",", e.Attributes
            .Where(x => x.Name is "href" or "src" or "srcset" or "alt" or "rel" or "sandbox")
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name + "=" + NormalizeUrl(x.Value))) + "]"));

    /// <summary>"https://example.com" and "https://example.com/" are the same URL.</summary>
    private static string NormalizeUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : value;
}
