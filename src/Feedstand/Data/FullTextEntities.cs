using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>Whether a feed's entries get their full text fetched from the linked pages.</summary>
public enum FullTextMode
{
    /// <summary>The refresher decides: summary-only feeds get it.</summary>
    Auto = 0,

    /// <summary>Forced on by an admin.</summary>
    On = 1,

    /// <summary>Forced off by an admin.</summary>
    Off = 2,
}

/// <summary>A feed's full-text settings and the refresher's verdict (table <c>feed_full_text</c>).</summary>
public sealed class FeedFullText
{
    public long FeedId { get; set; }
    public FullTextMode Mode { get; set; }

    /// <summary>An admin's CSS selector for the article body on this feed's pages.</summary>
    public string? CssSelector { get; set; }

    /// <summary>The refresher's verdict in <see cref="FullTextMode.Auto"/>; null until it has judged.</summary>
    public bool? IsSummaryOnly { get; set; }
    public DateTimeOffset? JudgedAt { get; set; }

    /// <summary>Why: "entries end in “Read more”", "teaser 40 words, page 900 words"...</summary>
    public string? Verdict { get; set; }

    /// <summary>The UTC day that <see cref="PagesFetchedThatDay"/> counts, for the per-feed daily cap.</summary>
    public DateTimeOffset? CapDay { get; set; }
    public int PagesFetchedThatDay { get; set; }
}

/// <summary>
/// The full text of one entry, fetched once from its link (table <c>entry_full_text</c>): the
/// extracted, sanitized body, or the error that stopped it. The entry's own teaser is never changed.
/// </summary>
public sealed class EntryFullText
{
    public long EntryId { get; set; }
    public long FeedId { get; set; }

    /// <summary>The page the text came from, after redirects.</summary>
    public required string SourceUrl { get; set; }

    /// <summary>Sanitized HTML; null when the fetch or the extraction failed, or the feed's own text was already whole.</summary>
    public string? ContentHtml { get; set; }
    public int PageWords { get; set; }
    public int TeaserWords { get; set; }
    public DateTimeOffset FetchedAt { get; set; }
    public string? Error { get; set; }
    public string? ErrorKind { get; set; }
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
}

/// <summary>The mapping of the full-text tables, called from <see cref="FeedstandDb.OnModelCreating"/>.</summary>
internal static class FullTextModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FeedFullText>(settings =>
        {
            settings.ToTable("feed_full_text");
            settings.HasKey(s => s.FeedId);
            settings.Property(s => s.Mode).HasConversion<string>().HasMaxLength(8);
            settings.Property(s => s.CssSelector).HasMaxLength(500);
            settings.Property(s => s.Verdict).HasMaxLength(200);
            settings.HasOne<Feed>().WithOne().HasForeignKey<FeedFullText>(s => s.FeedId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<EntryFullText>(text =>
        {
            text.ToTable("entry_full_text");
            text.HasKey(t => t.EntryId);
            text.HasIndex(t => new { t.FeedId, t.FetchedAt });
            text.Property(t => t.SourceUrl).HasMaxLength(2048);
            text.Property(t => t.ErrorKind).HasMaxLength(32);
            text.HasOne<Entry>().WithOne().HasForeignKey<EntryFullText>(t => t.EntryId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
