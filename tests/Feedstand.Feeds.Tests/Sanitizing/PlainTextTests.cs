using Feedstand.Feeds.Sanitizing;

namespace Feedstand.Feeds.Tests.Sanitizing;

public class PlainTextTests
{
    public static TheoryData<string?, string?> FromHtmlCases => new()
    {
        { null, null },
        { "", null },
        { "   \n\t ", null },
        { "Plain title", "Plain title" },
        { "  padded   and\n\tspaced  ", "padded and spaced" },
        { "A &amp; B", "A & B" },
        { "<b>Bold</b> move", "Bold move" },
        { "It&rsquo;s done&hellip;", "It’s done…" },
        { "non&nbsp;breaking", "non breaking" },
        { "em&mdash;dash &ndash; en", "em—dash – en" },
        { "&lt;b&gt;literal tag&lt;/b&gt;", "<b>literal tag</b>" },
        { "&#39;single&#x27; &#8220;double&#x201D;", "'single' “double”" },
        { "&#x1F600; emoji", "😀 emoji" },
        { "&copy2024 legacy without semicolon", "©2024 legacy without semicolon" },
        { "&NewLine;html5 only&check;", "html5 only✓" },
        { "&unknown; stays", "&unknown; stays" },
        { "AT&T & friends", "AT&T & friends" },
        { "&#128; windows-1252 remap", "€ windows-1252 remap" },
        { "&#0; null", "\uFFFD null" },
        { "a<p>b</p>c", "a b c" },
        { "line<br>break", "line break" },
        { "in<i>line</i>word", "inlineword" },
        { "x <script>var s = '</p>';</script> y", "x y" },
        { "<style>p { color: red }</style>Styled", "Styled" },
        { "before<!-- comment -->after", "beforeafter" },
        { "a < b and c > d", "a < b and c > d" },
        { """<a href="x" title="a > b">link</a> text""", "link text" },
        { "<![CDATA[cdata text]]>", "cdata text" },
        { "<p>  </p>", null },
    };

    [Theory, MemberData(nameof(FromHtmlCases))]
    public void FromHtml_gives_collapsed_plain_text(string? input, string? expected) =>
        Assert.Equal(expected, PlainText.FromHtml(input));

    [Fact]
    public void FromHtml_returns_the_same_string_for_clean_text()
    {
        const string Title = "Nothing to change here";
        Assert.Same(Title, PlainText.FromHtml(Title));
    }

    public static TheoryData<string?, string?> CollapseCases => new()
    {
        { null, null },
        { "", null },
        { " \r\n ", null },
        { "one", "one" },
        { " two  words ", "two words" },
        { "tabs\tand\nnewlines", "tabs and newlines" },
        { "&amp; is not decoded", "&amp; is not decoded" },
        { "<b> is not stripped", "<b> is not stripped" },
    };

    [Theory, MemberData(nameof(CollapseCases))]
    public void Collapse_only_collapses_whitespace(string? input, string? expected) =>
        Assert.Equal(expected, PlainText.Collapse(input));

    public static TheoryData<string, string> ToHtmlCases => new()
    {
        { "", "" },
        { "Hello", "<p>Hello</p>" },
        { "a & b < c > d \"q\" 'a'", "<p>a &amp; b &lt; c &gt; d &quot;q&quot; &#39;a&#39;</p>" },
        { "line one\nline two", "<p>line one<br>line two</p>" },
        { "para one\n\npara two", "<p>para one</p><p>para two</p>" },
        { "windows\r\nline\r\n\r\nnext", "<p>windows<br>line</p><p>next</p>" },
        { "\n\n  padded  \n \n\n", "<p>padded</p>" },
        { "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" },
    };

    [Theory, MemberData(nameof(ToHtmlCases))]
    public void ToHtml_escapes_and_makes_paragraphs(string input, string expected) =>
        Assert.Equal(expected, PlainText.ToHtml(input));
}
