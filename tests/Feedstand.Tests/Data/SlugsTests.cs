using Feedstand.Data;

namespace Feedstand.Tests.Data;

public class SlugsTests
{
    [Theory]
    [InlineData("https://www.example.com/", "example-com")]
    [InlineData("https://example.com/blog/", "example-com-blog")]
    [InlineData("https://example.com/blog/feed.xml", "example-com-blog")]
    [InlineData("https://Jane.Example.org/posts/index.xml", "jane-example-org-posts")]
    [InlineData("https://example.com/feed/", "example-com")]
    [InlineData("https://café.example/", "cafe-example")]
    public void Feed_slugs_come_from_the_host_and_path(string url, string slug) =>
        Assert.Equal(slug, Slugs.FromUrl(url));

    [Fact]
    public void A_taken_slug_gets_a_number()
    {
        var taken = new HashSet<string> { "example-com", "example-com-2" };

        Assert.Equal("example-com-3", Slugs.Unique("example-com", taken));
        Assert.Contains("example-com-3", taken);
    }

    [Theory]
    [InlineData("Machine Learning", "machine-learning")]
    [InlineData("  C#  ", "c")]
    [InlineData("Économie", "economie")]
    [InlineData("!!!", "")]
    public void Tag_names_are_lower_case_and_url_safe(string name, string expected) =>
        Assert.Equal(expected, Slugs.Tag(name));
}
