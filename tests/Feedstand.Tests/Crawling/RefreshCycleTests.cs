using Feedstand.Crawling;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Feedstand.Tests.Infrastructure.Documents;

namespace Feedstand.Tests.Crawling;

/// <summary>The cycle: parallel fetches, results written in groups by one writer.</summary>
public sealed class RefreshCycleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Newest = TestApp.Start.AddHours(-1);

    private FeedServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FeedServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Providers => TestApp.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_due_feed_is_fetched_once_and_stored_with_its_entries(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        for (var i = 0; i < 12; i++)
        {
            _server.MapDocument($"/f{i}.xml", Rss($"Blog {i}", Daily(3, Newest, prefix: $"b{i}")));
            await app.AddFeedAsync(_server.Url($"/f{i}.xml"));
        }
        var notFound = await app.AddFeedAsync(_server.Url("/missing.xml"));

        var summary = await app.Get<RefreshCycle>().RunAsync(all: false, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal((13, 12, 1, 36), (summary.Claimed, summary.Fetched, summary.Failed, summary.NewEntries));
        Assert.Equal(1, summary.ErrorsByKind["HttpStatus"]);
        var feeds = await app.WithDbAsync(db => db.Feeds.AsNoTracking().Include(f => f.FetchState).Include(f => f.Entries).ToListAsync());
        Assert.All(feeds.Where(f => f.Id != notFound), f =>
        {
            Assert.Equal(3, f.Entries.Count);
            Assert.StartsWith("Blog ", f.Title, StringComparison.Ordinal);
            Assert.Equal(200, f.FetchState!.LastStatus);
            Assert.Null(f.FetchState.LeaseUntil);
        });
        var missing = feeds.Single(f => f.Id == notFound);
        Assert.Empty(missing.Entries);
        Assert.Equal(1, missing.FetchState!.ConsecutiveErrors);
        Assert.Null(missing.FetchState.LeaseUntil);
        Assert.All(Enumerable.Range(0, 12), i => Assert.Equal(1, _server.CountOf($"/f{i}.xml")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Long_posts_are_all_stored_and_searchable(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        // 30 posts of 300 KB: more than one insert statement's worth (SQLite splits at 4 MB).
        var body = "<p>" + string.Concat(Enumerable.Repeat("Long words fill this post. ", 11_000)) + "</p>";
        var posts = Daily(30, Newest).Select(item => item with { Title = $"Epic {item.Id}", Body = body }).ToList();
        _server.MapDocument("/long.xml", Rss("Long posts", posts));
        var feedId = await app.AddFeedAsync(_server.Url("/long.xml"));

        var summary = await app.Get<RefreshCycle>().RunAsync(all: false, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal((1, 30), (summary.Fetched, summary.NewEntries));
        var lengths = await app.WithDbAsync(db => db.Entries.Where(e => e.FeedId == feedId).Select(e => e.SummaryHtml!.Length).ToListAsync());
        Assert.Equal(30, lengths.Count);
        Assert.All(lengths, length => Assert.Equal(body.Length, length));
        var hits = await app.WithDbAsync(db => Feedstand.Data.Search.SearchAsync(db, "epic", 50, TestContext.Current.CancellationToken));
        Assert.Equal(30, hits.Count(h => h.Kind == Feedstand.Data.SearchHitKind.Entry));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_feed_the_database_refuses_costs_only_itself(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        // The database refuses any entry titled "Poison": the group holding it fails to save and
        // is retried feed by feed, so only that feed fails.
        await app.WithDbAsync(db => db.IsPostgres
            ? db.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN IF NEW.title = 'Poison' THEN RAISE EXCEPTION 'poison entry'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER refuse_poison BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION refuse_poison();
                """)
            : db.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER refuse_poison BEFORE INSERT ON entries WHEN new.title = 'Poison'
                BEGIN SELECT RAISE(ABORT, 'poison entry'); END;
                """));
        for (var i = 0; i < 6; i++)
        {
            _server.MapDocument($"/f{i}.xml", Rss($"Blog {i}", Daily(2, Newest, prefix: $"b{i}")));
            await app.AddFeedAsync(_server.Url($"/f{i}.xml"));
        }
        _server.MapDocument("/poison.xml", Rss("Poisoned", [new Item("p1", "Poison", Newest)]));
        var poisoned = await app.AddFeedAsync(_server.Url("/poison.xml"));

        var summary = await app.Get<RefreshCycle>().RunAsync(all: false, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal((7, 6, 1, 12), (summary.Claimed, summary.Fetched, summary.Failed, summary.NewEntries));
        var counts = await app.WithDbAsync(db => db.Feeds.AsNoTracking().Select(f => new { f.Id, Entries = f.Entries.Count, f.Title }).ToListAsync());
        Assert.All(counts.Where(c => c.Id != poisoned), c => Assert.Equal(2, c.Entries));
        var poison = counts.Single(c => c.Id == poisoned);
        Assert.Equal(0, poison.Entries);
        Assert.Null(poison.Title);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Refresh_all_takes_the_feeds_a_dead_refresher_held_once_their_lease_ends(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            _server.MapDocument($"/held{i}.xml", Rss($"Held {i}", Daily(2, Newest, prefix: $"h{i}")));
            ids.Add(await app.AddFeedAsync(_server.Url($"/held{i}.xml")));
        }
        // A refresher killed with -9 after claiming: its leases run for a minute and nobody renews them.
        var until = app.Clock.GetUtcNow().AddSeconds(60);
        await app.WithDbAsync(db => db.FetchStates.ExecuteUpdateAsync(
            s => s.SetProperty(x => x.LeaseOwner, "dead-node").SetProperty(x => x.LeaseUntil, until), TestContext.Current.CancellationToken));
        var waitedFor = 0;

        var summary = await app.Get<RefreshCycle>().RunAsync(all: true, progress: s =>
        {
            if (s.WaitingForOthers > 0 && Interlocked.Exchange(ref waitedFor, s.WaitingForOthers) == 0)
            {
                app.Clock.Advance(TimeSpan.FromSeconds(61)); // the dead node's lease runs out
            }
        }, TestContext.Current.CancellationToken);

        Assert.Equal(3, waitedFor);
        Assert.Equal((3, 3, 6), (summary.Claimed, summary.Fetched, summary.NewEntries));
        Assert.Empty(summary.NotDone);
        var metrics = app.Get<Feedstand.Operations.FeedstandMetrics>();
        Assert.Equal((3, 6), (metrics.Fetches.WithLabels("updated").Value, metrics.EntriesStored.Value));
        var states = await app.WithDbAsync(db => db.FetchStates.AsNoTracking().ToListAsync());
        Assert.All(states, s => Assert.Null(s.LeaseOwner));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1, _server.CountOf($"/held{i}.xml")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Refresh_all_names_the_feeds_another_refresher_keeps_holding(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/busy.xml", Rss("Busy", Daily(2, Newest)));
        await app.AddFeedAsync(_server.Url("/busy.xml"), slug: "busy-feed");
        var until = app.Clock.GetUtcNow().AddDays(1);
        await app.WithDbAsync(db => db.FetchStates.ExecuteUpdateAsync(
            s => s.SetProperty(x => x.LeaseOwner, "stuck-node").SetProperty(x => x.LeaseUntil, until), TestContext.Current.CancellationToken));

        var summary = await app.Get<RefreshCycle>().RunAsync(all: true, progress: s =>
        {
            if (s.WaitingForOthers > 0)
            {
                app.Clock.Advance(TimeSpan.FromMinutes(5)); // longer than a run waits for a node that gets nothing done
            }
        }, TestContext.Current.CancellationToken);

        Assert.Equal(["busy-feed"], summary.NotDone);
        Assert.Equal(0, summary.Claimed);
        Assert.Equal(0, _server.CountOf("/busy.xml"));
        var state = await app.WithDbAsync(db => db.FetchStates.AsNoTracking().SingleAsync());
        Assert.Equal("stuck-node", state.LeaseOwner); // another node's lease is never taken early
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_cancelled_run_gives_back_its_leases(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        // The server never answers: two fetches are under way (the per-host limit) and a third waits
        // its turn when the run is cancelled.
        var arrived = 0;
        var twoArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Map("/stall.xml", async context =>
        {
            if (Interlocked.Increment(ref arrived) == 2)
            {
                twoArrived.TrySetResult();
            }
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        for (var i = 0; i < 3; i++)
        {
            await app.AddFeedAsync(_server.Url("/stall.xml") + "?n=" + i);
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = app.Get<RefreshCycle>().RunAsync(all: false, progress: null, cancel.Token);
        await twoArrived.Task.WaitAsync(TestContext.Current.CancellationToken);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var states = await app.WithDbAsync(db => db.FetchStates.AsNoTracking().ToListAsync());
        Assert.All(states, s => Assert.Null(s.LeaseOwner));
        Assert.All(states, s => Assert.Null(s.LeaseUntil));
    }
}
