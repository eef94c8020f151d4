using System.Globalization;
using System.Text;
using System.Xml;

namespace Feedstand.Feeds.Opml;

/// <summary>Writes OPML 2.0 in UTF-8.</summary>
/// <remarks>
/// Each category becomes a folder outline (in order of first use) holding the feeds that have it,
/// so a feed with several categories appears under each; feeds without one sit at the top level.
/// Every feed outline also carries its categories in <c>category="a,b"</c> (names containing ','
/// or '/' only as folders, since the attribute cannot hold them). Reading the output gives back
/// the same feeds and categories.
/// </remarks>
public static class OpmlWriter
{
    /// <param name="created">Written as head/dateCreated (RFC 822) when given; the library reads no clock.</param>
    public static void Write(OpmlDocument document, Stream output, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            CloseOutput = false,
        };
        using var writer = XmlWriter.Create(output, settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("opml");
        writer.WriteAttributeString("version", "2.0");
        writer.WriteStartElement("head");
        if (document.Title is not null)
        {
            writer.WriteElementString("title", Clean(document.Title));
        }

        if (created is { } date)
        {
            writer.WriteElementString("dateCreated", date.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture));
        }

        writer.WriteEndElement();
        writer.WriteStartElement("body");

        var categories = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feed in document.Feeds)
        {
            foreach (var category in feed.Categories)
            {
                if (seen.Add(category))
                {
                    categories.Add(category);
                }
            }
        }

        foreach (var category in categories)
        {
            writer.WriteStartElement("outline");
            writer.WriteAttributeString("text", Clean(category));
            writer.WriteAttributeString("title", Clean(category));
            foreach (var feed in document.Feeds)
            {
                if (Contains(feed.Categories, category))
                {
                    WriteFeed(writer, feed);
                }
            }

            writer.WriteEndElement();
        }

        foreach (var feed in document.Feeds)
        {
            if (feed.Categories.Count == 0)
            {
                WriteFeed(writer, feed);
            }
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void WriteFeed(XmlWriter writer, OpmlOutline feed)
    {
        writer.WriteStartElement("outline");
        writer.WriteAttributeString("type", "rss");
        writer.WriteAttributeString("text", Clean(feed.Title ?? feed.XmlUrl));
        WriteOptional(writer, "title", feed.Title);
        writer.WriteAttributeString("xmlUrl", Clean(feed.XmlUrl));
        WriteOptional(writer, "htmlUrl", feed.HtmlUrl);
        WriteOptional(writer, "description", feed.Description);
        WriteOptional(writer, "language", feed.Language);
        var attribute = new StringBuilder();
        foreach (var category in feed.Categories)
        {
            if (category.AsSpan().ContainsAny(",/"))
            {
                continue;
            }

            if (attribute.Length > 0)
            {
                attribute.Append(',');
            }

            attribute.Append(category);
        }

        if (attribute.Length > 0)
        {
            writer.WriteAttributeString("category", Clean(attribute.ToString()));
        }

        writer.WriteEndElement();
    }

    private static void WriteOptional(XmlWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteAttributeString(name, Clean(value));
        }
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        foreach (var candidate in values)
        {
            if (candidate == value)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidXml(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (!XmlConvert.IsXmlChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text without characters XML cannot carry (control characters, lone surrogates).</summary>
    private static string Clean(string value)
    {
        if (IsValidXml(value))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
