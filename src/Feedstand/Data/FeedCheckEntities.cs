using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>
/// One fetch of a listed feed as the check sees it: the score of the document fetched (null when the
/// server answered 304: the document, and so the score, did not change), whether the fetch succeeded,
/// and, on the newest row with a new document, the check's findings as JSON for the report page.
/// </summary>
public sealed class FeedCheck
{
    public long Id { get; set; }
    public long FeedId { get; set; }
    public DateTimeOffset CheckedAt { get; set; }
    public int? Score { get; set; }
    public bool Succeeded { get; set; }
    public int? Status { get; set; }

    /// <summary>The findings of the document (validity and readers sections); kept on the newest such row only.</summary>
    public string? ReportJson { get; set; }

    internal static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FeedCheck>(check =>
        {
            check.ToTable("feed_checks");
            check.HasIndex(c => new { c.FeedId, c.CheckedAt });
            check.HasOne<Feed>().WithMany().HasForeignKey(c => c.FeedId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SiteCheck>(site =>
        {
            site.ToTable("site_checks");
            site.HasKey(s => s.FeedId);
            site.HasOne<Feed>().WithOne().HasForeignKey<SiteCheck>(s => s.FeedId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>The discovery section's look at the feed's site, made at most once a day.</summary>
public sealed class SiteCheck
{
    public long FeedId { get; set; }
    public DateTimeOffset CheckedAt { get; set; }
    public string? SiteUrl { get; set; }

    /// <summary>Feed URLs the home page advertises, one per line; null when the page could not be read.</summary>
    public string? AdvertisedFeeds { get; set; }

    public bool HasIcon { get; set; }
}
