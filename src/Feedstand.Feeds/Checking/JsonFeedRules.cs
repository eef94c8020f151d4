using System.Text.Json;
using Json.Schema;

namespace Feedstand.Feeds.Checking;

/// <summary>
/// JSON Feed against the rules of its 1.1 schema (jsonfeed.org/version/1.1): version, title, items,
/// each item's id and content, URL and date fields, with the validator's finding ids where it has
/// one; then the JSON Feed 1.1 schema (the jsonfeed-schema package's, embedded) reports what those
/// rules did not name.
/// </summary>
internal static class JsonFeedRules
{
    private const int MaxSchemaFindings = 20;

    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(JsonFeedRules).Assembly.GetManifestResourceStream("jsonfeed-1.1.schema.json")
            ?? throw new InvalidOperationException("the JSON Feed schema is not embedded");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    });

    /// <summary>Returns true when the document is a JSON Feed (even an invalid one).</summary>
    public static bool Check(ReadOnlyMemory<byte> document, List<Finding> findings)
    {
        void Add(string id, string? element, string? parent, string detail) => findings.Add(FindingCatalog.Make(id, element, parent, 0, detail));
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(document, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            findings.Add(FindingCatalog.Make("SAXError", null, null, (int)(ex.LineNumber ?? 0) + 1, "not valid JSON: " + ex.Message));
            return false;
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Add("NotAFeed", null, null, "the top level is not an object");
                return false;
            }
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String
                || !version.GetString()!.StartsWith("https://jsonfeed.org/version/", StringComparison.Ordinal))
            {
                Add("JsonFeedSchema", "version", "feed", "version must be https://jsonfeed.org/version/1.1");
            }
            RequireString(root, "title", "feed", true, findings);
            foreach (var url in (string[])["home_page_url", "feed_url", "icon", "favicon", "next_url"])
            {
                CheckUrl(root, url, "feed", findings);
            }
            if (root.TryGetProperty("language", out var language) && (language.ValueKind != JsonValueKind.String || !ValueRules.IsLanguage(language.GetString()!)))
            {
                Add("InvalidLanguage", "language", "feed", language.ToString());
            }
            if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                Add("JsonFeedSchema", "items", "feed", "items must be an array");
                return true;
            }
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Add("JsonFeedSchema", "item", "items", "each item must be an object");
                    continue;
                }
                if (!item.TryGetProperty("id", out var id) || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                {
                    Add("JsonFeedSchema", "id", "item", "every item needs an id (a string)");
                }
                else if (!ids.Add(id.ToString()))
                {
                    Add("DuplicateEntries", "id", "item", id.ToString());
                }
                if (!item.TryGetProperty("content_html", out _) && !item.TryGetProperty("content_text", out _))
                {
                    Add("JsonFeedSchema", "content_html", "item", "an item needs content_html or content_text");
                }
                CheckUrl(item, "url", "item", findings);
                CheckUrl(item, "external_url", "item", findings);
                CheckUrl(item, "image", "item", findings);
                foreach (var date in (string[])["date_published", "date_modified"])
                {
                    if (item.TryGetProperty(date, out var value) && (value.ValueKind != JsonValueKind.String || !ValueRules.IsRfc3339(value.GetString()!)))
                    {
                        Add("InvalidRFC3339Date", date, "item", value.ToString());
                    }
                }
                if (item.TryGetProperty("content_html", out var html) && html.ValueKind == JsonValueKind.String)
                {
                    HtmlRules.Check(html.GetString()!, (problem, detail) => Add(problem, "content_html", "item", detail));
                }
            }
            CheckSchema(root, findings);
            return true;
        }
    }

    /// <summary>Schema errors at places the rules above said nothing about, as JsonFeedSchema findings.</summary>
    private static void CheckSchema(JsonElement root, List<Finding> findings)
    {
        var results = Schema.Value.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return;
        }
        var named = findings.Select(f => f.Element).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        Walk(results);

        // Only down failing nodes: a branch of a oneOf that failed while another passed is no error.
        void Walk(EvaluationResults node)
        {
            if (node.IsValid || added >= MaxSchemaFindings)
            {
                return;
            }
            if (node.Errors is { Count: > 0 } errors)
            {
                var location = node.InstanceLocation.ToString();
                var segments = location.Split('/', StringSplitOptions.RemoveEmptyEntries);
                var element = segments.LastOrDefault(s => !s.All(char.IsAsciiDigit)) ?? "feed";
                if (named.Add(element))
                {
                    var parent = segments is ["items", _, _, ..] ? "item" : "feed";
                    foreach (var error in errors.Values)
                    {
                        findings.Add(FindingCatalog.Make("JsonFeedSchema", element, parent, 0, $"{(location.Length == 0 ? "/" : location)}: {error}"));
                        added++;
                    }
                }
            }
            var children = node.Details ?? [];
            foreach (var child in children)
            {
                // The branches of an anyOf/oneOf come as children: a failed branch is no error when
                // a sibling branch of the same keyword passed.
                if (Branch(child) is { } keyword && children.Any(c => c.IsValid && Branch(c) == keyword))
                {
                    continue;
                }
                Walk(child);
            }
        }
    }

    /// <summary>The evaluation path up to <c>anyOf</c> or <c>oneOf</c> when the node is one of its branches.</summary>
    private static string? Branch(EvaluationResults node)
    {
        var path = node.EvaluationPath.ToString();
        var last = path.LastIndexOf('/');
        return last > 0 && (path.AsSpan(0, last).EndsWith("/anyOf", StringComparison.Ordinal) || path.AsSpan(0, last).EndsWith("/oneOf", StringComparison.Ordinal))
            ? path[..last]
            : null;
    }

    private static void RequireString(JsonElement obj, string name, string parent, bool required, List<Finding> findings)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            if (required)
            {
                findings.Add(FindingCatalog.Make("JsonFeedSchema", name, parent, 0, $"{name} is required"));
            }
        }
        else if (value.ValueKind != JsonValueKind.String)
        {
            findings.Add(FindingCatalog.Make("JsonFeedSchema", name, parent, 0, $"{name} must be a string"));
        }
    }

    private static void CheckUrl(JsonElement obj, string name, string parent, List<Finding> findings)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            findings.Add(FindingCatalog.Make("JsonFeedSchema", name, parent, 0, $"{name} must be a string"));
        }
        else if (ValueRules.UrlProblem(value.GetString()!, false) is { } problem)
        {
            findings.Add(FindingCatalog.Make(problem, name, parent, 0, value.GetString()));
        }
    }
}
