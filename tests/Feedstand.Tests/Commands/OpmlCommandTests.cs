using System.Text;
using Feedstand.Feeds.Opml;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Commands;

public sealed class OpmlCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("feedstand-opml-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Providers => TestApp.Providers;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Subscriptions = """
        <?xml version="1.0"?>
        <opml version="2.0"><head><title>Mine</title></head><body>
          <outline text="Programming">
            <outline text="Rusty" type="rss" xmlUrl="https://rusty.example/feed.xml" htmlUrl="https://rusty.example/" />
            <outline text="Go go" type="rss" xmlUrl="https://go.example/index.xml" category="/lang/go" />
          </outline>
          <outline text="Cooking" type="rss" xmlUrl="https://food.example/rss" htmlUrl="https://food.example/" />
        </body></opml>
        """;

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_lists_every_feed_with_its_folders_as_tags(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);

        var result = await Cli.RunAsync(["import-opml", Write("subs.opml", Subscriptions)], Cli.Settings(app));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("imported 3 feeds, skipped 0 duplicates", result.Stdout.Trim());
        var feeds = await app.WithDbAsync(db => db.Feeds.Include(f => f.Tags).Include(f => f.FetchState).OrderBy(f => f.Slug).ToListAsync());
        Assert.Equal(["food-example", "go-example", "rusty-example"], feeds.Select(f => f.Slug));
        Assert.Equal(["go", "programming"], feeds[1].Tags.Select(t => t.Name).Order());
        Assert.Equal(["programming"], feeds[2].Tags.Select(t => t.Name));
        Assert.Equal("Rusty", feeds[2].Title);
        Assert.All(feeds, f => Assert.NotNull(f.FetchState));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Importing_again_skips_and_counts_the_duplicates(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var path = Write("subs.opml", Subscriptions);
        await Cli.RunAsync(["import-opml", path], Cli.Settings(app));

        var result = await Cli.RunAsync(["import-opml", path], Cli.Settings(app));

        Assert.Equal("imported 0 feeds, skipped 3 duplicates", result.Stdout.Trim());
        Assert.Equal(3, await app.WithDbAsync(db => db.Feeds.CountAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_plain_list_of_urls_is_imported_too(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var path = Write("list.txt", "https://a.example/feed\n# a comment\n\nhttps://b.example/rss.xml\nhttps://a.example/feed\n");

        var result = await Cli.RunAsync(["import-opml", path], Cli.Settings(app));

        // A URL listed twice in one file is one feed, and the second listing counts as a duplicate.
        Assert.Equal("imported 2 feeds, skipped 1 duplicates", result.Stdout.Trim());
        Assert.Equal(["a-example", "b-example"], await app.WithDbAsync(db => db.Feeds.OrderBy(f => f.Slug).Select(f => f.Slug).ToListAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_file_that_is_not_opml_says_so_and_imports_nothing(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var path = Write("page.html", "<html><body><p>Not a list</p></body></html>");

        var result = await Cli.RunAsync(["import-opml", path], Cli.Settings(app));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nothing imported", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Feeds.CountAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Export_writes_the_directory_or_one_tag_as_opml(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await Cli.RunAsync(["import-opml", Write("subs.opml", Subscriptions)], Cli.Settings(app));

        var all = await Cli.RunAsync(["export-opml"], Cli.Settings(app));
        var tagged = await Cli.RunAsync(["export-opml", "--tag", "go"], Cli.Settings(app));

        Assert.True(all.ExitCode == 0, all.Stderr);
        var everything = OpmlReader.Read(Encoding.UTF8.GetBytes(all.Stdout));
        Assert.Equal(3, everything.Feeds.Count);
        Assert.Equal(["go", "programming"], everything.Feeds.Single(f => f.XmlUrl == "https://go.example/index.xml").Categories.Order());
        var go = OpmlReader.Read(Encoding.UTF8.GetBytes(tagged.Stdout));
        Assert.Equal("https://go.example/index.xml", Assert.Single(go.Feeds).XmlUrl);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Exporting_an_unknown_tag_is_an_error(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);

        var result = await Cli.RunAsync(["export-opml", "--tag", "nope"], Cli.Settings(app));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no tag named nope", result.Stderr, StringComparison.Ordinal);
    }
}
