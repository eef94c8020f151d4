using Feedstand.Data;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.FullText;

/// <summary>Reads of the full text kept beside entries, for the pages and feeds that show it.</summary>
public static class FullTextQueries
{
    /// <summary>Extracted full text by entry id, for those of <paramref name="entryIds"/> that have one.</summary>
    public static async Task<Dictionary<long, string>> ForEntriesAsync(FeedstandDb db, IReadOnlyCollection<long> entryIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entryIds);
        if (entryIds.Count == 0)
        {
            return [];
        }
        return await db.EntryFullTexts.AsNoTracking()
            .Where(t => entryIds.Contains(t.EntryId) && t.ContentHtml != null)
            .ToDictionaryAsync(t => t.EntryId, t => t.ContentHtml!, ct).ConfigureAwait(false);
    }
}
