using Microsoft.EntityFrameworkCore;

namespace Feedstand.Data;

/// <summary>
/// One translated block, shared by every feed: keyed by a hash of the block as sent to the engine
/// and the target language, so an unchanged paragraph is never sent twice.
/// </summary>
public sealed class TranslatedBlock
{
    /// <summary>SHA-256 (hex) of the target language and the block as sent.</summary>
    public required string Key { get; set; }
    public required string Language { get; set; }

    /// <summary>The engine's reply as accepted (attribute-free, placeholders in place); null when the
    /// engine broke the block's structure twice and the block stays in its source language.</summary>
    public string? Html { get; set; }
    public int SourceCharacters { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A finished translation of one entry into one language. Written only when every block is done,
/// so a half-translated entry never shows; stale when <see cref="SourceHash"/> no longer matches
/// the entry's content hash (the post was edited).
/// </summary>
public sealed class EntryTranslation
{
    public long EntryId { get; set; }
    public Entry? Entry { get; set; }
    public required string Language { get; set; }
    public required string SourceHash { get; set; }

    /// <summary>The detected language of the entry (ISO 639-1), when detection was sure.</summary>
    public string? SourceLanguage { get; set; }

    /// <summary>The entry already is in the target language: the original is shown as it is.</summary>
    public bool IsSameLanguage { get; set; }
    public string? Title { get; set; }
    public string? SummaryHtml { get; set; }
    public string? ContentHtml { get; set; }
    public DateTimeOffset TranslatedAt { get; set; }
}

/// <summary>A language the admin keeps a feed translated into; a null feed is the directory-wide default.</summary>
public sealed class TranslationTarget
{
    public long Id { get; set; }
    public long? FeedId { get; set; }
    public Feed? Feed { get; set; }
    public required string Language { get; set; }
}

/// <summary>Characters sent to the engine, per feed and UTC day: the budget and the admin page read it.</summary>
public sealed class TranslationUsage
{
    public DateOnly Day { get; set; }
    public long FeedId { get; set; }
    public long Characters { get; set; }
    public int Requests { get; set; }
}

/// <summary>The engine's health, shared by every node: backoff after 429, timeouts and errors.</summary>
public sealed class TranslationEngineState
{
    public required string Engine { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
    public int ConsecutiveFailures { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
}

internal static class TranslationModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TranslatedBlock>(block =>
        {
            block.ToTable("translated_blocks");
            block.HasKey(b => b.Key);
            block.Property(b => b.Key).HasMaxLength(64);
            block.Property(b => b.Language).HasMaxLength(35);
        });
        modelBuilder.Entity<EntryTranslation>(translation =>
        {
            translation.ToTable("entry_translations");
            translation.HasKey(t => new { t.EntryId, t.Language });
            translation.Property(t => t.Language).HasMaxLength(35);
            translation.Property(t => t.SourceHash).HasMaxLength(64);
            translation.Property(t => t.SourceLanguage).HasMaxLength(35);
            translation.HasOne(t => t.Entry).WithMany().HasForeignKey(t => t.EntryId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<TranslationTarget>(target =>
        {
            target.ToTable("translation_targets");
            target.HasIndex(t => new { t.FeedId, t.Language });
            target.Property(t => t.Language).HasMaxLength(35);
            target.HasOne(t => t.Feed).WithMany().HasForeignKey(t => t.FeedId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<TranslationUsage>(usage =>
        {
            usage.ToTable("translation_usage");
            usage.HasKey(u => new { u.Day, u.FeedId });
        });
        modelBuilder.Entity<TranslationEngineState>(state =>
        {
            state.ToTable("translation_engine_states");
            state.HasKey(s => s.Engine);
            state.Property(s => s.Engine).HasMaxLength(32);
        });
    }
}
