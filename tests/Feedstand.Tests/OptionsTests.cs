using System.ComponentModel.DataAnnotations;
using Feedstand.Settings;
using Microsoft.Extensions.Configuration;

namespace Feedstand.Tests;

/// <summary>The one settings class: defaults, and the values validation refuses with a message naming the setting.</summary>
public class OptionsTests
{
    [Fact]
    public void Default_database_is_sqlite_under_data() =>
        Assert.Equal("Data Source=data/feedstand.db", new FeedstandOptions().Db);

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "TRUSTED_PROXIES", "10.0.0.5, proxy.local", "TRUSTED_PROXIES: \"proxy.local\" is neither an IP address" },
        { "RATE_API_PER_MINUTE", "0", "RateApiPerMinute" },
        { "RATE_PREVIEW_PER_MINUTE", "-5", "RatePreviewPerMinute" },
        { "REFRESH_CONCURRENCY", "0", "RefreshConcurrency" },
    };

    [Theory, MemberData(nameof(BadSettings))]
    public void Bad_settings_fail_validation_naming_the_setting(string key, string value, string expected)
    {
        var options = new FeedstandOptions();
        new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build().Bind(options);
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            && results.Count == 0 && !options.Validate(new ValidationContext(options)).Any());
        var messages = results.Select(r => r.ErrorMessage).Concat(options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage));
        Assert.Contains(messages, m => m is not null && m.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_provider_is_told_by_the_connection_string()
    {
        Assert.False(new FeedstandOptions().IsPostgres);
        Assert.True(new FeedstandOptions { Db = "Host=db;Database=feedstand" }.IsPostgres);
    }
}
