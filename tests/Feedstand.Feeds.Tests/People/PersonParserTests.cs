using Feedstand.Feeds.Model;
using Feedstand.Feeds.People;

namespace Feedstand.Feeds.Tests.People;

public class PersonParserTests
{
    /// <summary>Author strings as feeds write them, and the name, email and URI each one holds.</summary>
    public static TheoryData<string, string?, string?, string?> Authors => new()
    {
        { "Will Larson", "Will Larson", null, null },
        { "will@example.com", null, "will@example.com", null },
        { "will@example.com (Will Larson)", "Will Larson", "will@example.com", null },
        { "Will Larson <will@example.com>", "Will Larson", "will@example.com", null },
        { "\"Will Larson\" <will@example.com>", "Will Larson", "will@example.com", null },
        { "'Will Larson' <will@example.com>", "Will Larson", "will@example.com", null },
        { "<will@example.com>", null, "will@example.com", null },
        { "<will@example.com> (Will Larson)", "Will Larson", "will@example.com", null },
        { "mailto:will@example.com", null, "will@example.com", null },
        { "MAILTO:will@example.com", null, "will@example.com", null },
        { "Will Larson <mailto:will@example.com>", "Will Larson", "will@example.com", null },
        { "mailto:will@example.com (Will Larson)", "Will Larson", "will@example.com", null },
        { "nobody@example.com (Will)", "Will", "nobody@example.com", null },
        { "will@example.com ()", null, "will@example.com", null },
        { "will@example.com (\"Will Larson\")", "Will Larson", "will@example.com", null },
        { "Will Larson (will@example.com)", "Will Larson", "will@example.com", null },
        { "  Will\n   Larson  ", "Will Larson", null, null },
        { "\n\twill@example.com\n\t(Will\n Larson)\n", "Will Larson", "will@example.com", null },
        { "\"Will Larson\"", "Will Larson", null, null },
        { "will larson", "will larson", null, null },
        { "WILL LARSON", "WILL LARSON", null, null },
        { "Will (the editor)", "Will (the editor)", null, null },
        { "@lethain", "@lethain", null, null },
        { "Will Larson <https://lethain.com/>", "Will Larson", null, "https://lethain.com/" },
        { "José Müller <jose@example.de>", "José Müller", "jose@example.de", null },
        { "王小明 <wang@example.cn>", "王小明", "wang@example.cn", null },
        { "Will Larson, Jane Doe", "Will Larson, Jane Doe", null, null },
    };

    [Theory, MemberData(nameof(Authors))]
    public void Author_string_is_split_into_name_email_and_uri(string text, string? name, string? email, string? uri) =>
        Assert.Equal(new Person(name, email, uri), PersonParser.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t ")]
    [InlineData("\"\"")]
    [InlineData("<>")]
    public void Empty_author_is_no_person(string? text) =>
        Assert.Null(PersonParser.Parse(text));
}
