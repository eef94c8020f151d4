using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Feedstand.Feeds.Model;

/// <summary>Writes a <see cref="ParsedFeed"/> as the JSON of contracts/feed-json.md.</summary>
public static class FeedJson
{
    /// <summary>Keeps non-ASCII text readable; HTML is escaped only where JSON needs it.</summary>
    public static JavaScriptEncoder Encoder { get; } = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static void Write(Utf8JsonWriter writer, ParsedFeed feed, string? path)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(feed);
        writer.WriteStartObject();
        if (path is not null)
        {
            writer.WriteString("path", path);
        }
        writer.WriteString("format", feed.Format.Label());
        writer.WriteBoolean("wellformed", feed.IsWellFormed);
        writer.WriteStartArray("errors");
        foreach (var error in feed.Errors)
        {
            writer.WriteStringValue(error);
        }
        writer.WriteEndArray();
        writer.WriteString("encoding", feed.Encoding);

        writer.WriteStartObject("feed");
        writer.WriteString("title", feed.Title);
        writer.WriteString("subtitle", feed.Subtitle);
        writer.WriteString("link", feed.Link);
        WriteLinks(writer, feed.Links);
        writer.WriteString("self", feed.Self);
        writer.WriteString("id", feed.Id);
        writer.WriteString("language", feed.Language);
        WriteDate(writer, "updated", feed.Updated);
        WritePeople(writer, feed.Authors);
        WriteCategories(writer, feed.Categories);
        writer.WriteString("generator", feed.Generator);
        writer.WriteString("rights", feed.Rights);
        writer.WriteString("icon", feed.Icon);
        writer.WriteString("image", feed.Image);
        writer.WriteStartArray("hubs");
        foreach (var hub in feed.Hubs)
        {
            writer.WriteStringValue(hub);
        }
        writer.WriteEndArray();
        if (feed.Ttl is { } ttl)
        {
            writer.WriteNumber("ttl", ttl);
        }
        else
        {
            writer.WriteNull("ttl");
        }
        writer.WriteEndObject();

        writer.WriteStartArray("entries");
        foreach (var entry in feed.Entries)
        {
            WriteEntry(writer, entry);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter writer, ParsedEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("id", entry.Id);
        writer.WriteString("title", entry.Title);
        writer.WriteString("link", entry.Link);
        WriteLinks(writer, entry.Links);
        WriteDate(writer, "published", entry.Published);
        WriteDate(writer, "updated", entry.Updated);
        WritePeople(writer, entry.Authors);
        WriteCategories(writer, entry.Categories);
        writer.WriteString("summary_html", entry.SummaryHtml);
        writer.WriteString("content_html", entry.ContentHtml);
        writer.WriteStartArray("enclosures");
        foreach (var enclosure in entry.Enclosures)
        {
            writer.WriteStartObject();
            writer.WriteString("url", enclosure.Url);
            writer.WriteString("type", enclosure.Type);
            WriteNullableNumber(writer, "length", enclosure.Length);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString("comments", entry.Comments);
        writer.WriteString("image", entry.Image);
        writer.WriteEndObject();
    }

    private static void WriteLinks(Utf8JsonWriter writer, List<FeedLink> links)
    {
        writer.WriteStartArray("links");
        foreach (var link in links)
        {
            writer.WriteStartObject();
            writer.WriteString("rel", link.Rel);
            writer.WriteString("href", link.Href);
            writer.WriteString("type", link.Type);
            writer.WriteString("title", link.Title);
            WriteNullableNumber(writer, "length", link.Length);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WritePeople(Utf8JsonWriter writer, List<Person> people)
    {
        writer.WriteStartArray("authors");
        foreach (var person in people)
        {
            writer.WriteStartObject();
            writer.WriteString("name", person.Name);
            writer.WriteString("email", person.Email);
            writer.WriteString("uri", person.Uri);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteCategories(Utf8JsonWriter writer, List<Category> categories)
    {
        writer.WriteStartArray("categories");
        foreach (var category in categories)
        {
            writer.WriteStartObject();
            writer.WriteString("term", category.Term);
            writer.WriteString("scheme", category.Scheme);
            writer.WriteString("label", category.Label);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteDate(Utf8JsonWriter writer, string name, DateTimeOffset? date)
    {
        if (date is { } value)
        {
            writer.WriteString(name, FormatDate(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>ISO 8601, UTC, seconds precision: <c>2025-10-26T19:00:00Z</c>.</summary>
    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void WriteNullableNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
