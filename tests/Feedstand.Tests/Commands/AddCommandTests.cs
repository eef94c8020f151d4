using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Feedstand.Tests.Infrastructure.Documents;

namespace Feedstand.Tests.Commands;

public sealed class AddCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Newest = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private FeedServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FeedServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Providers => TestApp.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Adding_a_feed_url_lists_it_with_its_entries_and_tags(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/blog/feed.xml", Rss("Jane", Daily(3, Newest), link: _server.Url("/blog/"), image: _server.Url("/logo.png")));

        var result = await Cli.RunAsync(["add", _server.Url("/blog/feed.xml"), "--tag", "Rust", "--tag", "web"], Cli.Settings(app));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("127-0-0-1-blog\tJane\t", result.Stdout, StringComparison.Ordinal);
        var feed = await app.WithDbAsync(db => db.Feeds.Include(f => f.Tags).Include(f => f.Entries).SingleAsync());
        Assert.Equal("Jane", feed.Title);
        Assert.Equal(["rust", "web"], feed.Tags.Select(t => t.Name).Order());
        Assert.Equal(3, feed.Entries.Count);
        Assert.Equal(1, _server.CountOf("/blog/feed.xml"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Adding_an_html_page_follows_its_alternate_link(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/", """
            <!DOCTYPE html><html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head><body>Hi</body></html>
            """, contentType: "text/html");
        _server.MapDocument("/atom.xml", """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Atom blog</title><id>urn:x</id>
            <entry><id>urn:1</id><title>One</title><updated>2026-01-01T00:00:00Z</updated></entry></feed>
            """, contentType: "application/atom+xml");

        var result = await Cli.RunAsync(["add", _server.Url("/")], Cli.Settings(app));

        Assert.True(result.ExitCode == 0, result.Stderr);
        var feed = await app.WithDbAsync(db => db.Feeds.SingleAsync());
        Assert.Equal(_server.Url("/atom.xml"), feed.FeedUrl);
        Assert.Equal("Atom blog", feed.Title);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Adding_a_page_without_feed_links_tries_the_common_paths(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/", HtmlPage, contentType: "text/html");
        _server.MapDocument("/index.xml", Rss("Hugo blog", Daily(1, Newest)));

        var result = await Cli.RunAsync(["add", _server.Url("/")], Cli.Settings(app));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(_server.Url("/index.xml"), await app.WithDbAsync(db => db.Feeds.Select(f => f.FeedUrl).SingleAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Adding_a_listed_feed_again_is_refused(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        _server.MapDocument("/feed.xml", Rss("Blog", Daily(1, Newest)));
        await app.AddFeedAsync(_server.Url("/feed.xml"), slug: "blog");

        var result = await Cli.RunAsync(["add", _server.Url("/feed.xml")], Cli.Settings(app));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is already listed as blog", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Adding_a_private_address_is_refused(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var settings = Cli.Settings(app);
        settings["ALLOW_PRIVATE_ADDRESSES"] = "false";

        var result = await Cli.RunAsync(["add", _server.Url("/feed.xml")], settings);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused: 127.0.0.1 resolves to a private address (127.0.0.1)", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
        Assert.Equal(0, await app.WithDbAsync(db => db.Feeds.CountAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Adding_a_missing_page_says_why(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);

        var result = await Cli.RunAsync(["add", _server.Url("/nothing.xml")], Cli.Settings(app));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not found (HTTP 404)", result.Stderr, StringComparison.Ordinal);
    }
}
