using Feedstand.Data;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Translation;

/// <summary><c>feedstand translate</c> as a child process against the fake engine.</summary>
public sealed class TranslateCommandTests : IAsyncLifetime
{
    private FakeEngine _engine = null!;

    public async ValueTask InitializeAsync() => _engine = await FakeEngine.StartAsync();

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Theory, MemberData(nameof(TestApp.Providers), MemberType = typeof(TestApp))]
    public async Task Translate_translates_a_feed_and_sums_up(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var feedId = await app.AddFeedAsync("https://posts.example/feed.xml", "posts");
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < 3; i++)
            {
                db.Entries.Add(new Entry
                {
                    FeedId = feedId,
                    Key = "k" + i,
                    Title = $"A post about compilers, part {i}",
                    ContentHtml = $"<p>Compilers turn source code into programs, step {i}.</p>",
                    ContentHash = "h" + i,
                    SortDate = TestApp.Start.AddDays(-i),
                    FirstSeenAt = TestApp.Start,
                });
            }
            await db.SaveChangesAsync();
        });
        var settings = Cli.Settings(app);
        foreach (var (key, value) in _engine.Settings("openai"))
        {
            settings[key] = value!;
        }
        settings["TRANSLATION_TIMEOUT_SECONDS"] = "120"; // a cold child process on a busy machine

        var result = await Cli.RunAsync(["translate", "--feed", "posts", "--to", "zh"], settings);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(3, result.Count("translated"));
        Assert.Equal(3, await app.WithDbAsync(db => db.EntryTranslations.CountAsync(t => t.Language == "zh")));

        var again = await Cli.RunAsync(["translate", "--feed", "posts", "--to", "zh"], settings);
        Assert.Equal(0, again.Count("entries to translate"));

        var missing = await Cli.RunAsync(["translate", "--feed", "nope", "--to", "zh"], settings);
        Assert.Equal(1, missing.ExitCode);
        settings["TRANSLATION_ENGINE"] = "none";
        var off = await Cli.RunAsync(["translate", "--feed", "posts", "--to", "zh"], settings);
        Assert.Equal(2, off.ExitCode);
        Assert.Contains("FEEDSTAND_TRANSLATION_ENGINE", off.Stderr, StringComparison.Ordinal);
    }
}
