using System.Text;
using System.Text.Json;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Tests.Parsing;

public class JsonOutputTests
{
    internal static string Json(ParsedFeed feed, string? path = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FeedJson.Encoder }))
        {
            FeedJson.Write(writer, feed, path);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonElement Root(ParsedFeed feed, string? path = null)
    {
        using var document = JsonDocument.Parse(Json(feed, path));
        return document.RootElement.Clone();
    }

    private static List<string> Names(JsonElement element)
    {
        var names = new List<string>();
        foreach (var property in element.EnumerateObject())
        {
            names.Add(property.Name);
        }
        return names;
    }

    private const string Minimal = """
        <rss version="2.0"><channel><title>Minimal</title><item><title>Only a title</title></item></channel></rss>
        """;

    private const string Full = """
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
          <channel>
            <title>Full</title>
            <link>https://example.com/</link>
            <atom:link rel="self" href="https://example.com/feed"/>
            <ttl>15</ttl>
            <item>
              <title>One</title>
              <link>https://example.com/1</link>
              <pubDate>Sun, 26 Oct 2025 19:00:00 +0000</pubDate>
              <enclosure url="https://example.com/1.mp3" type="audio/mpeg" length="5"/>
              <category>news</category>
              <author>a@example.com (Ann)</author>
            </item>
          </channel>
        </rss>
        """;

    [Fact]
    public void Top_level_fields_are_those_of_the_contract()
    {
        var root = Root(Documents.Parse(Minimal));
        Assert.Equal(["format", "wellformed", "errors", "encoding", "feed", "entries"], Names(root));
    }

    [Fact]
    public void Path_is_written_only_when_given()
    {
        var root = Root(Documents.Parse(Minimal), "tests/x.xml");
        Assert.Equal("tests/x.xml", root.GetProperty("path").GetString());
        Assert.False(Root(Documents.Parse(Minimal)).TryGetProperty("path", out _));
    }

    [Fact]
    public void Feed_object_has_every_contract_field()
    {
        var feed = Root(Documents.Parse(Minimal)).GetProperty("feed");
        Assert.Equal(
            ["title", "subtitle", "link", "links", "self", "id", "language", "updated", "authors", "categories",
             "generator", "rights", "icon", "image", "hubs", "ttl"],
            Names(feed));
    }

    [Fact]
    public void Entry_object_has_every_contract_field()
    {
        var entry = Root(Documents.Parse(Minimal)).GetProperty("entries")[0];
        Assert.Equal(
            ["id", "title", "link", "links", "published", "updated", "authors", "categories", "summary_html",
             "content_html", "enclosures", "comments", "image"],
            Names(entry));
    }

    public static TheoryData<string, JsonValueKind> AbsentFeedFields => new()
    {
        { "subtitle", JsonValueKind.Null },
        { "link", JsonValueKind.Null },
        { "links", JsonValueKind.Array },
        { "self", JsonValueKind.Null },
        { "id", JsonValueKind.Null },
        { "language", JsonValueKind.Null },
        { "updated", JsonValueKind.Null },
        { "authors", JsonValueKind.Array },
        { "categories", JsonValueKind.Array },
        { "generator", JsonValueKind.Null },
        { "rights", JsonValueKind.Null },
        { "icon", JsonValueKind.Null },
        { "image", JsonValueKind.Null },
        { "hubs", JsonValueKind.Array },
        { "ttl", JsonValueKind.Null },
    };

    [Theory]
    [MemberData(nameof(AbsentFeedFields))]
    public void Absent_feed_fields_are_null_or_empty_lists(string field, JsonValueKind kind)
    {
        var value = Root(Documents.Parse(Minimal)).GetProperty("feed").GetProperty(field);
        Assert.Equal(kind, value.ValueKind);
        if (kind == JsonValueKind.Array)
        {
            Assert.Equal(0, value.GetArrayLength());
        }
    }

    public static TheoryData<string, JsonValueKind> AbsentEntryFields => new()
    {
        { "id", JsonValueKind.Null },
        { "link", JsonValueKind.Null },
        { "links", JsonValueKind.Array },
        { "published", JsonValueKind.Null },
        { "updated", JsonValueKind.Null },
        { "authors", JsonValueKind.Array },
        { "categories", JsonValueKind.Array },
        { "summary_html", JsonValueKind.Null },
        { "content_html", JsonValueKind.Null },
        { "enclosures", JsonValueKind.Array },
        { "comments", JsonValueKind.Null },
        { "image", JsonValueKind.Null },
    };

    [Theory]
    [MemberData(nameof(AbsentEntryFields))]
    public void Absent_entry_fields_are_null_or_empty_lists(string field, JsonValueKind kind)
    {
        var value = Root(Documents.Parse(Minimal)).GetProperty("entries")[0].GetProperty(field);
        Assert.Equal(kind, value.ValueKind);
        if (kind == JsonValueKind.Array)
        {
            Assert.Equal(0, value.GetArrayLength());
        }
    }

    [Fact]
    public void A_well_formed_feed_has_an_empty_errors_array_and_its_encoding()
    {
        var root = Root(Documents.Parse(Minimal));
        Assert.Equal(JsonValueKind.Array, root.GetProperty("errors").ValueKind);
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
        Assert.True(root.GetProperty("wellformed").GetBoolean());
        Assert.Equal("utf-8", root.GetProperty("encoding").GetString());
        Assert.Equal("rss2.0", root.GetProperty("format").GetString());
    }

    [Fact]
    public void Present_values_are_written_with_the_contract_shapes()
    {
        var root = Root(Documents.Parse(Full));
        var feed = root.GetProperty("feed");
        Assert.Equal(15, feed.GetProperty("ttl").GetInt32());
        Assert.Equal("https://example.com/feed", feed.GetProperty("self").GetString());
        var entry = root.GetProperty("entries")[0];
        Assert.Equal("2025-10-26T19:00:00Z", entry.GetProperty("published").GetString());
        var enclosure = entry.GetProperty("enclosures")[0];
        Assert.Equal(["url", "type", "length"], Names(enclosure));
        Assert.Equal(5, enclosure.GetProperty("length").GetInt64());
        Assert.Equal(["term", "scheme", "label"], Names(entry.GetProperty("categories")[0]));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("categories")[0].GetProperty("scheme").ValueKind);
        var author = entry.GetProperty("authors")[0];
        Assert.Equal(["name", "email", "uri"], Names(author));
        Assert.Equal("Ann", author.GetProperty("name").GetString());
        Assert.Equal("a@example.com", author.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, author.GetProperty("uri").ValueKind);
        var link = entry.GetProperty("links")[0];
        Assert.Equal(["rel", "href", "type", "title", "length"], Names(link));
    }

    [Fact]
    public void Non_ascii_text_is_written_readably()
    {
        var json = Json(Documents.Parse("""<rss version="2.0"><channel><title>Café – 日本</title></channel></rss>"""));
        Assert.Contains("Café – 日本", json, StringComparison.Ordinal);
    }
}
