using System.Collections.Concurrent;
using Feedstand.Crawling;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Feedstand.Tests.Infrastructure.Documents;

namespace Feedstand.Tests.Commands;

public sealed class RefreshCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Newest = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private FeedServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FeedServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Providers => TestApp.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Refresh_fetches_the_due_feeds_and_sums_up(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/a.xml", Rss("A", Daily(3, Newest)));
        _server.MapDocument("/b.xml", Rss("B", Daily(2, Newest)));
        _server.MapStatus("/c.xml", 500);
        await app.AddFeedAsync(_server.Url("/a.xml"));
        await app.AddFeedAsync(_server.Url("/b.xml"));
        await app.AddFeedAsync(_server.Url("/c.xml"));

        var first = await Cli.RunAsync(["refresh"], Cli.Settings(app));
        var again = await Cli.RunAsync(["refresh"], Cli.Settings(app));
        var all = await Cli.RunAsync(["refresh", "--all"], Cli.Settings(app));

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(3, first.Count("feeds"));
        Assert.Equal(2, first.Count("fetched"));
        Assert.Equal(5, first.Count("new entries"));
        Assert.Equal(1, first.Count("errors"));
        Assert.Equal(1, first.Count("HttpStatus"));
        Assert.Equal(0, again.Count("feeds"));
        Assert.Equal(3, all.Count("feeds"));
        Assert.Equal(2, all.Count("unchanged (304)"));
        Assert.Equal(5, await app.WithDbAsync(db => db.Entries.CountAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Each_error_is_printed_once_on_one_line_with_an_iso_date_and_the_real_elapsed_time(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/a.xml", Rss("A", Daily(3, Newest)));
        _server.MapStatus("/c.xml", 500);
        _server.MapStatus("/d.xml", 404);
        await app.AddFeedAsync(_server.Url("/a.xml"));
        await app.AddFeedAsync(_server.Url("/c.xml"));
        await app.AddFeedAsync(_server.Url("/d.xml"), slug: "d");

        var cycle = await Cli.RunAsync(["refresh", "--all"], Cli.Settings(app));
        var single = await Cli.RunAsync(["refresh", "--feed", "d"], Cli.Settings(app));

        Assert.True(cycle.ExitCode == 0, cycle.Stderr);
        var lines = cycle.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var c = Assert.Single(lines, l => l.Contains("/c.xml", StringComparison.Ordinal));
        var d = Assert.Single(lines, l => l.Contains("/d.xml", StringComparison.Ordinal));
        Assert.StartsWith("refresh: warning: ", c, StringComparison.Ordinal);
        Assert.Contains("server error (HTTP 500", c, StringComparison.Ordinal);
        Assert.Contains("not found (HTTP 404)", d, StringComparison.Ordinal);
        Assert.Matches(@"next try at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", c);
        Assert.DoesNotContain("warn:", cycle.Stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{2}/\d{2}/\d{4}", cycle.Stderr);
        var seconds = System.Text.RegularExpressions.Regex.Match(cycle.Stdout, @"│\s*seconds\s*│\s*([\d.]+)\s*│");
        Assert.True(double.Parse(seconds.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0.05, cycle.Stdout);

        Assert.Equal(1, single.Count("errors"));
        Assert.Single(single.Stderr.Split('\n'), l => l.Contains("/d.xml", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Refresh_of_one_feed_by_slug(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/a.xml", Rss("A", Daily(3, Newest)));
        _server.MapDocument("/b.xml", Rss("B", Daily(2, Newest)));
        await app.AddFeedAsync(_server.Url("/a.xml"), slug: "a");
        await app.AddFeedAsync(_server.Url("/b.xml"), slug: "b");

        var result = await Cli.RunAsync(["refresh", "--feed", "b"], Cli.Settings(app));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(2, result.Count("new entries"));
        Assert.Equal(0, _server.CountOf("/a.xml"));
    }

    [Fact]
    public async Task An_unknown_slug_is_bad_input()
    {
        await using var app = await TestApp.StartAsync(TestApp.Sqlite);

        var result = await Cli.RunAsync(["refresh", "--feed", "nope"], Cli.Settings(app));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no feed with slug nope", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_a_setup_error()
    {
        var result = await Cli.RunAsync(["refresh"], new Dictionary<string, string> { ["DB"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("refresh: cannot open the database", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_settings_are_a_setup_error()
    {
        var result = await Cli.RunAsync(["refresh"], new Dictionary<string, string> { ["MAX_BODY_BYTES"] = "12" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("invalid settings", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two refresher processes on one PostgreSQL database: every feed is fetched exactly once. The
    /// server holds all answers until feeds of two claim batches have been asked for, so the test
    /// cannot pass unless both processes took part.
    /// </summary>
    [Fact]
    public async Task Two_refresher_processes_on_postgres_fetch_each_feed_exactly_once()
    {
        // More feeds than one process can hold (its fetches plus a writer's group, RefreshCycle's
        // in-flight limit, plus a batch): held back until a sixth feed is asked for, which only the
        // other process can do (each fetches five at a time), the first cannot take them all, so
        // both take part however far apart they start.
        const int Batch = 5;
        const int Feeds = Batch + FeedWriter.MaxGroup + Batch + 40;
        await using var app = await TestApp.StartAsync(TestApp.Postgres);
        var asked = new ConcurrentDictionary<string, bool>();
        var bothClaimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < Feeds; i++)
        {
            var path = $"/f{i}.xml";
            var body = System.Text.Encoding.UTF8.GetBytes(Rss($"Feed {i}", Daily(2, Newest, prefix: $"f{i}")));
            _server.Map(path, async context =>
            {
                asked[path] = true;
                if (asked.Count > Batch)
                {
                    bothClaimed.TrySetResult();
                }
                await bothClaimed.Task.WaitAsync(context.RequestAborted);
                context.Response.ContentType = "application/rss+xml";
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
            });
            await app.AddFeedAsync(_server.Url(path));
        }
        var settings = Cli.Settings(app);
        // Each process may hold ~70 feeds at once; a pool of 20 connections each keeps the two
        // within the test server's connection limit (other tests use it at the same time).
        settings["DB"] += ";Maximum Pool Size=20";
        settings["REFRESH_BATCH_SIZE"] = Batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["REFRESH_CONCURRENCY"] = Batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["PER_HOST_CONCURRENCY"] = Batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["FETCH_TIMEOUT_SECONDS"] = "120";

        using var first = Cli.Start(["refresh"], settings);
        using var second = Cli.Start(["refresh"], settings);
        var results = await Task.WhenAll(Cli.CompleteAsync(first), Cli.CompleteAsync(second));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.All(Enumerable.Range(0, Feeds), i => Assert.Equal(1, _server.CountOf($"/f{i}.xml")));
        var outputs = string.Join("\n----\n", results.Select(r => r.Stdout + r.Stderr));
        Assert.True(results.Sum(r => r.Count("fetched")) == Feeds, outputs);
        Assert.All(results, r => Assert.True(r.Count("fetched") > 0, "both processes refresh feeds"));
        Assert.Equal(Feeds * 2, await app.WithDbAsync(db => db.Entries.CountAsync()));
    }
}
