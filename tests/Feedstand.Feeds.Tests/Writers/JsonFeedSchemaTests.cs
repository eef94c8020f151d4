using System.Text.Json;
using Json.Schema;

namespace Feedstand.Feeds.Tests.Writers;

/// <summary>
/// The JSON Feed writer's output for every corpus feed and seed snapshot feed is valid against the
/// JSON Feed 1.1 schema (tests/data/schemas, from the jsonfeed-schema package), formats included.
/// </summary>
public class JsonFeedSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(TestData.PathOf("schemas/jsonfeed-1.1.schema.json")));

    public static TheoryData<string> Files()
    {
        var rows = RepublishedCorpus.Files("corpus/MANIFEST.tsv", "corpus");
        foreach (var row in RepublishedCorpus.Files("seed/MANIFEST.tsv", "seed"))
        {
            rows.Add((string)row.Data);
        }
        return rows;
    }

    [Theory, MemberData(nameof(Files))]
    public void Json_feed_output_is_valid_against_the_json_feed_1_1_schema(string path)
    {
        var feed = RepublishedCorpus.Parse(path);
        if (feed is null)
        {
            Assert.StartsWith("corpus/", path, StringComparison.Ordinal);
            return;
        }
        var written = RepublishedCorpus.Write(feed, "json");
        using var json = JsonDocument.Parse(written);
        var result = Schema.Evaluate(json.RootElement, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Value))));
    }

    [Fact]
    public void Schema_rejects_a_feed_with_a_relative_item_url()
    {
        using var document = JsonDocument.Parse("""
            {"version": "https://jsonfeed.org/version/1.1", "title": "T",
             "items": [{"id": "1", "url": "/relative", "content_html": "<p>x</p>"}]}
            """);
        var result = Schema.Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = true });
        Assert.False(result.IsValid);
    }
}
