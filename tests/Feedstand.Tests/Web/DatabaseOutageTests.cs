using System.Diagnostics;
using System.Net;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Feedstand.Tests.Infrastructure.Documents;

namespace Feedstand.Tests.Web;

/// <summary>
/// The database goes away and comes back: a PostgreSQL cluster of the test's own (Debian's
/// <c>pg_createcluster</c>, on its own port, so the shared test server keeps serving the other
/// tests) is stopped with <c>pg_ctlcluster … stop</c> while <c>serve</c> and its refresher run.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Serve_answers_503_at_once_while_postgres_is_down_and_recovers_by_itself_losing_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await OwnCluster.CreateAsync(ct);
        await using var feeds = await Infrastructure.FeedServer.StartAsync();
        var newest = DateTimeOffset.UtcNow.AddHours(-1);
        feeds.MapDocument("/outage.xml", Rss("Outage blog", Daily(3, newest)));
        await using var web = await TestApp.StartWebAsync(new Dictionary<string, string?>
        {
            ["DB"] = OwnCluster.ConnectionString,
            ["REFRESH"] = "true",
            ["REFRESH_INTERVAL_SECONDS"] = "1",
        });
        await web.WithDbAsync(async db =>
        {
            db.Feeds.Add(new Feed
            {
                Slug = "outage", FeedUrl = feeds.Url("/outage.xml"), CreatedAt = DateTimeOffset.UtcNow,
                FetchState = new FetchState { NextFetchAt = DateTimeOffset.UtcNow.AddMinutes(-1) },
            });
            await db.SaveChangesAsync(ct);
        });
        await Until(() => web.WithDbAsync(db => db.Entries.CountAsync(ct)), count => count == 3, ct);

        await cluster.StopAsync(ct);
        foreach (var path in new[] { "/api/v1/feeds?limit=7", "/search?q=outage", "/feeds/outage/modify", "/healthz" })
        {
            var clock = Stopwatch.StartNew();
            using var response = await web.Client.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{path} took {clock.Elapsed} to fail");
            if (path != "/healthz")
            {
                Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter!.Delta);
            }
        }
        using (var health = await web.Client.GetAsync("/healthz", ct))
        {
            Assert.Contains("\"status\":\"degraded\"", await health.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        // A new post appears while the database is down.
        feeds.MapDocument("/outage.xml", Rss("Outage blog", Daily(4, newest.AddDays(1))), etag: "\"v2\"");

        await cluster.StartAsync(ct);
        await Until(async () => (await web.Client.GetAsync("/healthz", ct)).StatusCode, status => status == HttpStatusCode.OK, ct);
        await web.WithDbAsync(db => db.FetchStates.ExecuteUpdateAsync(s => s.SetProperty(x => x.NextFetchAt, DateTimeOffset.UtcNow.AddSeconds(-1)), ct));

        // The refresher survived the outage (backing off) and stores the new post; nothing stored before is lost.
        await Until(() => web.WithDbAsync(db => db.Entries.CountAsync(ct)), count => count == 4, ct);
        var page = await web.GetPageAsync("/feeds/outage/modify");
        Assert.NotNull(page.QuerySelector("form"));
    }

    /// <summary>Polls until the value satisfies the condition; the stopped database gives no signal to wait on.</summary>
    private static async Task Until<T>(Func<Task<T>> read, Func<T, bool> done, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (done(await read()))
                {
                    return;
                }
            }
            catch (Exception ex) when (DatabaseOutage.IsCause(ex) || ex is HttpRequestException)
            {
                // still coming back
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), "the condition did not come true within 90 s");
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>A PostgreSQL cluster of this test's own, made and started with Debian's cluster tools.</summary>
    private sealed class OwnCluster : IAsyncDisposable
    {
        private const string Name = "feedstand_outage";
        private const int Port = 54391;
        private readonly string _version;

        private OwnCluster(string version) => _version = version;

        public static string ConnectionString =>
            $"Host=127.0.0.1;Port={Port};Username=feedstand;Password=feedstand;Database=feedstand_outage;Timeout=5";

        public static async Task<OwnCluster> CreateAsync(CancellationToken ct)
        {
            var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
            Assert.True(versions.Length > 0 && File.Exists("/usr/bin/pg_createcluster"),
                "needs Debian's postgresql package (pg_createcluster) and root, as .ci/run installs");
            var version = versions.Select(Path.GetFileName).OrderBy(v => int.Parse(v!, System.Globalization.CultureInfo.InvariantCulture)).Last()!;
            var cluster = new OwnCluster(version);
            if (Directory.Exists($"/etc/postgresql/{version}/{Name}"))
            {
                await RunAsync("pg_dropcluster", ["--stop", version, Name], ct);
            }
            await RunAsync("pg_createcluster", [version, Name, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], ct);
            await cluster.StartAsync(ct);
            await RunAsync("su", ["postgres", "-c", $"psql -p {Port} -qc \"CREATE ROLE feedstand LOGIN SUPERUSER PASSWORD 'feedstand'\""], ct);
            return cluster;
        }

        public Task StartAsync(CancellationToken ct) => RunAsync("pg_ctlcluster", [_version, Name, "start"], ct);

        public Task StopAsync(CancellationToken ct) => RunAsync("pg_ctlcluster", [_version, Name, "stop", "--mode", "fast"], ct);

        public async ValueTask DisposeAsync()
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await RunAsync("pg_dropcluster", ["--stop", _version, Name], CancellationToken.None);
        }

        private static async Task RunAsync(string program, string[] args, CancellationToken ct)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(ct);
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {await stderr}{await stdout}");
        }
    }
}
