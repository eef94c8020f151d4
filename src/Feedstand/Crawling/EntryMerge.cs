using System.Security.Cryptography;
using System.Text;
using Feedstand.Data;
using Feedstand.Feeds.Model;

namespace Feedstand.Crawling;

/// <summary>
/// How a parsed entry becomes a stored one: its dedupe key (guid, else link, else a hash of
/// title and date), a content hash that tells an edited post, and the plain text for search.
/// </summary>
public static class EntryMerge
{
    private const int MaxKeyLength = 512;
    private const int MaxSearchTextLength = 4000;

    public static string KeyOf(ParsedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = entry.Id is { Length: > 0 } id ? id.Trim()
            : entry.Link is { Length: > 0 } link ? link.Trim()
            : "hash:" + Hash($"{entry.Title}\n{(entry.Published ?? entry.Updated)?.UtcDateTime:O}");
        return key.Length > MaxKeyLength ? "hash:" + Hash(key) : key;
    }

    public static string ContentHashOf(ParsedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = new StringBuilder();
        text.Append(entry.Title).Append('\n').Append(entry.Link).Append('\n')
            .Append(entry.Published?.UtcDateTime.ToString("O")).Append('\n')
            .Append(entry.Updated?.UtcDateTime.ToString("O")).Append('\n')
            .Append(entry.SummaryHtml).Append('\n').Append(entry.ContentHtml).Append('\n')
            .Append(entry.Image).Append('\n').Append(entry.Comments).Append('\n');
        foreach (var author in entry.Authors)
        {
            text.Append(author.Name).Append(';');
        }
        text.Append('\n');
        foreach (var category in entry.Categories)
        {
            text.Append(category.Term).Append(';');
        }
        text.Append('\n');
        foreach (var enclosure in entry.Enclosures)
        {
            text.Append(enclosure.Url).Append(';');
        }
        return Hash(text.ToString());
    }

    /// <summary>Copies the parsed fields onto a stored entry (new or edited).</summary>
    public static void Apply(Entry target, ParsedEntry source, string contentHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        target.Link = source.Link;
        target.Title = source.Title;
        target.PublishedAt = source.Published?.ToUniversalTime();
        target.UpdatedAt = source.Updated?.ToUniversalTime();
        target.Authors = source.Authors.Select(a => a.Name ?? a.Email ?? a.Uri).OfType<string>().Distinct().ToList();
        target.Categories = source.Categories.Select(c => c.Label ?? c.Term).Where(c => c.Length > 0).Distinct().ToList();
        target.Enclosures = source.Enclosures.Select(e => new EntryEnclosure { Url = e.Url, Type = e.Type, Length = e.Length }).ToList();
        target.SummaryHtml = source.SummaryHtml;
        target.ContentHtml = source.ContentHtml;
        target.ImageUrl = source.Image;
        target.CommentsUrl = source.Comments;
        target.ContentHash = contentHash;
        target.SearchText = PlainText(source.ContentHtml ?? source.SummaryHtml, MaxSearchTextLength);
        target.SortDate = SortDateOf(source, target.FirstSeenAt == default ? now : target.FirstSeenAt, now);
    }

    /// <summary>Published (else updated) date, never later than now; first-seen when undated.</summary>
    public static DateTimeOffset SortDateOf(ParsedEntry entry, DateTimeOffset firstSeen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var date = (entry.Published ?? entry.Updated)?.ToUniversalTime() ?? firstSeen;
        return date > now ? now : date;
    }

    /// <summary>
    /// The text of sanitized HTML for search, capped: the library's one HTML-to-text routine
    /// (<see cref="Feeds.Sanitizing.PlainText.FromHtml"/>) over at most twice the cap of markup.
    /// </summary>
    public static string? PlainText(string? html, int maxLength)
    {
        if (string.IsNullOrEmpty(html))
        {
            return null;
        }
        var text = Feeds.Sanitizing.PlainText.FromHtml(html.Length > maxLength * 2 ? html[..(maxLength * 2)] : html);
        return text is not null && text.Length > maxLength ? text[..maxLength] : text;
    }

    private static string Hash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
