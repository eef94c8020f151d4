using System.Globalization;
using System.Text;

namespace Feedstand.Data;

/// <summary>URL-safe names: feed slugs from the site's host and path, tag names from what people type.</summary>
public static class Slugs
{
    private const int MaxLength = 80;

    private static readonly string[] FeedFileNames =
        ["feed", "feeds", "rss", "atom", "index.xml", "feed.xml", "rss.xml", "atom.xml", "feed.json", "index.rss", "rss2", "default"];

    /// <summary>"https://www.example.com/blog/" → "example-com-blog"; feed file names at the end are dropped.</summary>
    public static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return Clean(url) is { Length: > 0 } cleaned ? cleaned : "feed";
        }
        var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (segments.Count > 0 && (FeedFileNames.Contains(segments[^1].ToLowerInvariant()) || segments[^1].EndsWith(".xml", StringComparison.OrdinalIgnoreCase)))
        {
            segments.RemoveAt(segments.Count - 1);
        }
        var slug = Clean(host + "-" + string.Join('-', segments));
        return slug.Length > 0 ? slug : "feed";
    }

    /// <summary>"Machine Learning" → "machine-learning"; empty when nothing usable is left.</summary>
    public static string Tag(string name) => Clean(name ?? "");

    /// <summary>The slug, or with -2, -3… appended until it is not in <paramref name="taken"/> (which it is then added to).</summary>
    public static string Unique(string slug, ISet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var candidate = slug;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}-{n}");
        }
        return candidate;
    }

    private static string Clean(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        var pendingDash = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingDash && builder.Length > 0)
                {
                    builder.Append('-');
                }
                pendingDash = false;
                builder.Append(char.ToLowerInvariant(c));
                if (builder.Length >= MaxLength)
                {
                    break;
                }
            }
            else
            {
                pendingDash = true;
            }
        }
        return builder.ToString().TrimEnd('-');
    }
}
