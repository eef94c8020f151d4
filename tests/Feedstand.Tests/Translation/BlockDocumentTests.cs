using Feedstand.Translation;

namespace Feedstand.Tests.Translation;

public sealed class BlockDocumentTests
{
    public static TheoryData<string, string[]> Splits => new()
    {
        { "<p>Hello <a href=\"https://a.example/\">world</a>.</p><p>Second</p>", ["Hello <a>world</a>.", "Second"] },
        { "<p>Run <code>make all</code> now</p><pre><code>let x = 1;</code></pre>", ["Run <x-k></x-k> now"] },
        { "<p>In 2024 we sold 1,500 cats, see https://cats.example/x?y=1 or mail me@cats.example</p>",
            ["In <x-k></x-k> we sold <x-k></x-k> cats, see <x-k></x-k> or mail <x-k></x-k>"] },
        { "Loose text <b>bold</b><p>para</p>tail", ["Loose text <b>bold</b>", "para", "tail"] },
        { "<ul><li>one<ul><li>nested</li></ul></li><li>two &amp; three</li></ul>", ["one", "nested", "two &amp; three"] },
        { "<figure><img src=\"a.png\" alt=\"A\"><figcaption>A cat</figcaption></figure>", ["A cat"] },
        { "<p><img src=\"a.png\"> 42</p><table><tr><td>Cell</td><td>7</td></tr></table>", ["Cell"] },
        { "<blockquote><p>Quoted</p></blockquote><h2>Title <em>here</em></h2>", ["Quoted", "Title <em>here</em>"] },
    };

    [Theory, MemberData(nameof(Splits))]
    public void Blocks_are_sent_without_attributes_code_urls_or_numbers(string html, string[] expected)
    {
        var document = BlockDocument.Parse(html);
        Assert.Equal(expected, document.Blocks.Select(b => b.Sent));
    }

    public static TheoryData<string, string, string> Replies => new()
    {
        // source, reply to its first block, the fragment after applying it
        { "<p>Hello <a href=\"https://a.example/\" title=\"t\">world</a>.</p>", "Hallo <a>Welt</a>.", "<p>Hallo <a href=\"https://a.example/\" title=\"t\">Welt</a>.</p>" },
        { "<p>Run <code>make all</code> in 5 s</p>", "Führe <x-k></x-k> in <x-k></x-k> s aus", "<p>Führe <code>make all</code> in 5 s aus</p>" },
        { "<p>See <a href=\"/x\">this</a></p>", "Sieh <a onclick=\"evil()\" href=\"javascript:alert(1)\">das</a>", "<p>Sieh <a href=\"/x\">das</a></p>" },
    };

    [Theory, MemberData(nameof(Replies))]
    public void A_reply_of_the_same_shape_is_rebuilt_on_the_source_elements(string html, string reply, string expected)
    {
        var document = BlockDocument.Parse(html);
        Assert.True(document.Accepts(document.Blocks[0], reply));
        Assert.True(document.Apply(document.Blocks[0], reply));
        Assert.Equal(expected, document.ToHtml());
        Assert.Equal(BlockDocument.StructureOf(html), BlockDocument.StructureOf(document.ToHtml()));
    }

    public static TheoryData<string, string> BadReplies => new()
    {
        { "<p>Hello <a href=\"/\">world</a></p>", "Hallo Welt" },
        { "<p>Hello <a href=\"/\">world</a></p>", "<script>alert(1)</script>Hallo <a>Welt</a>" },
        { "<p>Hello <a href=\"/\">world</a> <b>bold</b></p>", "Hallo <b>fett</b> <a>Welt</a>" },
        { "<p>Hello <a href=\"/\">world</a></p>", "Hallo <a>Welt</a><img src=x onerror=alert(1)>" },
        { "<p>Hello <em>world</em></p>", "<x-k></x-k><em></em>" },
    };

    [Theory, MemberData(nameof(BadReplies))]
    public void A_reply_that_loses_adds_or_reorders_elements_is_rejected(string html, string reply)
    {
        var document = BlockDocument.Parse(html);
        Assert.False(document.Accepts(document.Blocks[0], reply));
        Assert.False(document.Apply(document.Blocks[0], reply));
    }

    [Fact]
    public void The_same_block_has_one_key_per_language_wherever_its_links_point()
    {
        var a = BlockDocument.Parse("<p>Read <a href=\"https://a.example/\">this</a></p>").Blocks[0];
        var b = BlockDocument.Parse("<p>Read <a href=\"https://b.example/\">this</a></p>").Blocks[0];
        Assert.Equal(a.KeyFor("zh"), b.KeyFor("zh"));
        Assert.NotEqual(a.KeyFor("zh"), a.KeyFor("en"));
    }
}
