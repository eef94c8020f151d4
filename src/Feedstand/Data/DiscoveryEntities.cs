using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>
/// Visitors who subscribed to a feed on one UTC day through one reader (or "copy") — table
/// <c>subscription_counts</c>. Only the number is kept: no address, no hash, no cookie.
/// </summary>
public sealed class SubscriptionCount
{
    public long FeedId { get; set; }

    /// <summary>The UTC day as days since 1970-01-01 (<see cref="Discovery.SubscriptionDays.Of"/>).</summary>
    public int Day { get; set; }

    /// <summary>A <see cref="Web.Readers"/> key, or "copy".</summary>
    public required string Reader { get; set; }
    public int Subscriptions { get; set; }
}

/// <summary>
/// The secret of one UTC day that visitor hashes are keyed with — table <c>subscription_day_keys</c>.
/// Stored so that every web node of a PostgreSQL deployment counts a visitor once; deleted as soon
/// as the day is over, which makes that day's hashes unlinkable to anyone.
/// </summary>
public sealed class SubscriptionDayKey
{
    public int Day { get; set; }
    public required byte[] Key { get; set; }
}

/// <summary>
/// A visitor already counted today — table <c>subscription_visitors</c>: a keyed hash of the feed,
/// the client address and user agent, and nothing else; rows of past days are deleted with their key.
/// </summary>
public sealed class SubscriptionVisitor
{
    public int Day { get; set; }
    public required byte[] Hash { get; set; }
}

/// <summary>
/// The latest subscriber figure a feed reader stated in its User-Agent when it fetched one of our
/// re-published feeds (table <c>reader_subscribers</c>), one row per reader and feed URL.
/// </summary>
public sealed class ReaderSubscribers
{
    /// <summary>The path fetched: "/feeds/{slug}/rss", "/feeds/{slug}/translated/de/atom", "/tags/{tag}/json".</summary>
    public required string Path { get; set; }

    /// <summary>The reader's display name: "Feedly", "Inoreader"...</summary>
    public required string Reader { get; set; }

    /// <summary>The listed feed the path re-publishes; null for a tag feed.</summary>
    public long? FeedId { get; set; }
    public int Subscribers { get; set; }
    public DateTimeOffset SeenAt { get; set; }
}

/// <summary>One of the closest feeds to a feed, by shared tags and post text — table <c>feed_similar</c>.</summary>
public sealed class SimilarFeed
{
    public long FeedId { get; set; }
    public long OtherId { get; set; }
    public Feed? Other { get; set; }

    /// <summary>0..1, higher is closer; see <see cref="Discovery.SimilarFeeds"/>.</summary>
    public double Score { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

internal static class DiscoveryModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SubscriptionCount>(count =>
        {
            count.ToTable("subscription_counts");
            count.HasKey(c => new { c.FeedId, c.Day, c.Reader });
            count.Property(c => c.Reader).HasMaxLength(32);
            count.HasOne<Feed>().WithMany(f => f.SubscriptionCounts).HasForeignKey(c => c.FeedId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SubscriptionDayKey>(key =>
        {
            key.ToTable("subscription_day_keys");
            key.HasKey(k => k.Day);
            key.Property(k => k.Day).ValueGeneratedNever();
        });
        modelBuilder.Entity<SubscriptionVisitor>(visitor =>
        {
            visitor.ToTable("subscription_visitors");
            visitor.HasKey(v => new { v.Day, v.Hash });
        });
        modelBuilder.Entity<ReaderSubscribers>(reader =>
        {
            reader.ToTable("reader_subscribers");
            reader.HasKey(r => new { r.Path, r.Reader });
            reader.Property(r => r.Path).HasMaxLength(400);
            reader.Property(r => r.Reader).HasMaxLength(40);
            reader.HasIndex(r => r.FeedId);
            reader.HasOne<Feed>().WithMany(f => f.ReaderSubscribers).HasForeignKey(r => r.FeedId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SimilarFeed>(similar =>
        {
            similar.ToTable("feed_similar");
            similar.HasKey(s => new { s.FeedId, s.OtherId });
            similar.HasOne<Feed>().WithMany().HasForeignKey(s => s.FeedId).OnDelete(DeleteBehavior.Cascade);
            similar.HasOne(s => s.Other).WithMany().HasForeignKey(s => s.OtherId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
