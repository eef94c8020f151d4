using Feedstand.Settings;
using Feedstand.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Feedstand.Tests;

/// <summary>The one settings class: defaults, and the values it refuses with a message naming the variable.</summary>
public class OptionsTests
{
    [Fact]
    public void Default_database_is_sqlite_under_data() =>
        Assert.Equal("Data Source=data/feedstand.db", new FeedstandOptions().Db);

    [Fact]
    public void No_settings_load_as_the_defaults()
    {
        var options = FeedstandOptions.Load(new ConfigurationBuilder().Build());
        Assert.Equal(new FeedstandOptions().Db, options.Db);
        Assert.Equal("http://localhost:8080", options.Urls);
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void Settings_bind_by_their_contract_names()
    {
        var options = Load(new()
        {
            ["URLS"] = "http://0.0.0.0:9000",
            ["REFRESH"] = "false",
            ["MAX_BODY_BYTES"] = "65536",
            ["MEDIA_PROXY"] = "all",
            ["TRUSTED_PROXIES"] = "10.0.0.5, 172.16.0.0/12",
        });
        Assert.Equal("http://0.0.0.0:9000", options.Urls);
        Assert.False(options.Refresh);
        Assert.Equal(65536, options.MaxBodyBytes);
        Assert.Equal("all", options.MediaProxy);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "TRUSTED_PROXIES", "10.0.0.5, proxy.local", "FEEDSTAND_TRUSTED_PROXIES: \"proxy.local\" is neither an IP address nor a network such as 10.0.0.0/8." },
        { "RATE_API_PER_MINUTE", "0", "FEEDSTAND_RATE_API_PER_MINUTE: 0 is out of range; it must be from 1 to 2147483647." },
        { "RATE_PREVIEW_PER_MINUTE", "-5", "FEEDSTAND_RATE_PREVIEW_PER_MINUTE: -5 is out of range; it must be from 1 to 2147483647." },
        { "REFRESH_CONCURRENCY", "0", "FEEDSTAND_REFRESH_CONCURRENCY: 0 is out of range; it must be from 1 to 256." },
        { "MAX_BODY_BYTES", "10", "FEEDSTAND_MAX_BODY_BYTES: 10 is out of range; it must be from 1024 to 1073741824." },
        { "REFRESH", "maybe", "FEEDSTAND_REFRESH: \"maybe\" is not true or false." },
        { "SEED", "", "FEEDSTAND_SEED: \"\" is not true or false." },
        { "FETCH_TIMEOUT_SECONDS", "ten", "FEEDSTAND_FETCH_TIMEOUT_SECONDS: \"ten\" is not a whole number." },
        { "MAX_BODY_BYTES", "99999999999999999999", "FEEDSTAND_MAX_BODY_BYTES: \"99999999999999999999\" is not a whole number." },
        { "MEDIA_PROXY", "some", "FEEDSTAND_MEDIA_PROXY: \"some\" is not one of http-only, all, none." },
        { "WEBSUB", "yes", "FEEDSTAND_WEBSUB: \"yes\" is not one of auto, on, off." },
        { "TRANSLATION_ENGINE", "google", "FEEDSTAND_TRANSLATION_ENGINE: \"google\" is not one of none, openai, deepl, libretranslate." },
        { "DB", "Data Source=x.db;Colour=blue", "FEEDSTAND_DB: not a valid SQLite connection string (" },
        { "DB", "Host=db;Colour=blue", "FEEDSTAND_DB: not a valid PostgreSQL connection string (" },
    };

    [Theory, MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_refused_with_a_message_naming_its_variable(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(new() { [key] = value }));
        var failure = Assert.Single(error.Failures);
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(new()
        {
            ["RATE_API_PER_MINUTE"] = "0",
            ["WEBSUB"] = "yes",
            ["TRUSTED_PROXIES"] = "proxy.local",
        }));
        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public void The_provider_is_told_by_the_connection_string()
    {
        Assert.False(new FeedstandOptions().IsPostgres);
        Assert.True(new FeedstandOptions { Db = "Host=db;Database=feedstand" }.IsPostgres);
    }

    /// <summary>serve and the store's commands stop before doing anything: exit code 2 and the failures on standard error.</summary>
    [Theory]
    [InlineData("serve")]
    [InlineData("migrate")]
    public async Task A_command_with_a_bad_setting_exits_with_code_2_naming_it(string command)
    {
        var result = await Cli.RunAsync([command], new Dictionary<string, string>
        {
            ["DB"] = "Data Source=" + Path.Combine(Path.GetTempPath(), $"feedstand-unused-{Guid.NewGuid():N}.db"),
            ["RATE_API_PER_MINUTE"] = "0",
            ["URLS"] = "http://127.0.0.1:0",
        });
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{command}: invalid settings: FEEDSTAND_RATE_API_PER_MINUTE: 0 is out of range", result.Stderr, StringComparison.Ordinal);
    }

    private static FeedstandOptions Load(Dictionary<string, string?> settings) =>
        FeedstandOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
