using Feedstand.Data;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Media;

/// <summary>
/// A secret every node shares (table <c>app_secrets</c>): the media proxy's signing key. Created once
/// by the first node that needs it; stored unencrypted, like the data-protection key ring.
/// </summary>
public sealed class AppSecret
{
    public required string Name { get; set; }
    public required byte[] Value { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An image fetched by the media proxy (table <c>media_cache</c>), served until <see cref="ExpiresAt"/>.</summary>
public sealed class CachedMedia
{
    /// <summary>Hex SHA-256 of the absolute URL.</summary>
    public required string UrlHash { get; set; }
    public required string Url { get; set; }

    /// <summary>The type sniffed from the bytes (never the upstream's word alone).</summary>
    public required string ContentType { get; set; }
    public required byte[] Body { get; set; }
    public long Bytes { get; set; }
    public required string ETag { get; set; }
    public DateTimeOffset FetchedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// A feed's site icon as the icon stage last fetched it (table <c>feed_icons</c>). A row without a
/// body records a failed attempt, so the next one waits a week too.
/// </summary>
public sealed class FeedIcon
{
    public long FeedId { get; set; }

    /// <summary>The feed's own icon URL (admin's or feed's) when this was fetched: a new one makes the icon due again.</summary>
    public string? WantedUrl { get; set; }

    /// <summary>The URL the icon came from, or the last one tried.</summary>
    public string? SourceUrl { get; set; }
    public string? ContentType { get; set; }
    public byte[]? Body { get; set; }
    public string? ETag { get; set; }
    public DateTimeOffset FetchedAt { get; set; }
    public string? Error { get; set; }
}

/// <summary>The mapping of the media tables, called from <see cref="FeedstandDb.OnModelCreating"/>.</summary>
internal static class MediaModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AppSecret>(secret =>
        {
            secret.ToTable("app_secrets");
            secret.HasKey(s => s.Name);
            secret.Property(s => s.Name).HasMaxLength(64);
        });

        modelBuilder.Entity<CachedMedia>(media =>
        {
            media.ToTable("media_cache");
            media.HasKey(m => m.UrlHash);
            media.HasIndex(m => m.FetchedAt);
            media.Property(m => m.UrlHash).HasMaxLength(64);
            media.Property(m => m.Url).HasMaxLength(4096);
            media.Property(m => m.ContentType).HasMaxLength(64);
            media.Property(m => m.ETag).HasMaxLength(80);
        });

        modelBuilder.Entity<FeedIcon>(icon =>
        {
            icon.ToTable("feed_icons");
            icon.HasKey(i => i.FeedId);
            icon.HasIndex(i => i.FetchedAt);
            icon.Property(i => i.WantedUrl).HasMaxLength(2048);
            icon.Property(i => i.SourceUrl).HasMaxLength(2048);
            icon.Property(i => i.ContentType).HasMaxLength(64);
            icon.Property(i => i.ETag).HasMaxLength(80);
            icon.Property(i => i.Error).HasMaxLength(500);
            icon.HasOne<Feed>().WithOne().HasForeignKey<FeedIcon>(i => i.FeedId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
