using Feedstand.Feeds.Markdown;

namespace Feedstand.Feeds.Tests.Markdown;

/// <summary>One construct per row: the HTML, the Markdown it gives, and (every row) Markdig reads the same words back.</summary>
public class HtmlToMarkdownTests
{
    public static TheoryData<string, string> Constructs => new()
    {
        // headings and paragraphs
        { "<h1>Title</h1><p>First paragraph.</p><p>Second.</p>", "# Title\n\nFirst paragraph.\n\nSecond." },
        { "<h3>C# and F#</h3>", "### C\\# and F\\#" },
        // emphasis, strong, code, strikethrough; spaces move outside the delimiters
        { "<p>a <em>b</em> <strong>c</strong> <code>d</code> <del>e</del></p>", "a *b* **c** `d` ~~e~~" },
        { "<p>a<em> b </em>c<strong></strong></p>", "a *b* c" },
        { "<p>Use <code>a `tick`</code> here</p>", "Use `` a `tick` `` here" },
        // lists: nested, ordered with start and value, numbers continue
        { "<ul><li>one<ul><li>two</li><li>three</li></ul></li><li>four</li></ul>", "- one\n  - two\n  - three\n- four" },
        { "<ol start=\"3\"><li>a</li><li>b<ol><li>c</li></ol></li><li value=\"9\">d</li></ol>", "3. a\n4. b\n   1. c\n9. d" },
        { "<ul><li><p>loose</p></li><li><p>items</p><p>two paragraphs</p></li></ul>", "- loose\n\n- items\n\n  two paragraphs" },
        { "<ol><li><pre><code>x = 1\ny = 2</code></pre></li></ol>", "1. ```\n   x = 1\n   y = 2\n   ```" },
        // links and images, with titles and awkward destinations
        { "<p><a href=\"https://example.org/a\" title=\"The &quot;A&quot; page\">A</a></p>", "[A](https://example.org/a \"The \\\"A\\\" page\")" },
        { "<p><a href=\"https://example.org/a b(c)\">x</a></p>", "[x](<https://example.org/a b(c)>)" },
        { "<p>Wow!<a href=\"https://example.org/\">link</a></p>", "Wow\\![link](https://example.org/)" },
        { "<p><a href=\"https://example.org/\"></a></p>", "[https://example.org/](https://example.org/)" },
        { "<p><img src=\"https://example.org/cat.png\" alt=\"A [cat]\" title=\"Cat\"></p>", "![A \\[cat\\]](https://example.org/cat.png \"Cat\")" },
        { "<p><a href=\"https://example.org/\"><img src=\"https://example.org/i.png\" alt=\"i\"></a></p>", "[![i](https://example.org/i.png)](https://example.org/)" },
        // code blocks keep their language and outrun the backticks inside
        { "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>", "```rust\nfn main() {}\n```" },
        { "<pre class=\"highlight-python\"><code>print(1)</code></pre>", "```python\nprint(1)\n```" },
        { "<pre><code class=\"lang-js\">a\n\nb</code></pre>", "```js\na\n\nb\n```" },
        { "<pre><code>```\nfenced\n```</code></pre>", "````\n```\nfenced\n```\n````" },
        { "<pre class=\"sourceCode python\"><code class=\"sourceCode python\">x</code></pre>", "```python\nx\n```" },
        // tables: pipe tables with escaped pipes; a header from the first row; complex tables become lists
        { "<table><thead><tr><th>a</th><th>b|c</th></tr></thead><tbody><tr><td>1</td><td><em>2</em></td></tr></tbody></table>", "| a | b\\|c |\n| --- | --- |\n| 1 | *2* |" },
        { "<table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table>", "| x | y |\n| --- | --- |\n| z |   |" },
        { "<table><tr><td colspan=\"2\">wide</td></tr><tr><td>a</td><td><ul><li>b</li></ul></td></tr></table>", "- wide\n\n- a\n\n  - b" },
        // blockquotes, nested
        { "<blockquote><p>a</p><blockquote><p>b</p></blockquote><p>c</p></blockquote>", "> a\n>\n> > b\n>\n> c" },
        { "<ul><li>item<blockquote><p>quoted</p></blockquote></li></ul>", "- item\n\n  > quoted" },
        // footnotes: the Jekyll/Hugo shape with ids and classes, and the same after sanitizing (absolute URLs, no ids)
        {
            "<p>Text<sup id=\"fnref:1\"><a href=\"#fn:1\" class=\"footnote-ref\">1</a></sup> more.</p><div class=\"footnotes\"><ol><li id=\"fn:1\"><p>The note.&#160;<a href=\"#fnref:1\" class=\"footnote-backref\">&#8617;</a></p></li></ol></div>",
            "Text[^1] more.\n\n[^1]: The note.\u00A0"
        },
        {
            "<p>A<sup><a href=\"https://e.org/p#fn1\">[1]</a></sup> B<sup><a href=\"https://e.org/p#fn2\">[2]</a></sup></p><hr><ol><li><p>One <a href=\"https://e.org/p#fnref1\">↩︎</a></p></li><li><p>Two</p><p>More <a href=\"https://e.org/p#fnref2\">↩︎</a></p></li></ol>",
            "A[^1] B[^2]\n\n---\n\n[^1]: One\n\n[^2]: Two\n\n    More"
        },
        // generators that number the back links "fnref1:N": the note is N
        {
            "<p>a<sup><a href=\"https://e.org/p#fn:1\">1</a></sup> b<sup><a href=\"https://e.org/p#fn:2\">2</a></sup></p><ol><li><p>x <a href=\"https://e.org/p#fnref1:1\">↩</a></p></li><li><p>y <a href=\"https://e.org/p#fnref1:2\">↩</a></p></li></ol>",
            "a[^1] b[^2]\n\n[^1]: x\n\n[^2]: y"
        },
        // links and images inside code follow the block; an image shows its alt text in the code
        { "<pre>let a = <img src=\"https://e.org/rain.png\" alt=\"🌧\">()</pre>", "```\nlet a = 🌧()\n```\n\n![🌧](https://e.org/rain.png)" },
        // MathML tokens stay apart, the annotation (source) is not shown
        { "<p><math><semantics><mrow><mi>N</mi><mo>+</mo><mn>1</mn></mrow><annotation encoding=\"application/x-tex\">N+1</annotation></semantics></math></p>", "N + 1" },
        // rules and line breaks (a break at the end of a block is dropped)
        { "<p>a<br>b<br></p><hr><p>c</p>", "a\\\nb\n\n---\n\nc" },
        // text that would read as syntax is escaped
        { "<p># not a heading</p><p>1. not a list</p><p>- nor this</p>", "\\# not a heading\n\n1\\. not a list\n\n\\- nor this" },
        { "<p>*stars* _under_ snake_case [brackets] &lt;tag&gt; &amp;amp; back\\slash `tick` ~tilde</p>", "\\*stars\\* \\_under\\_ snake_case \\[brackets\\] \\<tag> \\&amp; back\\\\slash \\`tick\\` \\~tilde" },
        // CJK text is written as it is
        { "<p>中文测试，“引号”。<strong>粗体</strong>和<em>斜体</em></p>", "中文测试，“引号”。**粗体**和*斜体*" },
        // whitespace collapses as HTML shows it; dropped elements are dropped
        { "<div>\n  <p>  spaced\n  out  </p>\n<script>x()</script></div>", "spaced out" },
    };

    [Theory, MemberData(nameof(Constructs))]
    public void Html_becomes_the_expected_markdown(string html, string expected) =>
        Assert.Equal(expected, HtmlToMarkdown.Convert(html));

    [Theory, MemberData(nameof(Constructs))]
    public void Markdig_reads_back_the_same_words_links_and_images(string html, string expected)
    {
        _ = expected;
        var markdown = HtmlToMarkdown.Convert(html);
        var back = MarkdownRoundTrip.ToHtml(markdown);

        // Every word, in order (an empty link shows its address: words may be added, never lost).
        var words = MarkdownRoundTrip.Words(html);
        Assert.Equal(words.Count, MarkdownRoundTrip.CommonWords(words, MarkdownRoundTrip.Words(back)));
        Assert.Equal(MarkdownRoundTrip.Targets(html), MarkdownRoundTrip.Targets(back));
    }

    [Fact]
    public void Headings_move_down_by_the_offset_and_stop_at_h6()
    {
        Assert.Equal("### A\n\n###### B", HtmlToMarkdown.Convert("<h1>A</h1><h5>B</h5>", headingOffset: 2));
    }

    [Fact]
    public void Footnotes_render_back_as_footnotes()
    {
        var html = "<p>Claim<sup><a href=\"https://e.org/p#fn:1\">1</a></sup></p><ol><li><p>Source <a href=\"https://e.org/p#fnref:1\">↩</a></p></li></ol>";

        var back = MarkdownRoundTrip.ToHtml(HtmlToMarkdown.Convert(html));

        Assert.Contains("class=\"footnote-ref\"", back, StringComparison.Ordinal);
        Assert.Contains("class=\"footnotes\"", back, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_keeps_its_language_through_markdig()
    {
        var back = MarkdownRoundTrip.ToHtml(HtmlToMarkdown.Convert("<pre><code class=\"language-go\">package main</code></pre>"));

        Assert.Contains("class=\"language-go\"", back, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_does_not_overflow_the_stack()
    {
        var html = string.Concat(Enumerable.Repeat("<div><span>", 2000)) + "deep" + string.Concat(Enumerable.Repeat("</span></div>", 2000));

        Assert.Contains("deep", HtmlToMarkdown.Convert(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_text_is_escaped_without_parsing()
    {
        Assert.Equal("\\# 5 \\* 3", HtmlToMarkdown.Convert("# 5 * 3"));
        Assert.Equal("", HtmlToMarkdown.Convert("  "));
    }
}
