using System.Text;

namespace Feedstand.Web;

/// <summary>The URL name of a listing, from its site's host: <c>lethain.com/feeds/</c> → <c>lethain-com</c>.</summary>
public static class Slugs
{
    public const int MaxLength = 80;

    /// <summary>A slug not in <paramref name="taken"/> (which it is added to): host, then first path segment, then a number.</summary>
    public static string FromUrl(string url, ISet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var host = "feed";
        string? segment = null;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            host = uri.IdnHost.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.IdnHost[4..] : uri.IdnHost;
            segment = uri.Segments.Length > 1 ? uri.Segments[1].Trim('/') : null;
        }
        var slug = Clean(host);
        if (slug.Length == 0)
        {
            slug = "feed";
        }
        if (taken.Add(slug))
        {
            return slug;
        }
        if (segment is { Length: > 0 } && Clean(slug + "-" + segment) is { } longer && longer != slug && taken.Add(longer))
        {
            return longer;
        }
        for (var i = 2; ; i++)
        {
            var numbered = slug + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (taken.Add(numbered))
            {
                return numbered;
            }
        }
    }

    /// <summary>Lower-case letters, digits and single dashes.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text)
        {
            if (builder.Length >= MaxLength)
            {
                break;
            }
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }
        return builder.ToString().Trim('-');
    }

    /// <summary>True for a tag or slug made of lower-case letters, digits and dashes.</summary>
    public static bool IsClean(string text) =>
        text.Length is > 0 and <= MaxLength && Clean(text) == text;
}
