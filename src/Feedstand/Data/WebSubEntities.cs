using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>Where one of our subscriptions to a feed's hub stands.</summary>
public enum WebSubState
{
    /// <summary>Asked; the hub has not verified it yet.</summary>
    Subscribing = 0,

    /// <summary>Verified by the hub: pushes are accepted until the lease ends (renewed before).</summary>
    Active = 1,

    /// <summary>Asked to end (feed retired or removed, hub or topic changed); gone once the hub verifies.</summary>
    Unsubscribing = 2,

    /// <summary>The hub refused it (<c>hub.mode=denied</c>); asked again a day later.</summary>
    Denied = 3,
}

/// <summary>
/// The subscriber side: one subscription of ours to the hub a feed names (table
/// <c>websub_subscriptions</c>). Not tied to the feed by a foreign key, so a removed feed's row
/// stays until its hub has been told.
/// </summary>
public sealed class WebSubSubscription
{
    public long Id { get; set; }
    public long FeedId { get; set; }
    public required string HubUrl { get; set; }

    /// <summary>The topic as the feed names it (its <c>rel="self"</c>), else the feed's URL.</summary>
    public required string Topic { get; set; }

    /// <summary>The unguessable last segment of our callback, /websub/callback/{token}.</summary>
    public required string CallbackToken { get; set; }

    /// <summary>The <c>hub.secret</c> this subscription was asked with; pushes must be signed with it.</summary>
    public required string Secret { get; set; }
    public WebSubState State { get; set; }
    public int? LeaseSeconds { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }

    /// <summary>When the worker acts on it next: renew a lease, ask again, give up unsubscribing.</summary>
    public DateTimeOffset NextActionAt { get; set; }

    /// <summary>Requests in a row that got no verification (for the backoff).</summary>
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastPushAt { get; set; }
}

/// <summary>The hub side: a verified subscription to one of our re-published feeds (table <c>websub_hub_subscriptions</c>).</summary>
public sealed class HubSubscription
{
    public long Id { get; set; }
    public required string Callback { get; set; }

    /// <summary>The callback's host, for the per-subscriber limit.</summary>
    public required string CallbackHost { get; set; }
    public required string Topic { get; set; }

    /// <summary>The topic's path (/feeds/{slug}/rss...): what a refresh's new entries are matched on.</summary>
    public required string TopicPath { get; set; }
    public string? Secret { get; set; }
    public int LeaseSeconds { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset VerifiedAt { get; set; }
}

/// <summary>
/// Content owed to a hub subscriber (table <c>websub_hub_deliveries</c>): at most one per
/// subscription, since what is sent is the topic's document as it is at sending time. Kept until
/// delivered or given up, so a restart loses nothing.
/// </summary>
public sealed class HubDelivery
{
    public long Id { get; set; }
    public long SubscriptionId { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>The mapping of the WebSub tables, called from <see cref="FeedstandDb.OnModelCreating"/>.</summary>
internal static class WebSubModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WebSubSubscription>(subscription =>
        {
            subscription.ToTable("websub_subscriptions");
            subscription.HasIndex(s => s.CallbackToken).IsUnique();
            subscription.HasIndex(s => s.FeedId);
            subscription.HasIndex(s => s.NextActionAt);
            subscription.Property(s => s.HubUrl).HasMaxLength(2048);
            subscription.Property(s => s.Topic).HasMaxLength(2048);
            subscription.Property(s => s.CallbackToken).HasMaxLength(64);
            subscription.Property(s => s.Secret).HasMaxLength(128);
            subscription.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
            subscription.Property(s => s.LastError).HasMaxLength(500);
        });

        modelBuilder.Entity<HubSubscription>(subscription =>
        {
            subscription.ToTable("websub_hub_subscriptions");
            subscription.HasIndex(s => new { s.Callback, s.Topic }).IsUnique();
            subscription.HasIndex(s => s.CallbackHost);
            subscription.HasIndex(s => s.TopicPath);
            subscription.HasIndex(s => s.ExpiresAt);
            subscription.Property(s => s.Callback).HasMaxLength(2048);
            subscription.Property(s => s.CallbackHost).HasMaxLength(255);
            subscription.Property(s => s.Topic).HasMaxLength(2048);
            subscription.Property(s => s.TopicPath).HasMaxLength(600);
            subscription.Property(s => s.Secret).HasMaxLength(200);
        });

        modelBuilder.Entity<HubDelivery>(delivery =>
        {
            delivery.ToTable("websub_hub_deliveries");
            delivery.HasIndex(d => d.SubscriptionId).IsUnique();
            delivery.HasIndex(d => d.NextAttemptAt);
            delivery.Property(d => d.LastError).HasMaxLength(500);
            delivery.HasOne<HubSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
