using System.Text;
using System.Text.RegularExpressions;
using Feedstand.Feeds.Decoding;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Checking;

/// <summary>What the caller knows besides the document's bytes: where it came from and how it was served.</summary>
public sealed record CheckInput
{
    /// <summary>The URL the document was fetched from (resolves relative links; checked against rel="self").</summary>
    public string? Url { get; init; }

    /// <summary>The HTTP Content-Type the document was served with.</summary>
    public string? ContentType { get; init; }

    /// <summary>How the document was served; null for a local file.</summary>
    public HttpFacts? Http { get; init; }

    /// <summary>The feed's history in the directory; null for an unlisted feed.</summary>
    public RhythmFacts? Rhythm { get; init; }

    /// <summary>What the site's home page says about the feed; null when not looked at.</summary>
    public DiscoveryFacts? Discovery { get; init; }

    /// <summary>Now, for future dates.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>The whole report: findings of every section, the score and the facts each section shows.</summary>
public sealed class CheckReport
{
    public required List<Finding> Findings { get; init; }

    /// <summary>0 (no feed) to 100 (nothing to fix).</summary>
    public required int Score { get; init; }

    /// <summary>rss, atom, rdf, rss11, json, or null when there is no feed.</summary>
    public string? Format { get; init; }

    public ReaderFacts? Readers { get; init; }
    public HttpFacts? Http { get; init; }
    public RhythmFacts? Rhythm { get; init; }
    public DiscoveryFacts? Discovery { get; init; }
}

/// <summary>
/// The publisher's feed check: document bytes (and what the caller knows of HTTP, history and the
/// site) in, findings and a score out. Pure: no network, no database, no clock but <see cref="CheckInput.Now"/>.
/// </summary>
public static partial class FeedChecker
{
    public static CheckReport Check(ReadOnlyMemory<byte> document, CheckInput? input = null) => Check(document, null, input);

    /// <summary>The check of a document the caller has already parsed (the refresher), so it is not parsed twice.</summary>
    public static CheckReport Check(ReadOnlyMemory<byte> document, ParsedFeed? parsed, CheckInput? input)
    {
        input ??= new CheckInput();
        var findings = new List<Finding>();
        string? format = null;
        var first = FirstSignificantByte(document.Span);
        var isJson = first is (byte)'{' or (byte)'[';
        if (first < 0)
        {
            findings.Add(FindingCatalog.Make("NotAFeed", null, null, 1, "the document is empty"));
        }
        else if (isJson)
        {
            format = JsonFeedRules.Check(document, findings) ? "json" : null;
        }
        else
        {
            var text = DecodeChecked(document, input.ContentType, findings);
            format = XmlValidity.Check(text, findings, input.Now);
        }

        if (parsed is null && first >= 0)
        {
            try
            {
                parsed = FeedParser.Parse(document, new FeedParseOptions { BaseUrl = input.Url, ContentType = input.ContentType });
            }
            catch (FeedParseException ex)
            {
                if (format is null && !findings.Exists(f => f.Level == FindingLevel.Error))
                {
                    findings.Add(FindingCatalog.Make("NotAFeed", null, null, 0, ex.Message));
                }
            }
        }

        ReaderFacts? readers = null;
        if (parsed is not null)
        {
            foreach (var repair in parsed.Errors)
            {
                findings.Add(FindingCatalog.Make("ParserRepair", null, null, 0, repair));
            }
            CheckSelf(parsed, input, findings);
            readers = ReaderRules.Check(parsed, document.Length, findings);
            if (parsed.Link is null)
            {
                findings.Add(FindingCatalog.Make("NoSiteLink", null, null, 0));
            }
            if (parsed.Hubs.Count > 0)
            {
                findings.Add(FindingCatalog.Make("WebSub", null, null, 0, parsed.Hubs[0]));
            }
        }
        var report = new CheckReport
        {
            Findings = findings,
            Score = 0,
            Format = parsed is null ? null : format ?? parsed.Format.ToString().ToLowerInvariant(),
            Readers = readers,
        };
        return Compose(report, parsed is not null, input, parsed?.Icon is not null || parsed?.Image is not null);
    }

    /// <summary>
    /// Adds the sections that do not come from the document (HTTP, rhythm, discovery) to a document's
    /// findings, stored or fresh, and scores the whole. <paramref name="hasFeed"/> false scores 0.
    /// </summary>
    public static CheckReport Compose(CheckReport document, bool hasFeed, CheckInput input, bool feedHasIcon)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(input);
        var findings = new List<Finding>(document.Findings.Where(f => f.Section is CheckSection.Validity or CheckSection.Readers
            || f.Id is "NoSiteLink" or "WebSub"));
        if (input.Http is { } http)
        {
            HttpRules.Check(http, document.Format, findings);
        }
        if (input.Rhythm is { } rhythm)
        {
            RhythmRules.Check(rhythm, input.Now, findings);
        }
        if (input.Discovery is { } discovery)
        {
            DiscoveryRules.Check(discovery, feedHasIcon, findings);
        }
        return new CheckReport
        {
            Findings = findings,
            Score = hasFeed ? ScoreOf(findings) : 0,
            Format = document.Format,
            Readers = document.Readers,
            Http = input.Http,
            Rhythm = input.Rhythm,
            Discovery = input.Discovery,
        };
    }

    /// <summary>100 minus 15 per kind of error and 4 per kind of warning; information costs nothing.</summary>
    public static int ScoreOf(IEnumerable<Finding> findings)
    {
        var errors = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            (finding.Level == FindingLevel.Error ? errors : finding.Level == FindingLevel.Warning ? warnings : null)?.Add(finding.Id);
        }
        return Math.Clamp(100 - (15 * errors.Count) - (4 * warnings.Count), 0, 100);
    }

    private static void CheckSelf(ParsedFeed parsed, CheckInput input, List<Finding> findings)
    {
        if (input.Url is not { } url || parsed.Self is not { } self)
        {
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var fetched) || !Uri.TryCreate(self, UriKind.Absolute, out var claimed))
        {
            return;
        }
        var finalUrl = input.Http?.FinalUrl is { } final && Uri.TryCreate(final, UriKind.Absolute, out var f) ? f : fetched;
        static string Key(Uri u) => u.Host.ToLowerInvariant() + u.PathAndQuery.TrimEnd('/');
        if (Key(claimed) != Key(fetched) && Key(claimed) != Key(finalUrl))
        {
            findings.Add(FindingCatalog.Make("SelfDoesNotMatchLocation", "link", "feed", 0, $"self is {self}, fetched from {url}"));
        }
    }

    [GeneratedRegex("""^<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""", RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredEncoding();

    /// <summary>Encoding declared vs actual vs HTTP charset (<c>UnicodeError</c>, <c>EncodingMismatch</c>); returns the text.</summary>
    private static string DecodeChecked(ReadOnlyMemory<byte> document, string? contentType, List<Finding> findings)
    {
        var span = document.Span;
        var hasUtf8Bom = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        var hasUtf16Bom = span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
        var head = Encoding.ASCII.GetString(span[(hasUtf8Bom ? 3 : 0)..Math.Min(span.Length, 300)]);
        var match = DeclaredEncoding().Match(head);
        var declared = match.Success ? match.Groups[1].Value.Trim().ToLowerInvariant() : null;
        var normalized = declared is null ? null : EncodingDetector.Normalize(declared);
        var http = EncodingDetector.CharsetOf(contentType);

        if (declared is not null && normalized is null && !declared.StartsWith("utf-16", StringComparison.Ordinal) && !declared.StartsWith("utf-32", StringComparison.Ordinal))
        {
            findings.Add(FindingCatalog.Make("UnknownEncoding", null, null, 1, declared));
        }
        if (hasUtf8Bom && declared is not null && normalized != "utf-8")
        {
            findings.Add(FindingCatalog.Make("UnicodeError", null, null, 1, $"a UTF-8 byte order mark, but the declaration says {declared}"));
        }
        else if (!hasUtf16Bom && declared is "us-ascii" or "ascii" && span.IndexOfAnyInRange((byte)0x80, (byte)0xFF) is var high && high >= 0)
        {
            findings.Add(FindingCatalog.Make("UnicodeError", null, null, LineAt(span, high), $"declared {declared}, but byte 0x{span[high]:X2} is not ASCII"));
        }
        else if (!hasUtf16Bom && (normalized is null or "utf-8") && (http is null || EncodingDetector.Normalize(http) == "utf-8" || declared is not null)
            && System.Text.Unicode.Utf8.IsValid(span) is false)
        {
            var bad = FirstInvalidUtf8(span);
            findings.Add(FindingCatalog.Make("UnicodeError", null, null, LineAt(span, bad), $"the bytes are not valid UTF-8 (byte 0x{span[bad]:X2})"));
        }
        if (http is not null && declared is not null && EncodingDetector.Normalize(http) is { } httpNormalized && normalized is not null && httpNormalized != normalized)
        {
            findings.Add(FindingCatalog.Make("EncodingMismatch", null, null, 1, $"HTTP says {http}, the document says {declared}"));
        }

        var errors = new List<string>();
        return EncodingDetector.Detect(document, contentType, isJson: false, errors, out _).ReadAll();
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> span)
    {
        var offset = 0;
        while (offset < span.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return 0;
    }

    private static int LineAt(ReadOnlySpan<byte> span, int offset) => span[..offset].Count((byte)'\n') + 1;

    private static int FirstSignificantByte(ReadOnlySpan<byte> span)
    {
        var start = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        for (var i = start; i < span.Length; i++)
        {
            if (span[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return span[i];
            }
        }
        return -1;
    }
}
