using System.Text.Json;
using Feedstand.Feeds.Decoding;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Json;

/// <summary>JSON Feed 1.0 and 1.1 (and RSS 2.0 written as JSON, the "RSS-in-JSON" of scripting.com).</summary>
internal static class JsonFeedParser
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    public static void Parse(DecodedDocument decoded, FeedBuilder b)
    {
        JsonDocument document;
        try
        {
            document = decoded.Label == "utf-8"
                ? JsonDocument.Parse(decoded.Body, Options)
                : JsonDocument.Parse(decoded.ReadAll(), Options);
        }
        catch (JsonException ex)
        {
            var repaired = JsonRepair.CloseTruncated(decoded.ReadAll(), Parses)
                ?? throw new FeedParseException(
                    $"not a feed: the document is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})", ex);
            document = JsonDocument.Parse(repaired, Options);
            b.Feed.IsWellFormed = false;
            b.AddError($"The JSON is cut off or broken (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}); what came before was read.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FeedParseException("not a feed: the JSON document is not an object");
            }
            if (root.TryGetProperty("rss", out var rss) && rss.ValueKind == JsonValueKind.Object
                && rss.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.Object)
            {
                ReadRssInJson(channel, b);
                return;
            }
            ReadJsonFeed(root, b);
        }
    }

    private static bool Parses(string text)
    {
        try
        {
            using var probe = JsonDocument.Parse(text, Options);
            return probe.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadJsonFeed(JsonElement root, FeedBuilder b)
    {
        var feed = b.Feed;
        var version = String(root, "version");
        var hasItems = root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array;
        if (version is not null && version.Contains("jsonfeed.org/version/1.1", StringComparison.OrdinalIgnoreCase))
        {
            feed.Format = FeedFormat.JsonFeed11;
        }
        else if (version is not null && version.Contains("jsonfeed.org/version/1", StringComparison.OrdinalIgnoreCase))
        {
            feed.Format = FeedFormat.JsonFeed10;
        }
        else if (hasItems || String(root, "feed_url") is not null || String(root, "home_page_url") is not null)
        {
            feed.Format = version?.Trim() is "1.1" ? FeedFormat.JsonFeed11 : FeedFormat.JsonFeed10;
            b.AddError(version is null
                ? "The JSON Feed has no version; it was read as JSON Feed 1.0."
                : $"The JSON Feed version \"{version}\" is not a jsonfeed.org URL; it was read as {feed.Format.Label()}.");
        }
        else
        {
            throw new FeedParseException("not a feed: the JSON document has no JSON Feed version and no items");
        }

        var baseUri = b.DocumentBase;
        feed.Title = FeedBuilder.JsonText(String(root, "title"));
        feed.Subtitle = FeedBuilder.PlainTitle(String(root, "description"), TextKind.Text);
        feed.Link = FeedBuilder.Url(baseUri, String(root, "home_page_url"));
        feed.Self = FeedBuilder.Url(baseUri, String(root, "feed_url"));
        if (feed.Link is not null)
        {
            feed.Links.Add(new FeedLink("alternate", feed.Link, "text/html"));
        }
        if (feed.Self is not null)
        {
            feed.Links.Add(new FeedLink("self", feed.Self, "application/feed+json"));
        }
        if (FeedBuilder.Url(baseUri, String(root, "next_url")) is { } next)
        {
            feed.Links.Add(new FeedLink("next", next, "application/feed+json"));
        }
        feed.Language = String(root, "language")?.Trim();
        feed.Icon = FeedBuilder.Url(baseUri, String(root, "favicon"));
        feed.Image = FeedBuilder.Url(baseUri, String(root, "icon"));
        ReadAuthors(root, feed.Authors, baseUri);
        if (root.TryGetProperty("hubs", out var hubs) && hubs.ValueKind == JsonValueKind.Array)
        {
            foreach (var hub in hubs.EnumerateArray())
            {
                if (FeedBuilder.Url(baseUri, String(hub, "url")) is { } url && !feed.Hubs.Contains(url))
                {
                    feed.Hubs.Add(url);
                }
            }
        }
        if (!hasItems)
        {
            return;
        }
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                ReadItem(item, b, baseUri);
            }
        }
    }

    private static void ReadItem(JsonElement item, FeedBuilder b, Uri? baseUri)
    {
        var draft = new EntryDraft();
        var entry = draft.Entry;
        entry.Id = String(item, "id")?.Trim() is { Length: > 0 } id ? id : null;
        entry.Link = FeedBuilder.Url(baseUri, String(item, "url"));
        if (entry.Link is not null)
        {
            entry.Links.Add(new FeedLink("alternate", entry.Link, "text/html"));
        }
        if (FeedBuilder.Url(baseUri, String(item, "external_url")) is { } external)
        {
            entry.Links.Add(new FeedLink("related", external));
            entry.Link ??= external;
        }
        entry.Title = FeedBuilder.JsonText(String(item, "title"));
        entry.Published = b.Date(String(item, "date_published"), "date_published");
        entry.Updated = b.Date(String(item, "date_modified"), "date_modified");
        ReadAuthors(item, entry.Authors, baseUri);
        if (item.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tags.EnumerateArray())
            {
                if (tag.ValueKind == JsonValueKind.String)
                {
                    FeedBuilder.AddCategory(entry.Categories, Text(tag));
                }
            }
        }
        if (String(item, "summary") is { } summary)
        {
            draft.Summary = new RawHtml(FeedBuilder.HtmlOf(summary, TextKind.Text), null);
        }
        if (String(item, "content_html") is { } html)
        {
            draft.Content = new RawHtml(html, null);
        }
        else if (String(item, "content_text") is { } text)
        {
            draft.Content = new RawHtml(FeedBuilder.HtmlOf(text, TextKind.Text), null);
        }
        entry.Image = FeedBuilder.Url(baseUri, String(item, "image")) ?? FeedBuilder.Url(baseUri, String(item, "banner_image"));
        if (item.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            foreach (var attachment in attachments.EnumerateArray())
            {
                FeedBuilder.AddEnclosure(entry, FeedBuilder.Url(baseUri, String(attachment, "url")),
                    String(attachment, "mime_type"), String(attachment, "size_in_bytes"));
            }
        }
        b.FinishEntry(draft);
    }

    /// <summary>JSON Feed 1.1 "authors" and 1.0 "author": name, url (a mailto: url is an email).</summary>
    private static void ReadAuthors(JsonElement owner, List<Person> people, Uri? baseUri)
    {
        if (owner.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            foreach (var author in authors.EnumerateArray())
            {
                AddAuthor(author, people, baseUri);
            }
        }
        if (people.Count == 0 && owner.TryGetProperty("author", out var single))
        {
            AddAuthor(single, people, baseUri);
        }
    }

    private static void AddAuthor(JsonElement author, List<Person> people, Uri? baseUri)
    {
        if (author.ValueKind == JsonValueKind.String)
        {
            FeedBuilder.AddPerson(people, FeedBuilder.Person(Text(author)));
            return;
        }
        if (author.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var name = FeedBuilder.JsonText(String(author, "name"));
        var url = String(author, "url")?.Trim();
        string? email = null;
        if (url is not null && url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            email = url[7..];
            url = null;
        }
        if (name is null && email is null && url is null)
        {
            return;
        }
        FeedBuilder.AddPerson(people, new Person(name, email, FeedBuilder.PersonUrl(baseUri, url)));
    }

    /// <summary>RSS 2.0 expressed as JSON: {"rss": {"channel": {..., "item": [...]}}}.</summary>
    private static void ReadRssInJson(JsonElement channel, FeedBuilder b)
    {
        var feed = b.Feed;
        var baseUri = b.DocumentBase;
        feed.Format = FeedFormat.Rss20;
        b.AddError("The document is RSS 2.0 written as JSON; it was read as RSS 2.0.");
        feed.Title = FeedBuilder.RssTitle(String(channel, "title"));
        feed.Link = FeedBuilder.Url(baseUri, String(channel, "link"));
        if (feed.Link is not null)
        {
            feed.Links.Add(new FeedLink("alternate", feed.Link));
        }
        feed.Subtitle = FeedBuilder.PlainTitle(String(channel, "description"), TextKind.Html);
        feed.Language = String(channel, "language")?.Trim();
        feed.Rights = FeedBuilder.PlainTitle(String(channel, "copyright"), TextKind.Text);
        feed.Generator = String(channel, "generator")?.Trim();
        feed.Updated = b.Date(String(channel, "lastBuildDate") ?? String(channel, "pubDate"), "lastBuildDate");
        if (!channel.TryGetProperty("item", out var items))
        {
            return;
        }
        var list = items.ValueKind == JsonValueKind.Array ? items.EnumerateArray().ToList() : [items];
        foreach (var item in list)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var draft = new EntryDraft();
            var entry = draft.Entry;
            entry.Title = FeedBuilder.RssTitle(String(item, "title"));
            entry.Link = FeedBuilder.Url(baseUri, String(item, "link"));
            if (entry.Link is not null)
            {
                entry.Links.Add(new FeedLink("alternate", entry.Link));
            }
            entry.Id = item.TryGetProperty("guid", out var guid)
                ? guid.ValueKind == JsonValueKind.Object ? String(guid, "value") ?? String(guid, "#value") : String(item, "guid")
                : null;
            entry.Published = b.Date(String(item, "pubDate"), "pubDate");
            if (String(item, "description") is { } description)
            {
                draft.Summary = new RawHtml(description, null);
            }
            FeedBuilder.AddPerson(entry.Authors, FeedBuilder.Person(String(item, "author")));
            b.FinishEntry(draft);
        }
    }

    /// <summary>A string property; numbers become their text (JSON Feed ids are sometimes numbers).</summary>
    private static string? String(JsonElement owner, string name)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => Text(value),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>
    /// The value of a JSON string. A lone surrogate escape (<c>"\ud800"</c>) is not text: it becomes
    /// U+FFFD, as a browser's JSON.parse would render it, instead of an exception.
    /// </summary>
    private static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return UnescapeLenient(value.GetRawText());
        }
    }

    /// <summary>Unescapes a raw JSON string token (quotes included), turning unpaired surrogates into U+FFFD.</summary>
    internal static string UnescapeLenient(string raw)
    {
        var s = raw.AsSpan();
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            s = s[1..^1];
        }
        var builder = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                builder.Append(c);
                continue;
            }
            var e = s[++i];
            switch (e)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'u' when i + 4 < s.Length && ushort.TryParse(s.Slice(i + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                default: builder.Append(e); break;
            }
        }
        // Pair what pairs; every surrogate left alone becomes U+FFFD.
        for (var i = 0; i < builder.Length; i++)
        {
            if (char.IsHighSurrogate(builder[i]) && i + 1 < builder.Length && char.IsLowSurrogate(builder[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(builder[i]))
            {
                builder[i] = '\uFFFD';
            }
        }
        return builder.ToString();
    }
}
