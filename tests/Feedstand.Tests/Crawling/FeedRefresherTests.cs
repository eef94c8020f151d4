using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Feedstand.Tests.Infrastructure.Documents;

namespace Feedstand.Tests.Crawling;

public sealed class FeedRefresherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Newest = TestApp.Start.AddHours(-1);

    private FeedServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FeedServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Providers => TestApp.Providers;

    private static async Task<RefreshOutcome> RefreshAsync(TestApp app, long feedId)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<FeedRefresher>().RefreshAsync(feedId, TestContext.Current.CancellationToken);
    }

    private static Task<Feed> LoadAsync(TestApp app, long feedId) =>
        app.WithDbAsync(db => db.Feeds.AsNoTracking().Include(f => f.FetchState).Include(f => f.Entries).SingleAsync(f => f.Id == feedId));

    [Theory, MemberData(nameof(Providers))]
    public async Task First_refresh_stores_entries_metadata_validators_and_the_next_poll(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Jane's blog", Daily(3, Newest), image: "https://blog.example/logo.png"));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        var outcome = await RefreshAsync(app, feedId);

        Assert.Equal(new RefreshOutcome(RefreshStatus.Updated, 3, 0), outcome);
        var feed = await LoadAsync(app, feedId);
        Assert.Equal("Jane's blog", feed.Title);
        Assert.Equal("About Jane's blog", feed.Description);
        Assert.Equal("https://blog.example/", feed.SiteUrl);
        Assert.Equal("en-gb", feed.Language);
        Assert.Equal("https://blog.example/logo.png", feed.IconUrl);
        Assert.Equal(Newest, feed.LastEntryAt);
        Assert.Equal(["Post 1", "Post 2", "Post 3"], feed.Entries.OrderBy(e => e.SortDate).Select(e => e.Title));
        Assert.All(feed.Entries, e => Assert.Equal(TestApp.Start, e.FirstSeenAt));
        Assert.Equal("Hello.", feed.Entries[0].SearchText);
        var state = feed.FetchState!;
        Assert.Equal("\"v1\"", state.ETag);
        Assert.Equal("Sat, 10 Jan 2026 10:00:00 GMT", state.LastModified);
        Assert.Equal(200, state.LastStatus);
        Assert.Equal(TestApp.Start, state.LastSuccessAt);
        Assert.Equal(TimeSpan.FromDays(1), state.AveragePostInterval);
        Assert.InRange(state.NextFetchAt, TestApp.Start.AddHours(21.6), TestApp.Start.AddHours(24));
        Assert.Null(state.LeaseUntil);
    }

    /// <summary>RFC 7231 3.1.4.2 / the feed contract: relative links resolve against Content-Location.</summary>
    [Fact]
    public async Task Relative_links_resolve_against_the_responses_content_location()
    {
        await using var app = await TestApp.StartAsync(TestApp.Sqlite);
        var atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Moved</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>
            <entry><title>One</title><id>urn:x:1</id><updated>2026-01-01T00:00:00Z</updated><link href="posts/1"/></entry></feed>
            """;
        var bytes = System.Text.Encoding.UTF8.GetBytes(atom);
        _server.Map("/feeds/atom", async context =>
        {
            context.Response.ContentType = "application/atom+xml";
            context.Response.Headers.ContentLocation = "/archive/atom.xml";
            await context.Response.Body.WriteAsync(bytes);
        });
        var feedId = await app.AddFeedAsync(_server.Url("/feeds/atom"));

        await RefreshAsync(app, feedId);

        var feed = await LoadAsync(app, feedId);
        Assert.Equal(_server.Url("/archive/posts/1"), Assert.Single(feed.Entries).Link);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_unchanged_feed_answers_304_and_nothing_is_rewritten(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(2, Newest)));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await RefreshAsync(app, feedId);
        app.Clock.Advance(TimeSpan.FromHours(2));

        var outcome = await RefreshAsync(app, feedId);

        Assert.Equal(RefreshStatus.NotModified, outcome.Status);
        Assert.Equal("\"v1\"", _server.Requests.Last().IfNoneMatch);
        var feed = await LoadAsync(app, feedId);
        Assert.Equal(2, feed.Entries.Count);
        Assert.Equal(TestApp.Start.AddHours(2), feed.FetchState!.LastSuccessAt);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_feed_that_changes_between_polls_adds_new_posts_and_updates_edited_ones_in_place(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var items = Daily(2, Newest);
        _server.MapDocument("/feed.xml", Rss("Blog", items), etag: "\"v1\"");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await RefreshAsync(app, feedId);
        var before = await LoadAsync(app, feedId);
        var editedId = before.Entries.Single(e => e.Title == "Post 2").Id;

        List<Item> changed = [new Item("post-3", "Post 3", Newest.AddHours(1)), items[0] with { Title = "Post 2 (corrected)" }, items[1]];
        _server.MapDocument("/feed.xml", Rss("Blog", changed), etag: "\"v2\"");
        app.Clock.Advance(TimeSpan.FromHours(2));
        var outcome = await RefreshAsync(app, feedId);

        Assert.Equal(new RefreshOutcome(RefreshStatus.Updated, 1, 1), outcome);
        var after = await LoadAsync(app, feedId);
        Assert.Equal(3, after.Entries.Count);
        var edited = after.Entries.Single(e => e.Id == editedId);
        Assert.Equal("Post 2 (corrected)", edited.Title);
        Assert.Equal(TestApp.Start, edited.FirstSeenAt);
        Assert.Equal(TestApp.Start.AddHours(2), after.Entries.Single(e => e.Title == "Post 3").FirstSeenAt);
        Assert.Equal("\"v2\"", after.FetchState!.ETag);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_failed_fetch_keeps_the_entries_and_backs_off(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(2, Newest)));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await RefreshAsync(app, feedId);

        _server.MapStatus("/feed.xml", 500);
        var first = await RefreshAsync(app, feedId);
        var second = await RefreshAsync(app, feedId);

        Assert.Equal(RefreshStatus.Failed, first.Status);
        Assert.Equal(FetchErrorKind.HttpStatus, second.Error?.Kind);
        var feed = await LoadAsync(app, feedId);
        Assert.Equal(2, feed.Entries.Count);
        Assert.Equal("Blog", feed.Title);
        Assert.Equal(2, feed.FetchState!.ConsecutiveErrors);
        Assert.Equal("server error (HTTP 500 Internal Server Error)", feed.FetchState.LastError);
        Assert.Equal("HttpStatus", feed.FetchState.LastErrorKind);
        Assert.Equal(500, feed.FetchState.LastStatus);
        Assert.Equal("\"v1\"", feed.FetchState.ETag);
        Assert.InRange(feed.FetchState.NextFetchAt, TestApp.Start.AddMinutes(27), TestApp.Start.AddMinutes(33));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_success_after_errors_clears_them(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapStatus("/feed.xml", 500);
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await RefreshAsync(app, feedId);

        _server.MapDocument("/feed.xml", Rss("Blog", Daily(1, Newest)));
        await RefreshAsync(app, feedId);

        var state = (await LoadAsync(app, feedId)).FetchState!;
        Assert.Equal(0, state.ConsecutiveErrors);
        Assert.Null(state.LastError);
        Assert.Null(state.LastErrorKind);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_html_page_instead_of_a_feed_is_not_a_feed(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", HtmlPage, contentType: "text/html");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        var outcome = await RefreshAsync(app, feedId);

        Assert.Equal(FetchErrorKind.NotAFeed, outcome.Error?.Kind);
        Assert.Equal("not a feed: the server returned an HTML page", (await LoadAsync(app, feedId)).FetchState!.LastError);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_feed_with_the_wrong_content_type_is_still_read(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(2, Newest)), contentType: "text/plain");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        var outcome = await RefreshAsync(app, feedId);

        Assert.Equal(new RefreshOutcome(RefreshStatus.Updated, 2, 0), outcome);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Garbage_gets_the_parser_message(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", "this is not a feed at all", contentType: "text/plain");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        var outcome = await RefreshAsync(app, feedId);

        Assert.Equal(FetchErrorKind.Unparseable, outcome.Error?.Kind);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Error!.Message));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_permanent_redirect_updates_the_stored_url(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapRedirect("/old.xml", 301, "/new.xml");
        _server.MapDocument("/new.xml", Rss("Blog", Daily(1, Newest)));
        var feedId = await app.AddFeedAsync(_server.Url("/old.xml"));

        await RefreshAsync(app, feedId);

        Assert.Equal(_server.Url("/new.xml"), (await LoadAsync(app, feedId)).FeedUrl);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_temporary_redirect_keeps_the_stored_url(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapRedirect("/old.xml", 307, "/new.xml");
        _server.MapDocument("/new.xml", Rss("Blog", Daily(1, Newest)));
        var feedId = await app.AddFeedAsync(_server.Url("/old.xml"));

        await RefreshAsync(app, feedId);

        Assert.Equal(_server.Url("/old.xml"), (await LoadAsync(app, feedId)).FeedUrl);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Gone_retires_the_feed(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapStatus("/feed.xml", 410);
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        var feed = await LoadAsync(app, feedId);
        Assert.Equal(FeedStatus.Retired, feed.Status);
        Assert.Equal("Gone", feed.FetchState!.LastErrorKind);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Too_many_requests_waits_as_long_as_the_server_asks(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapStatus("/feed.xml", 429, response => response.Headers.RetryAfter = "10800");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        var state = (await LoadAsync(app, feedId)).FetchState!;
        Assert.Equal(TestApp.Start.AddHours(3), state.NextFetchAt);
        Assert.Equal("RateLimited", state.LastErrorKind);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_timeout_is_recorded_and_the_entries_stay(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(2, Newest)));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await RefreshAsync(app, feedId);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Map("/feed.xml", async context =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });

        var refreshing = RefreshAsync(app, feedId);
        await arrived.Task.WaitAsync(TestContext.Current.CancellationToken);
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        var outcome = await refreshing;

        Assert.Equal(FetchErrorKind.Timeout, outcome.Error?.Kind);
        var feed = await LoadAsync(app, feedId);
        Assert.Equal("timed out after 5 s", feed.FetchState!.LastError);
        Assert.Equal(2, feed.Entries.Count);
    }

    /// <summary>
    /// The stages after the store (full text, WebSub deliveries) failing leave the stored refresh as
    /// it is: a success, with no backoff. Made to fail here by removing the full-text stage's table.
    /// </summary>
    [Fact]
    public async Task A_stage_failing_after_the_store_leaves_the_refresh_a_success()
    {
        await using var app = await TestApp.StartAsync(TestApp.Sqlite);
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(2, Newest)));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TABLE feed_full_text", TestContext.Current.CancellationToken));

        var outcome = await RefreshAsync(app, feedId);

        Assert.Equal(new RefreshOutcome(RefreshStatus.Updated, 2, 0), outcome);
        var feed = await LoadAsync(app, feedId);
        Assert.Equal(2, feed.Entries.Count);
        Assert.Equal(200, feed.FetchState!.LastStatus);
        Assert.Equal(0, feed.FetchState.ConsecutiveErrors);
        Assert.Null(feed.FetchState.LastError);
        Assert.Null(feed.FetchState.LeaseUntil);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_the_newest_entries_are_kept(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, new Dictionary<string, string?> { ["ENTRIES_PER_FEED"] = "3" });
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(2, Newest.AddDays(-10), prefix: "old")), etag: "\"v1\"");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));
        await RefreshAsync(app, feedId);

        _server.MapDocument("/feed.xml", Rss("Blog", Daily(2, Newest, prefix: "new")), etag: "\"v2\"");
        await RefreshAsync(app, feedId);

        var feed = await LoadAsync(app, feedId);
        Assert.Equal(["new-2", "new-1", "old-2"], feed.Entries.OrderByDescending(e => e.SortDate).Select(e => e.Key));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_long_feed_stores_only_its_newest_entries(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, new Dictionary<string, string?> { ["ENTRIES_PER_FEED"] = "5" });
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(8, Newest)));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        var outcome = await RefreshAsync(app, feedId);

        Assert.Equal(5, outcome.NewEntries);
        var feed = await LoadAsync(app, feedId);
        Assert.Equal(["post-8", "post-7", "post-6", "post-5", "post-4"], feed.Entries.OrderByDescending(e => e.SortDate).Select(e => e.Key));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Admin_overrides_survive_a_refresh(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Feed title", Daily(1, Newest)));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"), configure: f =>
        {
            f.TitleOverride = "Better title";
            f.DescriptionOverride = "Better description";
        });

        await RefreshAsync(app, feedId);

        var feed = await LoadAsync(app, feedId);
        Assert.Equal("Better title", feed.DisplayTitle);
        Assert.Equal("Better description", feed.DisplayDescription);
        Assert.Equal("Feed title", feed.Title);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Without_a_feed_icon_the_site_page_icon_is_used(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(1, Newest), link: _server.Url("/"), image: null));
        _server.MapDocument("/", HtmlPage, contentType: "text/html");
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        Assert.Equal(_server.Url("/static/icon.png"), (await LoadAsync(app, feedId)).IconUrl);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Without_any_icon_link_the_favicon_is_assumed(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(1, Newest), link: _server.Url("/blog/"), image: null));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        Assert.Equal(_server.Url("/favicon.ico"), (await LoadAsync(app, feedId)).IconUrl);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_feed_ttl_is_honoured(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Blog", Enumerable.Range(0, 5).Select(i => new Item($"p{i}", $"P{i}", Newest.AddMinutes(-20 * i))), ttl: 360));
        var feedId = await app.AddFeedAsync(_server.Url("/feed.xml"));

        await RefreshAsync(app, feedId);

        var state = (await LoadAsync(app, feedId)).FetchState!;
        Assert.Equal(TimeSpan.FromHours(6), state.Ttl);
        Assert.InRange(state.NextFetchAt, TestApp.Start.AddHours(5.4), TestApp.Start.AddHours(6.6));
    }
}
