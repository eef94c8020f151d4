using System.Net;
using System.Text.Json;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Web;

/// <summary>What an operator watches: <c>/metrics</c> and <c>/healthz</c>.</summary>
public sealed class OperationsTests
{
    [Fact]
    public async Task Metrics_show_the_queue_the_lag_and_page_latency_per_route()
    {
        await using var web = await TestApp.StartWebAsync();
        await web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "due");
            await TestFeeds.AddAsync(db, "later");
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            var now = DateTimeOffset.UtcNow;
            await db.FetchStates.Where(s => s.Feed!.Slug == "due").ExecuteUpdateAsync(s => s.SetProperty(x => x.NextFetchAt, now.AddMinutes(-30)), TestContext.Current.CancellationToken);
            await db.FetchStates.Where(s => s.Feed!.Slug == "later").ExecuteUpdateAsync(s => s.SetProperty(x => x.NextFetchAt, now.AddHours(1)), TestContext.Current.CancellationToken);
        });
        await web.GetPageAsync("/feeds/due");

        var text = await web.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(1, Value(text, "feedstand_refresh_queue_depth"));
        Assert.InRange(Value(text, "feedstand_refresh_lag_seconds"), 30 * 60 - 5, 30 * 60 + 120);
        Assert.Equal(2, Value(text, "feedstand_feeds{status=\"active\"}"));
        Assert.Contains("feedstand_fetches_total", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_count{", text, StringComparison.Ordinal);
        Assert.Contains("page=\"/Feeds/Preview\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_ok_when_the_refresher_keeps_up()
    {
        await using var web = await TestApp.StartWebAsync();
        await web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "fresh");
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            var soon = DateTimeOffset.UtcNow.AddMinutes(10);
            await db.FetchStates.ExecuteUpdateAsync(s => s.SetProperty(x => x.NextFetchAt, soon), TestContext.Current.CancellationToken);
        });

        using var response = await web.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("reason").ValueKind);
    }

    [Fact]
    public async Task Health_is_degraded_with_the_reason_when_the_refresher_lags_over_an_hour()
    {
        await using var web = await TestApp.StartWebAsync();
        await web.WithDbAsync(async db =>
        {
            await TestFeeds.AddAsync(db, "stale");
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            var late = DateTimeOffset.UtcNow.AddHours(-3);
            await db.FetchStates.ExecuteUpdateAsync(s => s.SetProperty(x => x.NextFetchAt, late), TestContext.Current.CancellationToken);
        });

        using var response = await web.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("degraded", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", json.RootElement.GetProperty("database").GetString());
        Assert.StartsWith("The refresher lags", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static double Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        Assert.Fail($"no series {series} in:\n{exposition}");
        return 0;
    }
}
