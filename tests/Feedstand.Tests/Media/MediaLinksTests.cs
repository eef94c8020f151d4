using Feedstand.Media;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Tests.Media;

/// <summary>The rewrite of sanitized post HTML for the media proxy, mode by mode.</summary>
public sealed class MediaLinksTests
{
    private static readonly MediaSigner Signer = NewSigner();

    private static MediaSigner NewSigner()
    {
        var signer = new MediaSigner();
        signer.UseKey(new byte[32]);
        return signer;
    }

    private static MediaLinks Links(string mode) =>
        new(Signer, Options.Create(new FeedstandOptions { MediaProxy = mode }));

    private static string P(string url) => Signer.PathFor(url);

    public static TheoryData<string, string, string> HttpOnly => new()
    {
        { "http image", """<p><img src="http://a.example/x.png" alt="x"></p>""", $"""<p><img src="{P("http://a.example/x.png")}" alt="x"></p>""" },
        { "https image kept", """<img src="https://a.example/x.png" alt="">""", """<img src="https://a.example/x.png" alt="">""" },
        { "data kept", """<img src="data:image/png;base64,AAAA" alt="">""", """<img src="data:image/png;base64,AAAA" alt="">""" },
        { "entity in URL decoded before signing", """<img src="http://a.example/x.png?a=1&amp;b=2">""", $"""<img src="{P("http://a.example/x.png?a=1&b=2")}">""" },
        { "srcset, mixed", """<img srcset="http://a.example/1.png 1x, https://a.example/2.png 2x" src="https://a.example/1.png">""",
            $"""<img srcset="{P("http://a.example/1.png")} 1x, https://a.example/2.png 2x" src="https://a.example/1.png">""" },
        { "picture source", """<picture><source srcset="http://a.example/w.webp" type="image/webp"><img src="http://a.example/w.jpg"></picture>""",
            $"""<picture><source srcset="{P("http://a.example/w.webp")}" type="image/webp"><img src="{P("http://a.example/w.jpg")}"></picture>""" },
        { "video poster", """<video controls poster="http://a.example/p.jpg"></video>""", $"""<video controls poster="{P("http://a.example/p.jpg")}"></video>""" },
        { "links and other tags untouched", """<a href="http://a.example/x.png">x</a><iframe src="http://a.example/"></iframe>""", """<a href="http://a.example/x.png">x</a><iframe src="http://a.example/"></iframe>""" },
        { "markup inside a quoted attribute is not a tag", """<a title="<img src=http://a.example/t.png>" href="https://a.example/">t</a>""", """<a title="<img src=http://a.example/t.png>" href="https://a.example/">t</a>""" },
        { "upper-case names", """<IMG SRC="http://a.example/x.png">""", $"""<IMG SRC="{P("http://a.example/x.png")}">""" },
    };

    [Theory, MemberData(nameof(HttpOnly))]
    public void Http_only_mode_rewrites_what_would_be_mixed_content(string name, string html, string expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(expected, Links("http-only").RewriteHtml(html));
    }

    [Fact]
    public void All_mode_rewrites_https_images_too()
    {
        var html = """<img src="https://a.example/x.png" srcset="https://a.example/x2.png 2x">""";
        Assert.Equal($"""<img src="{P("https://a.example/x.png")}" srcset="{P("https://a.example/x2.png")} 2x">""", Links("all").RewriteHtml(html));
    }

    [Fact]
    public void None_mode_leaves_the_html_as_stored()
    {
        var html = """<img src="http://a.example/x.png">""";
        Assert.Same(html, Links("none").RewriteHtml(html));
        Assert.Equal("http://a.example/x.png", Links("none").ImageUrl("http://a.example/x.png"));
    }

    [Fact]
    public void Html_without_images_is_returned_as_it_is()
    {
        var html = "<p>No <em>images</em> here, only <a href=\"http://a.example/\">a link</a>.</p>";
        Assert.Same(html, Links("all").RewriteHtml(html));
    }

    [Fact]
    public void A_signed_path_verifies_and_a_forged_one_does_not()
    {
        var path = P("http://a.example/x.png").Split('/');
        Assert.Equal("http://a.example/x.png", Signer.Verify(path[2], path[3]));

        var otherUrl = P("http://b.example/y.png").Split('/')[3];
        Assert.Null(Signer.Verify(path[2], otherUrl));
        Assert.Null(Signer.Verify(new string('A', 43), path[3]));
        Assert.Null(Signer.Verify("not base64 !", path[3]));
    }

    [Theory]
    [InlineData("Irrational Exuberance", "I")]
    [InlineData("  — the blog", "T")]
    [InlineData("阮一峰的网络日志", "阮")]
    [InlineData("𝔘nicode", "𝔘")]
    [InlineData("!!!", "?")]
    public void The_letter_avatar_shows_the_first_letter(string name, string letter)
    {
        Assert.Equal(letter, LetterAvatar.LetterOf(name));
        Assert.Contains($">{letter}</text>", LetterAvatar.Svg(name), StringComparison.Ordinal);
        Assert.Equal(LetterAvatar.ColourOf(name), LetterAvatar.ColourOf(name));
    }

    [Fact]
    public void Sniffing_accepts_the_image_types_and_refuses_html()
    {
        Assert.Equal("image/png", ImageTypes.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]));
        Assert.Equal("image/jpeg", ImageTypes.Sniff([0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.Equal("image/gif", ImageTypes.Sniff("GIF89a...."u8));
        Assert.Equal("image/webp", ImageTypes.Sniff("RIFF\0\0\0\0WEBPVP8 "u8));
        Assert.Equal("image/avif", ImageTypes.Sniff([0, 0, 0, 0x1C, .. "ftypavif"u8, 0, 0]));
        Assert.Equal("image/x-icon", ImageTypes.Sniff([0, 0, 1, 0, 1, 0, 16, 16]));
        Assert.Equal("image/svg+xml", ImageTypes.Sniff("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8));
        Assert.Null(ImageTypes.Sniff("<!doctype html><html><body>hi</body></html>"u8));
        Assert.Null(ImageTypes.Sniff("%PDF-1.4"u8));
    }
}
