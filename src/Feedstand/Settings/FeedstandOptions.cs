using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Feedstand.Settings;

/// <summary>
/// Every setting in one place. Keys are the contract's names without the prefix:
/// FEEDSTAND_DB in the environment and "DB" in appsettings.json; the environment wins.
/// </summary>
/// <remarks>
/// Read once, by <see cref="Load"/>, before any service is registered: every value is converted and
/// checked there, so a bad value stops <c>serve</c> and every command with exit code 2 and one
/// message per bad setting naming its variable. Code reads the result through
/// <c>IOptions&lt;FeedstandOptions&gt;</c>; nothing reads <c>IConfiguration</c> itself.
/// </remarks>
public sealed class FeedstandOptions : IValidatableObject
{
    /// <summary>The prefix of the settings' environment variables.</summary>
    public const string Prefix = "FEEDSTAND_";

    /// <summary>Binds every setting from <paramref name="configuration"/> and checks them all.</summary>
    /// <exception cref="OptionsValidationException">One failure per bad setting, each starting with its variable (FEEDSTAND_…).</exception>
    public static FeedstandOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        foreach (var (property, key) in Bindable)
        {
            if (configuration[key] is { } raw && !CanConvert(raw, property.PropertyType))
            {
                problems.Add($"{Prefix}{key}: \"{raw}\" is not {KindOf(property.PropertyType)}.");
            }
        }
        var options = new FeedstandOptions();
        if (problems.Count == 0)
        {
            try
            {
                configuration.Bind(options);
                problems.AddRange(options.Problems());
            }
            catch (InvalidOperationException ex)
            {
                problems.Add(ex.Message); // the binder names the key; not expected after the checks above
            }
        }
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(nameof(FeedstandOptions), typeof(FeedstandOptions), problems);
        }
        return options;
    }

    /// <summary>What is wrong with these values, one sentence per setting; empty when they are all good.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (property, key) in Bindable)
        {
            var value = property.GetValue(this);
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (!rule.IsValid(value))
                {
                    problems.Add($"{Prefix}{key}: {Describe(rule, value)}");
                }
            }
        }
        problems.AddRange(Validate(new ValidationContext(this)).Select(result => result.ErrorMessage ?? ""));
        return problems;
    }

    /// <summary>Every bindable setting with its key (the variable's name without the prefix).</summary>
    private static readonly (PropertyInfo Property, string Key)[] Bindable =
        [.. typeof(FeedstandOptions).GetProperties()
            .Where(property => property.CanWrite)
            .Select(property => (property, property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name))];

    private static bool CanConvert(string raw, Type type)
    {
        if (type == typeof(string))
        {
            return true;
        }
        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(raw);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string KindOf(Type type) => type == typeof(bool) ? "true or false" : "a whole number";

    private static string Describe(ValidationAttribute rule, object? value) => rule switch
    {
        RangeAttribute range => string.Create(CultureInfo.InvariantCulture, $"{value} is out of range; it must be from {range.Minimum} to {range.Maximum}."),
        RegularExpressionAttribute choice => $"\"{value}\" is not one of {string.Join(", ", choice.Pattern.Trim('^', '$', '(', ')').Split('|'))}.",
        _ => rule.FormatErrorMessage(rule.GetType().Name),
    };

    /// <summary>A SQLite connection string, or a PostgreSQL one (Host=...) which selects PostgreSQL.</summary>
    [ConfigurationKeyName("DB")]
    public string Db { get; set; } = "Data Source=data/feedstand.db";

    /// <summary>True when <see cref="Db"/> names a PostgreSQL server; the one test of the provider before a connection exists.</summary>
    public bool IsPostgres => IsPostgresConnectionString(Db);

    public static bool IsPostgresConnectionString(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("Data Source", StringComparison.OrdinalIgnoreCase);
    }

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

    /// <summary>Whether tidy feed HTML takes the sanitizer's one-pass fast path (off: always the full HTML parser).</summary>
    [ConfigurationKeyName("SANITIZER_FAST_PATH")]
    public bool SanitizerFastPath { get; set; } = true;

    [ConfigurationKeyName("ENTRIES_PER_FEED"), Range(1, 100_000)]
    public int EntriesPerFeed { get; set; } = 500;

    /// <summary>Whether full-content preview pages ask search engines not to index them.</summary>
    [ConfigurationKeyName("NOINDEX_PREVIEWS")]
    public bool NoIndexPreviews { get; set; } = true;

    /// <summary>What <see cref="PublicUrl"/> is when nobody set it: the project's home, good for the User-Agent only.</summary>
    public const string DefaultPublicUrl = "https://github.com/feedstand/feedstand";

    /// <summary>The public URL of this directory, named in the User-Agent and in re-published feeds; WebSub callbacks and the hub live under it.</summary>
    [ConfigurationKeyName("PUBLIC_URL")]
    public string PublicUrl { get; set; } = DefaultPublicUrl;

    /// <summary>
    /// WebSub, both sides (subscribing to the hubs feeds name; the hub of the re-published feeds):
    /// <c>auto</c> is on when <see cref="PublicUrl"/> is set to an address others can reach (not
    /// localhost, not a loopback address); <c>on</c> forces it (tests, intranets); <c>off</c>.
    /// </summary>
    [ConfigurationKeyName("WEBSUB"), RegularExpression("^(auto|on|off)$")]
    public string WebSub { get; set; } = "auto";

    /// <summary>The lease asked of hubs, and the hub's lease when a subscriber names none.</summary>
    [ConfigurationKeyName("WEBSUB_LEASE_SECONDS"), Range(3600, 31_536_000)]
    public int WebSubLeaseSeconds { get; set; } = 864_000;

    /// <summary>The longest lease the hub grants.</summary>
    [ConfigurationKeyName("WEBSUB_MAX_LEASE_SECONDS"), Range(3600, 31_536_000)]
    public int WebSubMaxLeaseSeconds { get; set; } = 2_592_000;

    /// <summary>Hub subscriptions (verified or waiting) one callback host may hold.</summary>
    [ConfigurationKeyName("WEBSUB_MAX_PER_CALLBACK_HOST"), Range(1, 1_000_000)]
    public int WebSubMaxPerCallbackHost { get; set; } = 200;

    /// <summary>How often the WebSub worker looks for deliveries, renewals and retries due (it is also woken at once by this process's own work).</summary>
    [ConfigurationKeyName("WEBSUB_INTERVAL_SECONDS"), Range(1, 3600)]
    public int WebSubIntervalSeconds { get; set; } = 10;

    /// <summary>Whether WebSub runs: see <see cref="WebSub"/>.</summary>
    public bool IsWebSubEnabled => WebSub switch
    {
        "on" => true,
        "auto" => PublicUrl != DefaultPublicUrl && IsReachableFromOutside(PublicUrl),
        _ => false,
    };

    /// <summary>The hub of the re-published feeds: {PUBLIC_URL}/websub/hub.</summary>
    public string WebSubHubUrl => PublicUrl.TrimEnd('/') + "/websub/hub";

    private static bool IsReachableFromOutside(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && !uri.IsLoopback
        && !uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        && !uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>Total time one fetch may take, redirects and body included.</summary>
    [ConfigurationKeyName("FETCH_TIMEOUT_SECONDS"), Range(1, 600)]
    public int FetchTimeoutSeconds { get; set; } = 30;

    /// <summary>Fetches running at once against one host.</summary>
    [ConfigurationKeyName("PER_HOST_CONCURRENCY"), Range(1, 64)]
    public int PerHostConcurrency { get; set; } = 2;

    /// <summary>Fetches running at once in this process.</summary>
    [ConfigurationKeyName("FETCH_CONCURRENCY"), Range(1, 1024)]
    public int FetchConcurrency { get; set; } = 32;

    /// <summary>Decompressed bytes per compressed byte above which a body is refused (a gzip bomb).</summary>
    [ConfigurationKeyName("MAX_DECOMPRESSION_RATIO"), Range(2, 100_000)]
    public int MaxDecompressionRatio { get; set; } = 100;

    /// <summary>How often the background refresher looks for due feeds.</summary>
    [ConfigurationKeyName("REFRESH_INTERVAL_SECONDS"), Range(1, 86_400)]
    public int RefreshIntervalSeconds { get; set; } = 60;

    /// <summary>Due feeds claimed at once by one refresher.</summary>
    [ConfigurationKeyName("REFRESH_BATCH_SIZE"), Range(1, 10_000)]
    public int RefreshBatchSize { get; set; } = 100;

    /// <summary>Feeds refreshed in parallel by one refresher process.</summary>
    [ConfigurationKeyName("REFRESH_CONCURRENCY"), Range(1, 256)]
    public int RefreshConcurrency { get; set; } = 16;

    /// <summary>
    /// Writers saving refresh results at once on PostgreSQL, each with its own connection (SQLite
    /// takes one writer at a time: always 1 there). The database does the full-text indexing of new
    /// entries, so more writers use more of its cores.
    /// </summary>
    [ConfigurationKeyName("REFRESH_WRITERS"), Range(1, 64)]
    public int RefreshWriters { get; set; } = 2;

    /// <summary>
    /// How long a claim on a feed lasts unless renewed. A live refresher renews its claims every third
    /// of this (a heartbeat), so it can be short: a crashed node's claims return within it.
    /// </summary>
    [ConfigurationKeyName("LEASE_SECONDS"), Range(30, 86_400)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>
    /// Whether serve believes X-Forwarded-For and X-Forwarded-Proto (client address for rate limits,
    /// https scheme for cookies and links) when they come from a trusted proxy. Off by default: a
    /// client talking to the app directly could otherwise pick its own address.
    /// </summary>
    [ConfigurationKeyName("FORWARDED_HEADERS")]
    public bool ForwardedHeaders { get; set; }

    /// <summary>
    /// The proxies whose forwarded headers count, as IP addresses or networks separated by commas
    /// ("10.0.0.5, 172.16.0.0/12"). Loopback (127.0.0.1, ::1) is always trusted.
    /// </summary>
    [ConfigurationKeyName("TRUSTED_PROXIES")]
    public string TrustedProxies { get; set; } = "";

    /// <summary>Per-client limits of the web site, in requests per minute (fixed window per client address).</summary>
    [ConfigurationKeyName("RATE_PREVIEW_PER_MINUTE"), Range(1, int.MaxValue)]
    public int RatePreviewPerMinute { get; set; } = 20;

    [ConfigurationKeyName("RATE_FORMS_PER_MINUTE"), Range(1, int.MaxValue)]
    public int RateFormsPerMinute { get; set; } = 10;

    [ConfigurationKeyName("RATE_LOGIN_PER_MINUTE"), Range(1, int.MaxValue)]
    public int RateLoginPerMinute { get; set; } = 20;

    [ConfigurationKeyName("RATE_API_PER_MINUTE"), Range(1, int.MaxValue)]
    public int RateApiPerMinute { get; set; } = 600;

    /// <summary>Subscription requests to the WebSub hub (POST /websub/hub) per client address.</summary>
    [ConfigurationKeyName("RATE_WEBSUB_PER_MINUTE"), Range(1, int.MaxValue)]
    public int RateWebSubPerMinute { get; set; } = 60;

    /// <summary>The checks no attribute can express: the database's connection string and TRUSTED_PROXIES.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var problems = new List<ValidationResult>();
        try
        {
            _ = IsPostgres ? new NpgsqlConnectionStringBuilder(Db).ConnectionString : new SqliteConnectionStringBuilder(Db).ConnectionString;
        }
        catch (ArgumentException ex)
        {
            problems.Add(new ValidationResult($"{Prefix}DB: not a valid {(IsPostgres ? "PostgreSQL" : "SQLite")} connection string ({ex.Message})", [nameof(Db)]));
        }
        try
        {
            _ = ParseTrustedProxies(TrustedProxies);
        }
        catch (FormatException ex)
        {
            problems.Add(new ValidationResult(ex.Message, [nameof(TrustedProxies)]));
        }
        return problems;
    }

    /// <summary>
    /// TRUSTED_PROXIES: addresses ("10.0.0.5") and networks ("172.16.0.0/12") separated by commas;
    /// loopback is trusted by ASP.NET already.
    /// </summary>
    /// <exception cref="FormatException">An item is neither an address nor a network.</exception>
    public static (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<IPNetwork> Networks) ParseTrustedProxies(string? value)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var item in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                throw new FormatException($"{Prefix}TRUSTED_PROXIES: \"{item}\" is neither an IP address nor a network such as 10.0.0.0/8.");
            }
        }
        return (proxies, networks);
    }

    /// <summary>The translation engine: none, openai (any OpenAI-compatible chat server), deepl or libretranslate.</summary>
    [ConfigurationKeyName("TRANSLATION_ENGINE"), RegularExpression("^(none|openai|deepl|libretranslate)$")]
    public string TranslationEngine { get; set; } = "none";

    /// <summary>
    /// The engine's base URL: an OpenAI-compatible server's API root (http://localhost:11434/v1;
    /// /v1 is added to a bare host), DeepL's (https://api-free.deepl.com) or LibreTranslate's server
    /// root. The operator's own setting, so it may be a private address (a local model).
    /// </summary>
    [ConfigurationKeyName("TRANSLATION_URL")]
    public string TranslationUrl { get; set; } = "";

    [ConfigurationKeyName("TRANSLATION_KEY")]
    public string TranslationKey { get; set; } = "";

    /// <summary>The model an OpenAI-compatible engine runs.</summary>
    [ConfigurationKeyName("TRANSLATION_MODEL")]
    public string TranslationModel { get; set; } = "gpt-4o-mini";

    /// <summary>A hard budget of characters sent to the engine per UTC day, all feeds together.</summary>
    [ConfigurationKeyName("TRANSLATION_DAILY_CHARACTERS"), Range(0, long.MaxValue)]
    public long TranslationDailyCharacters { get; set; } = 2_000_000;

    /// <summary>How long one request to the engine may take before it counts as a stall.</summary>
    [ConfigurationKeyName("TRANSLATION_TIMEOUT_SECONDS"), Range(1, 3600)]
    public int TranslationTimeoutSeconds { get; set; } = 120;

    /// <summary>Whether the refresher fetches the full text of summary-only feeds' new entries.</summary>
    [ConfigurationKeyName("FULLTEXT")]
    public bool FullText { get; set; } = true;

    /// <summary>Article pages fetched per feed and UTC day at most.</summary>
    [ConfigurationKeyName("FULLTEXT_DAILY_PER_FEED"), Range(0, 100_000)]
    public int FullTextDailyPerFeed { get; set; } = 50;

    /// <summary>Largest article page accepted (enforced while streaming, after decompression).</summary>
    [ConfigurationKeyName("FULLTEXT_MAX_PAGE_BYTES"), Range(1024, 1L << 30)]
    public long FullTextMaxPageBytes { get; set; } = 2L << 20;

    /// <summary>Article pages fetched at once for one feed (the per-host limit applies too).</summary>
    [ConfigurationKeyName("FULLTEXT_CONCURRENCY"), Range(1, 64)]
    public int FullTextConcurrency { get; set; } = 4;
    /// <summary>
    /// Which images of posts (and icons) go through the signed /media/… proxy: http-only (only what
    /// would be mixed content on an https page), all, or none.
    /// </summary>
    [ConfigurationKeyName("MEDIA_PROXY"), RegularExpression("^(http-only|all|none)$")]
    public string MediaProxy { get; set; } = "http-only";

    /// <summary>Largest image the media proxy or the icon stage accepts.</summary>
    [ConfigurationKeyName("MEDIA_MAX_BYTES"), Range(1024, 1L << 30)]
    public long MediaMaxBytes { get; set; } = 10L << 20;

    /// <summary>Bytes of proxied images kept in the database cache; the least recently fetched go first.</summary>
    [ConfigurationKeyName("MEDIA_CACHE_BYTES"), Range(0, long.MaxValue)]
    public long MediaCacheBytes { get; set; } = 256L << 20;

    /// <summary>How long a proxied image is served from the cache before it is fetched again.</summary>
    [ConfigurationKeyName("MEDIA_CACHE_DAYS"), Range(1, 365)]
    public int MediaCacheDays { get; set; } = 7;

    /// <summary>Images fetched by the proxy per minute per client address (cache hits are free).</summary>
    [ConfigurationKeyName("RATE_MEDIA_PER_MINUTE"), Range(1, int.MaxValue)]
    public int RateMediaPerMinute { get; set; } = 240;

    /// <summary>Whether the refresher fetches and caches the feeds' site icons (once a week per feed).</summary>
    [ConfigurationKeyName("ICONS")]
    public bool Icons { get; set; } = true;
}
