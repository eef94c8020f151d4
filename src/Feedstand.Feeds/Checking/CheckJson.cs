using System.Text.Json;

namespace Feedstand.Feeds.Checking;

/// <summary>The report as JSON: the <c>feedstand check</c> line and <c>/feeds/{slug}/check.json</c>.</summary>
public static class CheckJson
{
    public static void Write(Utf8JsonWriter writer, CheckReport report, string? path = null, string? url = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        if (path is not null)
        {
            writer.WriteString("path", path);
        }
        if (url is not null)
        {
            writer.WriteString("url", url);
        }
        writer.WriteString("format", report.Format);
        writer.WriteNumber("score", report.Score);
        writer.WriteStartArray("findings");
        foreach (var finding in report.Findings)
        {
            WriteFinding(writer, finding);
        }
        writer.WriteEndArray();

        writer.WriteStartObject("sections");
        foreach (var section in Enum.GetValues<CheckSection>())
        {
            writer.WriteStartObject(SectionName(section));
            var errors = 0;
            var warnings = 0;
            foreach (var finding in report.Findings)
            {
                if (finding.Section == section)
                {
                    errors += finding.Level == FindingLevel.Error ? 1 : 0;
                    warnings += finding.Level == FindingLevel.Warning ? 1 : 0;
                }
            }
            writer.WriteNumber("errors", errors);
            writer.WriteNumber("warnings", warnings);
            switch (section)
            {
                case CheckSection.Http when report.Http is { } http:
                    writer.WritePropertyName("facts");
                    JsonSerializer.Serialize(writer, http, CheckJsonContext.Default.HttpFacts);
                    break;
                case CheckSection.Readers when report.Readers is { } readers:
                    writer.WritePropertyName("facts");
                    JsonSerializer.Serialize(writer, readers, CheckJsonContext.Default.ReaderFacts);
                    break;
                case CheckSection.Rhythm when report.Rhythm is { } rhythm:
                    writer.WritePropertyName("facts");
                    JsonSerializer.Serialize(writer, rhythm, CheckJsonContext.Default.RhythmFacts);
                    break;
                case CheckSection.Discovery when report.Discovery is { } discovery:
                    writer.WritePropertyName("facts");
                    JsonSerializer.Serialize(writer, discovery, CheckJsonContext.Default.DiscoveryFacts);
                    break;
                default:
                    break;
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteFinding(Utf8JsonWriter writer, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(finding);
        writer.WriteStartObject();
        writer.WriteString("id", finding.Id);
        writer.WriteString("level", LevelName(finding.Level));
        writer.WriteString("section", SectionName(finding.Section));
        writer.WriteString("element", finding.Element);
        writer.WriteString("parent", finding.Parent);
        writer.WriteNumber("line", finding.Line);
        writer.WriteString("message", finding.Message);
        writer.WriteString("help", finding.Help);
        writer.WriteEndObject();
    }

    public static string LevelName(FindingLevel level) => level switch
    {
        FindingLevel.Error => "error",
        FindingLevel.Warning => "warning",
        _ => "info",
    };

    public static string SectionName(CheckSection section) => section switch
    {
        CheckSection.Validity => "validity",
        CheckSection.Http => "http",
        CheckSection.Readers => "readers",
        CheckSection.Rhythm => "rhythm",
        _ => "discovery",
    };

    /// <summary>A failure before any document: the input could not be read or fetched.</summary>
    public static void WriteError(Utf8JsonWriter writer, string? path, string? url, string error)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (path is not null)
        {
            writer.WriteString("path", path);
        }
        if (url is not null)
        {
            writer.WriteString("url", url);
        }
        writer.WriteString("error", error);
        writer.WriteNumber("score", 0);
        writer.WriteStartArray("findings");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads back what <see cref="Write"/> wrote: the findings, format and readers facts (a stored report).</summary>
    public static CheckReport Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var findings = new List<Finding>();
        foreach (var f in root.GetProperty("findings").EnumerateArray())
        {
            findings.Add(new Finding(
                f.GetProperty("id").GetString()!,
                f.GetProperty("level").GetString() switch { "error" => FindingLevel.Error, "warning" => FindingLevel.Warning, _ => FindingLevel.Info },
                Enum.GetValues<CheckSection>().FirstOrDefault(s => SectionName(s) == f.GetProperty("section").GetString()),
                f.GetProperty("element").GetString(),
                f.GetProperty("parent").GetString(),
                f.GetProperty("line").GetInt32(),
                f.GetProperty("message").GetString() ?? "",
                f.GetProperty("help").GetString() ?? ""));
        }
        ReaderFacts? readers = null;
        HttpFacts? http = null;
        if (root.TryGetProperty("sections", out var sections))
        {
            if (sections.TryGetProperty("readers", out var r) && r.TryGetProperty("facts", out var facts))
            {
                readers = facts.Deserialize(CheckJsonContext.Default.ReaderFacts);
            }
            if (sections.TryGetProperty("http", out var h) && h.TryGetProperty("facts", out var httpFacts))
            {
                http = httpFacts.Deserialize(CheckJsonContext.Default.HttpFacts);
            }
        }
        return new CheckReport
        {
            Findings = findings,
            Score = root.GetProperty("score").GetInt32(),
            Format = root.TryGetProperty("format", out var format) ? format.GetString() : null,
            Readers = readers,
            Http = http,
        };
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HttpFacts))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ReaderFacts))]
[System.Text.Json.Serialization.JsonSerializable(typeof(RhythmFacts))]
[System.Text.Json.Serialization.JsonSerializable(typeof(DiscoveryFacts))]
internal sealed partial class CheckJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
