using System.Text.RegularExpressions;
using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Checking;

/// <summary>The readers section, from the parsed (and sanitized) feed: full text, images, tracking pixels, duplicates.</summary>
internal static partial class ReaderRules
{
    [GeneratedRegex("""<img\b[^>]*>""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Img();

    [GeneratedRegex("""\bsrc\s*=\s*["']([^"']*)["']""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Src();

    [GeneratedRegex("""\b(?:width|height)\s*=\s*["']?[01](?:px)?["'\s>/]""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Tiny();

    public static ReaderFacts Check(ParsedFeed feed, int documentBytes, List<Finding> findings)
    {
        void Add(string id, string? detail = null) => findings.Add(FindingCatalog.Make(id, null, null, 0, detail));
        int fullText = 0, images = 0, relative = 0, lazy = 0, pixels = 0, duplicates = 0;
        var links = new HashSet<string>(StringComparer.Ordinal);
        var titles = new HashSet<string>(StringComparer.Ordinal);
        var guids = new HashSet<string>(StringComparer.Ordinal);
        var missingGuid = 0;
        foreach (var entry in feed.Entries)
        {
            var html = entry.ContentHtml ?? entry.SummaryHtml ?? "";
            if (entry.ContentHtml is { Length: > 0 } content && content.Length >= (entry.SummaryHtml?.Length ?? 0) && content.Length > 500)
            {
                fullText++;
            }
            foreach (Match img in Img().Matches(html))
            {
                images++;
                var src = Src().Match(img.Value);
                if (!src.Success || src.Groups[1].Value.Length == 0 || src.Groups[1].Value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                {
                    lazy++;
                }
                else if (!Uri.TryCreate(src.Groups[1].Value, UriKind.Absolute, out _))
                {
                    relative++;
                }
                if (Tiny().IsMatch(img.Value))
                {
                    pixels++;
                }
            }
            if ((entry.Link is { } link && !links.Add(link)) || (entry.Title is { Length: > 0 } title && !titles.Add(title) && entry.Link is null))
            {
                duplicates++;
            }
            if (entry.Id is null)
            {
                missingGuid++;
            }
            else if (!guids.Add(entry.Id))
            {
                Add("DuplicateGuid", entry.Id);
            }
        }
        if (feed.Entries.Count > 0 && fullText == 0)
        {
            Add("Excerpts");
        }
        if (lazy > 0)
        {
            Add("LazyImages", $"{lazy} of {images}");
        }
        if (relative > 0 && feed.Link is null)
        {
            Add("RelativeImages", $"{relative} of {images}");
        }
        if (pixels > 0)
        {
            Add("TrackingPixels", $"{pixels}");
        }
        if (duplicates > 0)
        {
            Add("DuplicateItems", $"{duplicates}");
        }
        var removed = feed.Errors.Count(e => e.Contains("removed", StringComparison.OrdinalIgnoreCase));
        return new ReaderFacts
        {
            Items = feed.Entries.Count,
            FullTextItems = fullText,
            Images = images,
            RelativeImages = relative,
            LazyImages = lazy,
            TrackingPixels = pixels,
            DuplicateItems = duplicates,
            RemovedBySanitizer = removed,
        };
    }
}
