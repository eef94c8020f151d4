using System.CommandLine;
using System.Globalization;
using Feedstand.Data;
using Feedstand.Translation;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand translate --feed SLUG --to LANG</c>: translates the newest entries of one feed with
/// the configured engine, through the same stage as the background pass (cache, budget, backoff),
/// with a progress display on standard error and a summary on standard output. Exit code 1 for
/// bad input, 2 for setup errors (no engine, no database), 3 when the run stopped early.
/// </summary>
internal static class TranslateCommand
{
    public static Command Create()
    {
        var feed = new Option<string>("--feed") { Description = "The slug of the feed to translate.", Required = true };
        var to = new Option<string>("--to") { Description = "The target language (ISO 639-1: zh, en, de…).", Required = true };
        var command = new Command("translate", "Translate a feed's entries into another language with the configured engine.") { feed, to };
        command.SetAction((result, ct) => RunAsync(result.GetValue(feed)!, result.GetValue(to)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(string slug, string language, CancellationToken ct)
    {
        if (Web.LanguageCodes.Primary(language) is null || language.Length > 35)
        {
            await Console.Error.WriteLineAsync($"translate: not a language code: {language}");
            return 1;
        }
        using var host = CommandSetup.TryBuildHost("translate");
        if (host is null || !await CommandSetup.TryMigrateAsync(host, "translate", ct))
        {
            return 2;
        }
        var stage = host.Services.GetRequiredService<TranslationStage>();
        if (stage.Engine is null)
        {
            await Console.Error.WriteLineAsync("translate: no engine configured: set FEEDSTAND_TRANSLATION_ENGINE (openai, deepl or libretranslate) and FEEDSTAND_TRANSLATION_URL");
            return 2;
        }
        long? feedId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            feedId = await db.Feeds.Where(f => f.Slug == slug).Select(f => (long?)f.Id).SingleOrDefaultAsync(ct);
        }
        if (feedId is null)
        {
            await Console.Error.WriteLineAsync($"translate: no feed with slug {slug}");
            return 1;
        }

        var progressConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        TranslationRun run = null!;
        await progressConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"translating {Markup.Escape(slug)} into {Markup.Escape(language)}", maxValue: 1);
                run = await stage.TranslateFeedAsync(feedId.Value, language, r =>
                {
                    task.MaxValue = Math.Max(r.Entries, 1);
                    task.Value = Math.Min(r.Done, task.MaxValue);
                }, ct);
                task.Value = task.MaxValue;
            });

        var output = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out), Interactive = InteractionSupport.No });
        var table = new Table().AddColumn("what").AddColumn(new TableColumn("count").RightAligned());
        table.AddRow("entries to translate", Count(run.Entries));
        table.AddRow("translated", Count(run.Translated));
        table.AddRow("already in the language", Count(run.SameLanguage));
        table.AddRow("structure differs (not stored)", Count(run.StructureDiffers));
        table.AddRow("blocks from the cache", Count(run.BlocksFromCache));
        table.AddRow("blocks sent", Count(run.BlocksSent));
        table.AddRow("characters sent", run.CharactersSent.ToString(CultureInfo.InvariantCulture));
        table.AddRow("requests", Count(run.Requests));
        table.AddRow("rejected replies", Count(run.Rejected));
        output.Write(table);
        if (run.StoppedBecause is { } reason)
        {
            await Console.Error.WriteLineAsync($"translate: stopped: {reason}");
            return 3;
        }
        return 0;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
