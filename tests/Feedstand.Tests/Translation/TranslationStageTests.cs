using Feedstand.Data;
using Feedstand.Feeds.Sanitizing;
using Feedstand.Tests.Infrastructure;
using Feedstand.Translation;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Translation;

/// <summary>The translation stage against fake engines on 127.0.0.1, on SQLite and PostgreSQL.</summary>
public sealed class TranslationStageTests : IAsyncLifetime
{
    private static readonly string Post = ContentSanitizer.Sanitize("""
        <p>Compilers are fascinating programs. Read <a href="https://blog.example/compilers">the series</a> from 2024.</p>
        <p>Run <code>cargo build --release</code> and wait about 30 seconds.</p>
        <pre><code>fn main() { println!("hello"); }</code></pre>
        <p><img src="https://blog.example/a.png" alt="A diagram"> The diagram shows the pipeline at https://blog.example/pipeline.</p>
        <ul><li>First step of the pipeline</li><li>Second step of the pipeline</li></ul>
        """, null);

    private FakeEngine _engine = null!;

    public async ValueTask InitializeAsync() => _engine = await FakeEngine.StartAsync();

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    public static TheoryData<string, string> ProvidersAndEngines => new()
    {
        { TestApp.Sqlite, "openai" },
        { TestApp.Sqlite, "deepl" },
        { TestApp.Sqlite, "libretranslate" },
        { TestApp.Postgres, "openai" },
        { TestApp.Postgres, "deepl" },
        { TestApp.Postgres, "libretranslate" },
    };

    private async Task<TestApp> StartAsync(string provider, string engine = "openai", IDictionary<string, string?>? extra = null)
    {
        var settings = _engine.Settings(engine);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return await TestApp.StartAsync(provider, settings);
    }

    private static async Task<(long FeedId, long EntryId)> AddFeedAsync(TestApp app, string html, string title = "How compilers work in practice", string slug = "compilers")
    {
        var feedId = await app.AddFeedAsync($"https://{slug}.example/feed.xml", slug, f => f.Language = "en");
        var entryId = await app.WithDbAsync(async db =>
        {
            var entry = new Entry
            {
                FeedId = feedId,
                Key = $"https://{slug}.example/1",
                Link = $"https://{slug}.example/1",
                Title = title,
                ContentHtml = html,
                ContentHash = "v1",
                SortDate = TestApp.Start,
                FirstSeenAt = TestApp.Start,
            };
            db.Entries.Add(entry);
            await db.SaveChangesAsync();
            return entry.Id;
        });
        return (feedId, entryId);
    }

    private static Task<EntryTranslation?> TranslationOfAsync(TestApp app, long entryId, string language = "zh") =>
        app.WithDbAsync(db => db.EntryTranslations.AsNoTracking().SingleOrDefaultAsync(t => t.EntryId == entryId && t.Language == language));

    [Theory, MemberData(nameof(ProvidersAndEngines))]
    public async Task Every_engine_translates_the_text_and_keeps_the_structure(string provider, string engine)
    {
        await using var app = await StartAsync(provider, engine);
        var (feedId, entryId) = await AddFeedAsync(app, Post);

        var run = await app.Get<TranslationStage>().TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);

        Assert.Null(run.StoppedBecause);
        Assert.Equal(1, run.Translated);
        var translation = await TranslationOfAsync(app, entryId);
        Assert.NotNull(translation);
        Assert.Equal("译:HOW COMPILERS WORK IN PRACTICE", translation.Title);
        Assert.Equal(BlockDocument.StructureOf(Post), BlockDocument.StructureOf(translation.ContentHtml));
        Assert.Contains("译:COMPILERS ARE FASCINATING PROGRAMS", translation.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("<code>cargo build --release</code>", translation.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("fn main() { println!(\"hello\"); }", translation.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("2024", translation.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("https://blog.example/pipeline", translation.ContentHtml, StringComparison.Ordinal);
        Assert.Equal("en", translation.SourceLanguage);
        // Code, pre, URLs and numbers never reach the engine.
        var sent = string.Concat(_engine.Texts);
        Assert.DoesNotContain("cargo", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("println", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("2024", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("30", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("href", sent, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task An_unchanged_pass_sends_nothing_and_an_edit_sends_only_the_changed_paragraph(string provider)
    {
        await using var app = await StartAsync(provider);
        var (feedId, entryId) = await AddFeedAsync(app, Post);
        var stage = app.Get<TranslationStage>();
        var first = await stage.TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);
        Assert.True(first.CharactersSent > 0);
        Assert.Equal(first.CharactersSent, _engine.Characters);

        _engine.Reset();
        var second = await stage.TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);
        Assert.Equal(0, second.Entries);
        Assert.Equal(0, _engine.Requests);

        var edited = Post.Replace("Second step of the pipeline", "Second step, now with caching", StringComparison.Ordinal);
        await app.WithDbAsync(db => db.Entries.Where(e => e.Id == entryId)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.ContentHtml, edited).SetProperty(e => e.ContentHash, "v2")));
        var third = await stage.TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);
        Assert.Equal(1, third.Translated);
        Assert.Equal(["Second step, now with caching"], _engine.Texts);
        var translation = await TranslationOfAsync(app, entryId);
        Assert.Equal("v2", translation!.SourceHash);
        Assert.Contains("译:SECOND STEP, NOW WITH CACHING", translation.ContentHtml, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task The_same_paragraph_in_two_feeds_is_translated_once(string provider)
    {
        await using var app = await StartAsync(provider);
        var (first, _) = await AddFeedAsync(app, "<p>A sentence that two blogs share word for word.</p>", slug: "one");
        var (second, secondEntry) = await AddFeedAsync(app, "<p>A sentence that two blogs share word for word.</p>", slug: "two");
        var stage = app.Get<TranslationStage>();
        await stage.TranslateFeedAsync(first, "zh", null, TestContext.Current.CancellationToken);
        _engine.Reset();
        var run = await stage.TranslateFeedAsync(second, "zh", null, TestContext.Current.CancellationToken);
        Assert.Equal(1, run.Translated);
        Assert.Equal(0, _engine.Requests);
        Assert.Contains("译:A SENTENCE", (await TranslationOfAsync(app, secondEntry))!.ContentHtml, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task A_429_backs_the_engine_off_for_its_Retry_After(string provider)
    {
        await using var app = await StartAsync(provider, "deepl");
        var (feedId, entryId) = await AddFeedAsync(app, Post);
        var stage = app.Get<TranslationStage>();
        _engine.Script.Enqueue(EngineMode.RateLimited);

        var run = await stage.TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);
        Assert.Contains("backing off", run.StoppedBecause, StringComparison.Ordinal);
        Assert.Null(await TranslationOfAsync(app, entryId));
        var state = await app.WithDbAsync(db => db.TranslationEngineStates.AsNoTracking().SingleAsync());
        Assert.Equal(TestApp.Start.AddSeconds(120), state.BlockedUntil);
        Assert.Contains("429", state.LastError, StringComparison.Ordinal);

        var requests = _engine.Requests;
        var blocked = await stage.TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);
        Assert.NotNull(blocked.StoppedBecause);
        Assert.Equal(requests, _engine.Requests);

        app.Clock.Advance(TimeSpan.FromSeconds(121));
        var after = await stage.TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);
        Assert.Null(after.StoppedBecause);
        Assert.NotNull(await TranslationOfAsync(app, entryId));
        Assert.Null((await app.WithDbAsync(db => db.TranslationEngineStates.AsNoTracking().SingleAsync())).BlockedUntil);
    }

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task A_stalled_engine_times_out_and_leaves_no_half_translated_entry(string provider)
    {
        await using var app = await StartAsync(provider, "openai");
        var (feedId, entryId) = await AddFeedAsync(app, Post);
        // The title and the first paragraph are translated, then the engine stalls.
        _engine.Script.Enqueue(EngineMode.Pseudo);
        _engine.Script.Enqueue(EngineMode.Pseudo);
        _engine.Script.Enqueue(EngineMode.Stall);

        var run = await app.Get<TranslationStage>().TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);
        Assert.Contains("no answer within 1 s", run.StoppedBecause, StringComparison.Ordinal);
        Assert.Null(await TranslationOfAsync(app, entryId));
        Assert.Equal(2, await app.WithDbAsync(db => db.TranslatedBlocks.CountAsync()));
        var state = await app.WithDbAsync(db => db.TranslationEngineStates.AsNoTracking().SingleAsync());
        Assert.Equal(TestApp.Start.AddSeconds(30), state.BlockedUntil);
    }

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task A_broken_reply_is_retried_once_then_the_block_stays_untranslated(string provider)
    {
        await using var app = await StartAsync(provider, "openai");
        var (feedId, entryId) = await AddFeedAsync(app, "<p>First <em>paragraph</em> here.</p><p>Second <b>paragraph</b> here.</p>", title: "");
        // First block: broken, then fine on the retry. Second block: broken twice.
        _engine.Script.Enqueue(EngineMode.Broken);
        _engine.Script.Enqueue(EngineMode.Broken);
        _engine.Script.Enqueue(EngineMode.Pseudo);
        _engine.Script.Enqueue(EngineMode.Broken);

        var run = await app.Get<TranslationStage>().TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);
        Assert.Equal(1, run.Translated);
        Assert.Equal(3, run.Rejected);
        var translation = await TranslationOfAsync(app, entryId);
        Assert.Equal("<p>译:FIRST <em>PARAGRAPH</em> HERE.</p><p>Second <b>paragraph</b> here.</p>", translation!.ContentHtml);
    }

    public static TheoryData<string, EngineMode> HostileReplies => new()
    {
        { TestApp.Sqlite, EngineMode.Hostile },
        { TestApp.Sqlite, EngineMode.HostileAttributes },
        { TestApp.Postgres, EngineMode.Hostile },
        { TestApp.Postgres, EngineMode.HostileAttributes },
    };

    [Theory, MemberData(nameof(HostileReplies))]
    public async Task Hostile_replies_never_reach_the_stored_translation(string provider, EngineMode mode)
    {
        await using var app = await StartAsync(provider, "libretranslate");
        var (feedId, entryId) = await AddFeedAsync(app, Post);
        _engine.Mode = mode;

        await app.Get<TranslationStage>().TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);

        var translation = await TranslationOfAsync(app, entryId);
        Assert.NotNull(translation);
        foreach (var bad in new[] { "<script", "onclick", "onerror", "javascript:", "position:fixed", "src=\"x\"" })
        {
            Assert.DoesNotContain(bad, translation.ContentHtml, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(BlockDocument.StructureOf(Post), BlockDocument.StructureOf(translation.ContentHtml));
        Assert.Equal(mode == EngineMode.HostileAttributes, translation.ContentHtml!.Contains("译:", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task A_spent_budget_stops_translation_and_usage_is_kept_per_feed_and_day(string provider)
    {
        await using var app = await StartAsync(provider, "deepl", new Dictionary<string, string?> { ["TRANSLATION_DAILY_CHARACTERS"] = "150" });
        var (small, smallEntry) = await AddFeedAsync(app, "<p>A short post.</p>", title: "Short", slug: "small");
        var (large, largeEntry) = await AddFeedAsync(app, Post, slug: "large");
        var stage = app.Get<TranslationStage>();

        var first = await stage.TranslateFeedAsync(small, "zh", null, TestContext.Current.CancellationToken);
        Assert.Null(first.StoppedBecause);
        Assert.NotNull(await TranslationOfAsync(app, smallEntry));
        var requests = _engine.Requests;

        var second = await stage.TranslateFeedAsync(large, "zh", null, TestContext.Current.CancellationToken);
        Assert.Contains("daily budget", second.StoppedBecause, StringComparison.Ordinal);
        Assert.Equal(requests, _engine.Requests);
        Assert.Null(await TranslationOfAsync(app, largeEntry));

        var usage = await app.WithDbAsync(db => db.TranslationUsage.AsNoTracking().ToListAsync());
        var row = Assert.Single(usage);
        Assert.Equal(small, row.FeedId);
        Assert.Equal(DateOnly.FromDateTime(TestApp.Start.UtcDateTime), row.Day);
        Assert.Equal(_engine.Characters, row.Characters);

        app.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await stage.TranslateFeedAsync(large, "zh", null, TestContext.Current.CancellationToken);
        Assert.Contains("daily budget", nextDay.StoppedBecause, StringComparison.Ordinal); // the large post alone is over 150
    }

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task Text_already_in_the_target_language_is_not_sent(string provider)
    {
        await using var app = await StartAsync(provider);
        // Declared English, written in Chinese: detection wins.
        var (feedId, entryId) = await AddFeedAsync(app, "<p>编译器是非常有趣的程序，这个系列文章介绍它们的工作原理和实现细节。</p>", title: "编译器是如何工作的");

        var run = await app.Get<TranslationStage>().TranslateFeedAsync(feedId, "zh", null, TestContext.Current.CancellationToken);

        Assert.Equal(1, run.SameLanguage);
        Assert.Equal(0, _engine.Requests);
        var translation = await TranslationOfAsync(app, entryId);
        Assert.True(translation!.IsSameLanguage);
        Assert.Equal("zh", translation.SourceLanguage);
    }

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task The_pass_after_a_refresh_translates_per_feed_languages_and_the_default(string provider)
    {
        await using var app = await StartAsync(provider);
        var (english, englishEntry) = await AddFeedAsync(app, "<p>An English post about compilers and their passes.</p>", slug: "english");
        var (chinese, chineseEntry) = await AddFeedAsync(app, "<p>An English post in a feed that says it is Chinese.</p>", slug: "chinese");
        await app.WithDbAsync(async db =>
        {
            await db.Feeds.Where(f => f.Id == chinese).ExecuteUpdateAsync(u => u.SetProperty(f => f.Language, "zh-CN"));
            db.TranslationTargets.Add(new TranslationTarget { FeedId = null, Language = "zh" });
            db.TranslationTargets.Add(new TranslationTarget { FeedId = english, Language = "ja" });
            await db.SaveChangesAsync();
        });

        await app.Get<TranslationStage>().RunAfterRefreshAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(await TranslationOfAsync(app, englishEntry, "zh"));
        Assert.NotNull(await TranslationOfAsync(app, englishEntry, "ja"));
        // The default skips feeds declared in the target language.
        Assert.Null(await TranslationOfAsync(app, chineseEntry, "zh"));
    }
}
