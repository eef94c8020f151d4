using System.ComponentModel.DataAnnotations;

namespace Feedstand.Settings;

/// <summary>
/// Every setting in one place. Keys are the contract's names without the prefix:
/// FEEDSTAND_DB in the environment and "DB" in appsettings.json; the environment wins.
/// </summary>
public sealed class FeedstandOptions
{
    /// <summary>A SQLite connection string, or a PostgreSQL one (Host=...) which selects PostgreSQL.</summary>
    [ConfigurationKeyName("DB")]
    public string Db { get; set; } = "Data Source=data/feedstand.db";

    [ConfigurationKeyName("URLS")]
    public string Urls { get; set; } = "http://localhost:8080";

    /// <summary>Lets fetches reach loopback and private addresses (tests, intranets).</summary>
    [ConfigurationKeyName("ALLOW_PRIVATE_ADDRESSES")]
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Whether serve runs the background refresher.</summary>
    [ConfigurationKeyName("REFRESH")]
    public bool Refresh { get; set; } = true;

    /// <summary>Whether an empty database gets the starter directory.</summary>
    [ConfigurationKeyName("SEED")]
    public bool Seed { get; set; } = true;

    [ConfigurationKeyName("MAX_BODY_BYTES"), Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 10L << 20;

    [ConfigurationKeyName("ENTRIES_PER_FEED"), Range(1, 100_000)]
    public int EntriesPerFeed { get; set; } = 500;

    /// <summary>Whether full-content preview pages ask search engines not to index them.</summary>
    [ConfigurationKeyName("NOINDEX_PREVIEWS")]
    public bool NoIndexPreviews { get; set; } = true;

    /// <summary>The public URL of this directory, named in the User-Agent and in re-published feeds.</summary>
    [ConfigurationKeyName("PUBLIC_URL")]
    public string PublicUrl { get; set; } = "https://github.com/feedstand/feedstand";
}
