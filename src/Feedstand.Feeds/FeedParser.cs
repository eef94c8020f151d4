using System.IO.Compression;
using System.Xml;
using Feedstand.Feeds.Atom;
using Feedstand.Feeds.Decoding;
using Feedstand.Feeds.Json;
using Feedstand.Feeds.Model;
using Feedstand.Feeds.Rss;
using Feedstand.Feeds.Urls;
using Feedstand.Feeds.Xml;

namespace Feedstand.Feeds;

/// <summary>How a document is to be read.</summary>
public sealed record FeedParseOptions
{
    /// <summary>The URL the document was fetched from; relative links resolve against it.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>
    /// The HTTP Content-Location, if the response had one: relative references resolve against it
    /// (itself resolved against <see cref="BaseUrl"/>) rather than the URL that was fetched; xml:base still wins.
    /// </summary>
    public string? ContentLocation { get; init; }

    /// <summary>The HTTP Content-Type, whose charset is one of the encoding hints.</summary>
    public string? ContentType { get; init; }

    /// <summary>Sanitize entry HTML (the default). Off only to time parsing alone.</summary>
    public bool Sanitize { get; init; } = true;

    /// <summary>
    /// Receives each entry as soon as it is parsed and normalized, in document order, instead of
    /// <see cref="Model.ParsedFeed.Entries"/> collecting them: a huge feed then streams through in
    /// little memory. Feed-level fields are still on the returned <see cref="Model.ParsedFeed"/>.
    /// </summary>
    public Action<ParsedEntry>? OnEntry { get; init; }

    /// <summary>The most bytes a compressed document may expand to.</summary>
    public int MaxDecompressedBytes { get; init; } = 64 << 20;

    public static FeedParseOptions Default { get; } = new();
}

/// <summary>
/// The one entry point: bytes in, a normalized and sanitized feed out. Decodes (BOM, HTTP
/// charset, XML declaration, sniffing), detects the format, streams the document through one
/// parser per format, and on broken XML repairs the text and reads it again.
/// </summary>
public static class FeedParser
{
    /// <exception cref="FeedParseException">The document holds no feed at all.</exception>
    public static ParsedFeed Parse(ReadOnlyMemory<byte> document, FeedParseOptions? options = null)
    {
        try
        {
            return ParseDocument(document, options ?? FeedParseOptions.Default);
        }
        catch (EntryCallbackException ex)
        {
            // The consumer's own failure in OnEntry (a cancelled store, a full disk): theirs, unchanged.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch (Exception ex) when (ex is not FeedParseException and not OutOfMemoryException)
        {
            // Any bytes must give a feed or a FeedParseException: a bug of ours on hostile input is
            // still reported as this document's failure, never as a crash of the caller.
            throw new FeedParseException($"not a feed: the parser failed on this document ({ex.GetType().Name}: {FirstSentence(ex.Message)})", ex);
        }
    }

    private static ParsedFeed ParseDocument(ReadOnlyMemory<byte> document, FeedParseOptions options)
    {
        var errors = new List<string>();
        var body = document;
        if (body.Span.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            body = Gunzip(body, options.MaxDecompressedBytes);
        }

        var first = FirstSignificantByte(body.Span);
        if (first < 0)
        {
            throw new FeedParseException("not a feed: the document is empty");
        }
        var isJson = first is (byte)'{' or (byte)'[';
        var decoded = EncodingDetector.Detect(body, options.ContentType, isJson, errors, out var encodingWasWrong);
        var documentBase = UrlResolver.ParseBase(options.BaseUrl);
        if (!string.IsNullOrWhiteSpace(options.ContentLocation)
            && UrlResolver.ResolveUri(documentBase, options.ContentLocation) is { IsAbsoluteUri: true, Scheme: "http" or "https" } location)
        {
            documentBase = location;
        }

        ParsedFeed feed;
        if (isJson)
        {
            feed = new ParsedFeed();
            JsonFeedParser.Parse(decoded, new FeedBuilder(feed, options, documentBase));
        }
        else
        {
            feed = ParseXml(decoded, options, documentBase);
        }

        feed.Encoding = decoded.Label;
        if (encodingWasWrong)
        {
            feed.IsWellFormed = false;
        }
        feed.Errors.InsertRange(0, errors);
        return feed;
    }

    private static ParsedFeed ParseXml(DecodedDocument decoded, FeedParseOptions options, Uri? documentBase)
    {
        var feed = new ParsedFeed();
        try
        {
            using var reader = new FeedXmlReader(decoded.OpenReader(), documentBase, HasEntityDeclarations(decoded.Body.Span));
            var builder = new FeedBuilder(feed, options, documentBase);
            ReadDocument(reader, builder);
            if (reader.HasJunkAfterFeed())
            {
                feed.IsWellFormed = false;
                builder.AddError("Junk after the root element was ignored.");
            }
            return feed;
        }
        catch (XmlException ex)
        {
            // Not well-formed: repair the text and read it again from the start.
            var (repaired, fixes) = XmlRepair.Repair(decoded.ReadAll());
            var recovered = new ParsedFeed { IsWellFormed = false };
            recovered.Errors.Add($"The document is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}: {FirstSentence(ex.Message)}); it was repaired.");
            recovered.Errors.AddRange(fixes);
            try
            {
                using var reader = new FeedXmlReader(new StringReader(repaired), documentBase);
                ReadDocument(reader, new FeedBuilder(recovered, options, documentBase));
            }
            catch (XmlException again)
            {
                throw new FeedParseException(
                    $"not a feed: the XML is broken beyond repair at line {ex.LineNumber}, position {ex.LinePosition} ({FirstSentence(again.Message)})", again);
            }
            return recovered;
        }
    }

    /// <summary>Finds the feed element (normally the root) and hands it to its format's parser.</summary>
    private static void ReadDocument(FeedXmlReader x, FeedBuilder b)
    {
        ReadFeedElement(x, b);
        if (x.MixedCaseName is { } name && b.Feed.Format != FeedFormat.Cdf)
        {
            b.Feed.IsWellFormed = false;
            b.AddError($"Element names in the wrong case (such as <{name}>) were read as their standard names.");
        }
    }

    private static void ReadFeedElement(FeedXmlReader x, FeedBuilder b)
    {
        if (!x.MoveToNextElement())
        {
            throw new FeedParseException("not a feed: the document has no XML element in it");
        }
        var rootName = x.Raw.LocalName;
        var nested = false;
        while (true)
        {
            switch (x.Name)
            {
                case "rss":
                    RssParser.ReadRss(x, b);
                    return;
                case "rdf":
                    RssParser.ReadRdf(x, b);
                    return;
                case "feed":
                    AtomParser.ReadFeed(x, b);
                    return;
                case "entry" when !nested && x.Namespace is Ns.Atom10 or Ns.Atom03:
                    AtomParser.ReadEntryDocument(x, b);
                    return;
                case "channel" when x.Namespace is Ns.None or Ns.Other:
                    RssParser.ReadChannelDocument(x, b);
                    return;
            }
            nested = true;
            if (!x.MoveToNextElement())
            {
                break;
            }
        }
        throw new FeedParseException(rootName.Equals("html", StringComparison.OrdinalIgnoreCase)
            ? "not a feed: the document is an HTML page"
            : $"not a feed: the root element is <{rootName}>, and there is no RSS, RDF or Atom element in the document");
    }

    private static ReadOnlyMemory<byte> Gunzip(ReadOnlyMemory<byte> body, int maxBytes)
    {
        try
        {
            using var gzip = new GZipStream(new ReadOnlyMemoryStream(body), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    throw new FeedParseException($"not a feed: the gzip-compressed document expands to more than {maxBytes / (1 << 20)} MB");
                }
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new FeedParseException("not a feed: the document looks gzip-compressed but cannot be decompressed", ex);
        }
    }

    /// <summary>Whether the document type declares entities (looked for in the head of the document only).</summary>
    private static bool HasEntityDeclarations(ReadOnlySpan<byte> body)
    {
        var head = body[..Math.Min(body.Length, 64 << 10)];
        return head.IndexOf("<!DOCTYPE"u8) >= 0 && head.IndexOf("<!ENTITY"u8) >= 0;
    }

    private static int FirstSignificantByte(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF or 0xFF or 0xFE or 0)
            {
                continue;
            }
            return b;
        }
        return -1;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.');
    }
}
