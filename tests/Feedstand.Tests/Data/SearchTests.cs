using Feedstand.Data;
using Feedstand.Tests.Infrastructure;

namespace Feedstand.Tests.Data;

public class SearchTests
{
    public static TheoryData<string> Providers => TestApp.Providers;

    private static async Task SeedAsync(TestApp app)
    {
        await app.WithDbAsync(async db =>
        {
            var rust = new Feed
            {
                Slug = "rusty", FeedUrl = "https://rusty.example/feed", Title = "Rusty bits", Description = "Notes on the borrow checker",
                CreatedAt = TestApp.Start, FetchState = new FetchState { NextFetchAt = TestApp.Start },
            };
            var garden = new Feed
            {
                Slug = "garden", FeedUrl = "https://garden.example/feed", Title = "Garden diary", Description = "Tomatoes & <roses>",
                CreatedAt = TestApp.Start, FetchState = new FetchState { NextFetchAt = TestApp.Start },
            };
            var hidden = new Feed
            {
                Slug = "hidden", FeedUrl = "https://hidden.example/feed", Title = "Hidden tomatoes", Status = FeedStatus.Pending,
                CreatedAt = TestApp.Start, FetchState = new FetchState { NextFetchAt = TestApp.Start },
            };
            rust.Entries.Add(Entry("e1", "Fighting the borrow checker", "Lifetimes make the compiler happy <script>x</script>"));
            garden.Entries.Add(Entry("e2", "Planting tomatoes", "Tomatoes like sun & water; <b>roses</b> like shade."));
            hidden.Entries.Add(Entry("e3", "Tomatoes again", "More tomatoes"));
            db.Feeds.AddRange(rust, garden, hidden);
            await db.SaveChangesAsync();
        });
    }

    private static Entry Entry(string key, string title, string text) => new()
    {
        Key = key, Title = title, SearchText = text, ContentHash = key, Link = "https://x.example/" + key,
        FirstSeenAt = TestApp.Start, SortDate = TestApp.Start, PublishedAt = TestApp.Start.AddDays(-1),
    };

    private static Task<IReadOnlyList<SearchHit>> SearchAsync(TestApp app, string query) =>
        app.WithDbAsync(db => Search.SearchAsync(db, query, 10, TestContext.Current.CancellationToken));

    [Theory, MemberData(nameof(Providers))]
    public async Task Words_find_feeds_and_entries_with_highlighted_snippets(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await SeedAsync(app);

        var hits = await SearchAsync(app, "tomatoes");

        var feed = Assert.Single(hits, h => h.Kind == SearchHitKind.Feed);
        Assert.Equal("garden", feed.FeedSlug);
        Assert.Contains("<mark>Tomatoes</mark>", feed.SnippetHtml, StringComparison.Ordinal);
        var entry = Assert.Single(hits, h => h.Kind == SearchHitKind.Entry);
        Assert.Equal("Planting tomatoes", entry.EntryTitle);
        Assert.Equal("https://x.example/e2", entry.EntryLink);
        Assert.Equal(TestApp.Start.AddDays(-1), entry.PublishedAt);
        Assert.Contains("<mark>", entry.SnippetHtml, StringComparison.Ordinal);
        Assert.True(entry.Rank > 0);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_word_must_match(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await SeedAsync(app);

        var hits = await SearchAsync(app, "borrow lifetimes");

        var entry = Assert.Single(hits);
        Assert.Equal("rusty", entry.FeedSlug);
        Assert.Equal(SearchHitKind.Entry, entry.Kind);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Snippets_escape_the_stored_text(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await SeedAsync(app);

        var hits = await SearchAsync(app, "compiler");

        var entry = Assert.Single(hits);
        var withoutMarks = entry.SnippetHtml.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal);
        Assert.DoesNotContain('<', withoutMarks);
        Assert.DoesNotContain('>', withoutMarks);
        Assert.Contains("<mark>compiler</mark>", entry.SnippetHtml, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Query_syntax_is_taken_as_plain_words(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await SeedAsync(app);

        foreach (var hostile in new[] { "\"tomatoes", "tomatoes OR", "NEAR(tomatoes", "title:tomatoes", "tomat*", "-tomatoes", "')); DROP TABLE feeds; --", "!&|:*" })
        {
            await SearchAsync(app, hostile);
        }
        var hits = await SearchAsync(app, "*tomatoes\")(");

        Assert.Contains(hits, h => h.FeedSlug == "garden");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Feeds_not_listed_are_not_found(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await SeedAsync(app);

        var hits = await SearchAsync(app, "tomatoes");

        Assert.DoesNotContain(hits, h => h.FeedSlug == "hidden");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_empty_query_finds_nothing(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await SeedAsync(app);

        Assert.Empty(await SearchAsync(app, "  ,;  "));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Edited_and_deleted_entries_leave_the_index(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await SeedAsync(app);

        await app.WithDbAsync(async db =>
        {
            var entry = db.Entries.Single(e => e.Key == "e2");
            entry.Title = "Planting peppers";
            entry.SearchText = "Peppers like sun";
            db.Entries.Remove(db.Entries.Single(e => e.Key == "e1"));
            await db.SaveChangesAsync();
        });

        Assert.DoesNotContain(await SearchAsync(app, "tomatoes"), h => h.Kind == SearchHitKind.Entry);
        Assert.Empty(await SearchAsync(app, "lifetimes"));
        Assert.Single(await SearchAsync(app, "peppers"));
    }

    [Fact]
    public void Highlighting_encodes_the_text_and_marks_only_the_engines_markers() =>
        Assert.Equal("a &lt;b&gt; &amp; <mark>c</mark>", Search.Highlight("a <b> & \uE000c\uE001", ["c"]));

    [Fact]
    public void Words_are_runs_of_letters_and_digits() =>
        Assert.Equal(["c", "net", "10", "or", "café"], Search.Words("\"C#\" .NET* 10 OR-café"));

    [Theory, MemberData(nameof(Providers))]
    public async Task Short_words_match_whole_words_and_tags_not_stems(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.WithDbAsync(async db =>
        {
            var gopher = new Feed
            {
                Slug = "gopher", FeedUrl = "https://gopher.example/feed", Title = "Gopher notes", Description = "Writing servers",
                CreatedAt = TestApp.Start, FetchState = new FetchState { NextFetchAt = TestApp.Start }, Tags = [new Tag { Name = "go" }],
            };
            var travel = new Feed
            {
                Slug = "travel", FeedUrl = "https://travel.example/feed", Title = "Going places", Description = "Where we are going next",
                CreatedAt = TestApp.Start, FetchState = new FetchState { NextFetchAt = TestApp.Start },
            };
            travel.Entries.Add(Entry("t1", "Going north", "We are going to the mountains."));
            gopher.Entries.Add(Entry("g1", "Why Go?", "Go makes (simple) servers. Going further later."));
            db.Feeds.AddRange(gopher, travel);
            await db.SaveChangesAsync();
        });

        var hits = await SearchAsync(app, "go");

        var feed = Assert.Single(hits, h => h.Kind == SearchHitKind.Feed);
        Assert.Equal("gopher", feed.FeedSlug);
        Assert.Equal(SearchHitKind.Feed, hits[0].Kind);
        var entry = Assert.Single(hits, h => h.Kind == SearchHitKind.Entry);
        Assert.Equal("Why Go?", entry.EntryTitle);
        Assert.Contains("<mark>Go</mark>", entry.SnippetHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<mark>Going</mark>", entry.SnippetHtml, StringComparison.Ordinal);

        // A longer word is still stemmed: "going" finds "Going" and "going".
        var longer = await SearchAsync(app, "going");
        Assert.Contains(longer, h => h.Kind == SearchHitKind.Feed && h.FeedSlug == "travel");
        Assert.Equal(2, longer.Count(h => h.Kind == SearchHitKind.Entry));
    }

    [Theory]
    [InlineData("Irrational Exuberance (Will \uE000Larson\uE001 )", "Irrational Exuberance (Will <mark>Larson</mark>)")]
    [InlineData("(  Will Larson )", "(Will Larson)")]
    [InlineData("\uE000going\uE001 and \uE000Go\uE001", "going and <mark>Go</mark>")]
    [InlineData("<b>\uE000Go\uE001</b>", "&lt;b&gt;<mark>Go</mark>&lt;/b&gt;")]
    public void Snippets_are_escaped_tidied_and_mark_only_real_matches(string snippet, string expected) =>
        Assert.Equal(expected, Search.Highlight(System.Text.RegularExpressions.Regex.Unescape(snippet), ["go", "larson"]));

    [Fact]
    public void Plain_text_gets_whole_words_marked_after_escaping() =>
        Assert.Equal("A &lt;<mark>Go</mark>&gt; gopher? <mark>Go</mark>!", Search.MarkWords("A <Go>  gopher? Go!", ["go"]));
}
