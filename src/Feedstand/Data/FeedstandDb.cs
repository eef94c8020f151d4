using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Feedstand.Data;

/// <summary>
/// The store: one DbContext for both providers. Migrations live per provider in the thin
/// <see cref="SqliteFeedstandDb"/> and <see cref="PostgresFeedstandDb"/> subclasses; code
/// everywhere else asks for <see cref="FeedstandDb"/>. Tables and columns are snake_case so
/// that the few raw SQL statements (claims, search) read the same on both databases.
/// It also holds the data-protection key ring, so every web node signs cookies with the same keys.
/// </summary>
public partial class FeedstandDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Feed> Feeds => Set<Feed>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<Entry> Entries => Set<Entry>();
    public DbSet<FetchState> FetchStates => Set<FetchState>();
    public DbSet<AdminAccount> AdminAccounts => Set<AdminAccount>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<FeedCheck> FeedChecks => Set<FeedCheck>();
    public DbSet<SiteCheck> SiteChecks => Set<SiteCheck>();
    public DbSet<TranslatedBlock> TranslatedBlocks => Set<TranslatedBlock>();
    public DbSet<EntryTranslation> EntryTranslations => Set<EntryTranslation>();
    public DbSet<TranslationTarget> TranslationTargets => Set<TranslationTarget>();
    public DbSet<TranslationUsage> TranslationUsage => Set<TranslationUsage>();
    public DbSet<TranslationEngineState> TranslationEngineStates => Set<TranslationEngineState>();
    public DbSet<FeedFullText> FeedFullTexts => Set<FeedFullText>();
    public DbSet<EntryFullText> EntryFullTexts => Set<EntryFullText>();
    public DbSet<Media.AppSecret> AppSecrets => Set<Media.AppSecret>();
    public DbSet<Media.CachedMedia> MediaCache => Set<Media.CachedMedia>();
    public DbSet<Media.FeedIcon> FeedIcons => Set<Media.FeedIcon>();
    public DbSet<SubscriptionCount> SubscriptionCounts => Set<SubscriptionCount>();
    public DbSet<SubscriptionDayKey> SubscriptionDayKeys => Set<SubscriptionDayKey>();
    public DbSet<SubscriptionVisitor> SubscriptionVisitors => Set<SubscriptionVisitor>();
    public DbSet<ReaderSubscribers> ReaderSubscribers => Set<ReaderSubscribers>();
    public DbSet<SimilarFeed> SimilarFeeds => Set<SimilarFeed>();
    public DbSet<WebSubSubscription> WebSubSubscriptions => Set<WebSubSubscription>();
    public DbSet<HubSubscription> HubSubscriptions => Set<HubSubscription>();
    public DbSet<HubDelivery> HubDeliveries => Set<HubDelivery>();

    /// <summary>True on PostgreSQL, false on SQLite.</summary>
    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>An instant as the store keeps it, for hand-written SQL: timestamptz on PostgreSQL, Unix milliseconds on SQLite.</summary>
    public object Instant(DateTimeOffset value) => IsPostgres ? value.ToUniversalTime() : value.ToUnixTimeMilliseconds();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<Feed>(feed =>
        {
            feed.ToTable("feeds");
            feed.HasIndex(f => f.Slug).IsUnique();
            feed.HasIndex(f => f.FeedUrl).IsUnique();
            feed.HasIndex(f => new { f.Status, f.LastEntryAt });
            feed.Property(f => f.Slug).HasMaxLength(200);
            feed.Property(f => f.FeedUrl).HasMaxLength(2048);
            feed.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
            feed.Ignore(f => f.DisplayTitle);
            feed.Ignore(f => f.DisplayDescription);
            feed.Ignore(f => f.DisplayIconUrl);
            feed.HasMany(f => f.Tags).WithMany(t => t.Feeds).UsingEntity(
                "feed_tags",
                r => r.HasOne(typeof(Tag)).WithMany().HasForeignKey("tag_id").OnDelete(DeleteBehavior.Cascade),
                l => l.HasOne(typeof(Feed)).WithMany().HasForeignKey("feed_id").OnDelete(DeleteBehavior.Cascade),
                j =>
                {
                    j.HasKey("feed_id", "tag_id");
                    j.HasIndex("tag_id");
                });
            feed.HasMany(f => f.Entries).WithOne(e => e.Feed).HasForeignKey(e => e.FeedId).OnDelete(DeleteBehavior.Cascade);
            feed.HasOne(f => f.FetchState).WithOne(s => s.Feed).HasForeignKey<FetchState>(s => s.FeedId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Tag>(tag =>
        {
            tag.ToTable("tags");
            tag.HasIndex(t => t.Name).IsUnique();
            tag.Property(t => t.Name).HasMaxLength(100);
        });

        modelBuilder.Entity<Entry>(entry =>
        {
            entry.ToTable("entries");
            entry.HasIndex(e => new { e.FeedId, e.Key }).IsUnique();
            entry.HasIndex(e => new { e.FeedId, e.SortDate }).IsDescending(false, true);
            entry.HasIndex(e => e.SortDate).IsDescending();
            entry.Property(e => e.Key).HasMaxLength(2048);
            entry.Property(e => e.ContentHash).HasMaxLength(64);
            entry.Property(e => e.Authors).HasConversion(JsonConverter<List<string>>(), ListComparer<string>());
            entry.Property(e => e.Categories).HasConversion(JsonConverter<List<string>>(), ListComparer<string>());
            entry.Property(e => e.Enclosures).HasConversion(JsonConverter<List<EntryEnclosure>>(), EnclosureComparer());
        });

        modelBuilder.Entity<FetchState>(state =>
        {
            state.ToTable("fetch_states");
            state.HasKey(s => s.FeedId);
            state.HasIndex(s => s.NextFetchAt);
            state.Property(s => s.LeaseOwner).HasMaxLength(100);
            state.Property(s => s.LastErrorKind).HasMaxLength(32);
            state.Property(s => s.WebSubHub).HasMaxLength(2048);
            state.Property(s => s.WebSubTopic).HasMaxLength(2048);
        });

        modelBuilder.Entity<AdminAccount>(admin =>
        {
            admin.ToTable("admin_accounts");
            admin.HasIndex(a => a.Name).IsUnique();
            admin.Property(a => a.Name).HasMaxLength(100);
        });

        modelBuilder.Entity<Submission>(submission =>
        {
            submission.ToTable("submissions");
            submission.HasIndex(s => new { s.Status, s.CreatedAt });
            submission.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
            submission.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
            submission.Property(s => s.Tags).HasConversion(JsonConverter<List<string>>(), ListComparer<string>());
            submission.HasOne(s => s.Feed).WithMany().HasForeignKey(s => s.FeedId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DataProtectionKey>(key => key.ToTable("data_protection_keys"));
        TranslationModel.Configure(modelBuilder);
        FullTextModel.Configure(modelBuilder);
        Media.MediaModel.Configure(modelBuilder);
        DiscoveryModel.Configure(modelBuilder);
        WebSubModel.Configure(modelBuilder);

        FeedCheck.Configure(modelBuilder);
        ApplySnakeCase(modelBuilder);
    }

    private static void ApplySnakeCase(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_')
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>A JSON column's text exactly as the model's converters write it, for the few raw inserts.</summary>
    internal static string ToJson<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    private static ValueConverter<T, string> JsonConverter<T>() where T : new() =>
        new(v => JsonSerializer.Serialize(v, JsonOptions), v => JsonSerializer.Deserialize<T>(v, JsonOptions) ?? new T());

    private static ValueComparer<List<T>> ListComparer<T>() =>
        new((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)), v => v.ToList());

    private static ValueComparer<List<EntryEnclosure>> EnclosureComparer() =>
        new(
            (a, b) => a!.Count == b!.Count && a.Zip(b).All(p => p.First.Url == p.Second.Url && p.First.Type == p.Second.Type && p.First.Length == p.Second.Length),
            v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x.Url)),
            v => v.Select(x => new EntryEnclosure { Url = x.Url, Type = x.Type, Length = x.Length }).ToList());
}

/// <summary>SQLite: instants stored as Unix milliseconds so they sort and compare in SQL.</summary>
public sealed class SqliteFeedstandDb(DbContextOptions<SqliteFeedstandDb> options) : FeedstandDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<TimeSpan>().HaveConversion<TimeSpanToSecondsConverter>();
    }
}

/// <summary>PostgreSQL: timestamptz (always UTC), text arrays stay JSON text like on SQLite.</summary>
public sealed class PostgresFeedstandDb(DbContextOptions<PostgresFeedstandDb> options) : FeedstandDb(options);

public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));

public sealed class TimeSpanToSecondsConverter() : ValueConverter<TimeSpan, long>(
    v => (long)v.TotalSeconds,
    v => TimeSpan.FromSeconds(v));
