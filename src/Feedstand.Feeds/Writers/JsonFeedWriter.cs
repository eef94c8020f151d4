using System.Text.Json;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Writers;

/// <summary>Writes a feed as JSON Feed 1.1, streaming with <see cref="Utf8JsonWriter"/>.</summary>
public static class JsonFeedWriter
{
    public const string ContentType = "application/feed+json; charset=utf-8";

    public static void Write(ParsedFeed feed, Stream output)
    {
        ArgumentNullException.ThrowIfNull(feed);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = FeedJson.Encoder });
        writer.WriteStartObject();
        writer.WriteString("version", "https://jsonfeed.org/version/1.1");
        writer.WriteString("title", feed.Title ?? "");
        Optional(writer, "home_page_url", feed.Link);
        Optional(writer, "feed_url", feed.Self);
        Optional(writer, "description", feed.Subtitle);
        Optional(writer, "icon", feed.Image ?? feed.Icon);
        Optional(writer, "favicon", feed.Icon);
        Optional(writer, "language", feed.Language);
        Authors(writer, feed.Authors);
        writer.WriteStartArray("items");
        foreach (var entry in feed.Entries)
        {
            writer.WriteStartObject();
            writer.WriteString("id", entry.Id ?? entry.Link ?? FeedJson.FormatDate(entry.Published ?? DateTimeOffset.UnixEpoch));
            Optional(writer, "url", entry.Link);
            Optional(writer, "title", entry.Title);
            writer.WriteString("content_html", entry.ContentHtml ?? entry.SummaryHtml ?? "");
            Optional(writer, "image", entry.Image);
            if (entry.Published is { } published)
            {
                writer.WriteString("date_published", FeedJson.FormatDate(published));
            }
            if (entry.Updated is { } updated)
            {
                writer.WriteString("date_modified", FeedJson.FormatDate(updated));
            }
            Authors(writer, entry.Authors);
            if (entry.Categories.Count > 0)
            {
                writer.WriteStartArray("tags");
                foreach (var category in entry.Categories)
                {
                    writer.WriteStringValue(category.Label ?? category.Term);
                }
                writer.WriteEndArray();
            }
            if (entry.Enclosures.Count > 0)
            {
                writer.WriteStartArray("attachments");
                foreach (var enclosure in entry.Enclosures)
                {
                    writer.WriteStartObject();
                    writer.WriteString("url", enclosure.Url);
                    writer.WriteString("mime_type", enclosure.Type ?? "application/octet-stream");
                    if (enclosure.Length is { } length)
                    {
                        writer.WriteNumber("size_in_bytes", length);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Authors(Utf8JsonWriter writer, List<Person> people)
    {
        if (people.Count == 0)
        {
            return;
        }
        writer.WriteStartArray("authors");
        foreach (var person in people)
        {
            writer.WriteStartObject();
            Optional(writer, "name", person.Name ?? person.Email);
            Optional(writer, "url", person.Uri);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void Optional(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
