using AngleSharp;
using AngleSharp.Html.Parser;
using Feedstand.Feeds.Sanitizing;

namespace Feedstand.Feeds.Tests.Sanitizing;

/// <summary>Our linear serializer writes exactly what AngleSharp's <c>InnerHtml</c> writes.</summary>
public sealed class HtmlSerializerTests
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = true }, BrowsingContext.New(Configuration.Default));

    [Theory]
    [InlineData("<pre>\n\nx</pre><textarea>\n\nq</textarea><listing>\n\ny</listing>")]
    [InlineData("<svg><path d=\"x\"/><circle/><foreignObject><p>x</p></foreignObject></svg><math><mi/><mo>+</mo></math>")]
    [InlineData("<template><b>x</b></template><noscript><b>x</b></noscript><script>a<b</script><style>a>b</style>")]
    [InlineData("<xmp><b></xmp><iframe><b></iframe><noembed><i></noembed><plaintext><b>")]
    [InlineData("<!-- c --><p>a&amp;b&nbsp;<\"'</p><a title='a\"b&c'>x</a><img src=x><br/><input disabled>")]
    [InlineData("<table><tr><td>x</table><p/>x<ul><li>a<li>b</ul>")]
    public void Writes_what_InnerHtml_writes(string html) => AssertSame(html);

    [Fact]
    public void Writes_what_InnerHtml_writes_for_every_corpus_fragment()
    {
        var fragments = 0;
        foreach (var (file, html) in FastSanitizerTests.CorpusHtml())
        {
            fragments++;
            AssertSame(html, file);
        }
        Assert.True(fragments > 2000, $"only {fragments} fragments");
    }

    private static readonly string[] SoupPieces =
    [
        "<p>", "</p>", "<div>", "</div>", "<pre>", "\n", "<textarea>", "</textarea>", "<script>", "</script>", "<template>",
        "</template>", "<svg>", "<path/>", "</svg>", "<math>", "<mi/>", "<noscript>", "<b>", "</b>", "<i>", "<table>", "<tr>",
        "<td>", "<li>", "<ul>", "&amp;", "a < b", "\u00A0", "<!-- c -->", "<img src=\"a\" alt='\"'>", "<br/>", "t", " ",
        "<xmp>", "<style>", "<a href=\"?a=1&b=2\">", "</a>", "<select><option>", "<frameset>", "<?pi x?>",
    ];

    [Fact]
    public void Writes_what_InnerHtml_writes_for_tag_soup()
    {
        var random = new Random(20261201);
        var soup = new System.Text.StringBuilder();
        for (var n = 0; n < 3000; n++)
        {
            soup.Clear();
            for (var t = random.Next(1, 20); t > 0; t--)
            {
                soup.Append(SoupPieces[random.Next(SoupPieces.Length)]);
            }
            AssertSame(soup.ToString());
        }
    }

    private static void AssertSame(string html, string? file = null)
    {
        using var document = Parser.ParseDocument("<!doctype html><html><body>" + html);
        var body = document.Body!;
        Assert.True(body.InnerHtml == HtmlSerializer.InnerHtml(body), $"{file}: serializers differ for: {html}");
    }
}
