using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Feedstand.Crawling;
using Feedstand.Data;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand refresh [--all] [--feed SLUG]</c>: refreshes the due feeds (or all, or one) with a
/// progress display on standard error, then prints each failure and warning once, one line each
/// (instants in ISO 8601 UTC), on standard error and a summary table with the real elapsed time on
/// standard output. Warnings logged during the run are collected, never written through the
/// progress bar. Feeds that fail are counted, not fatal: the exit code is non-zero only for bad
/// input (1) or a setup error (2).
/// </summary>
internal static class RefreshCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Refresh every active feed, due or not." };
        var feed = new Option<string?>("--feed") { Description = "Refresh only the feed with this slug." };
        var command = new Command("refresh", "Refresh due feeds (or all, or one).") { all, feed };
        command.SetAction((result, ct) => RunAsync(result.GetValue(all), result.GetValue(feed), ct));
        return command;
    }

    private static async Task<int> RunAsync(bool all, string? slug, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var log = new CollectedLog();
        using var host = CommandSetup.TryBuildHost("refresh", log);
        if (host is null || !await CommandSetup.TryMigrateAsync(host, "refresh", ct))
        {
            return 2;
        }
        var cycle = host.Services.GetRequiredService<RefreshCycle>();
        var clock = host.Services.GetRequiredService<TimeProvider>();

        if (slug is not null)
        {
            long? feedId;
            await using (var scope = host.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
                feedId = await db.Feeds.Where(f => f.Slug == slug).Select(f => (long?)f.Id).SingleOrDefaultAsync(ct);
            }
            if (feedId is null)
            {
                await Console.Error.WriteLineAsync($"refresh: no feed with slug {slug}");
                return 1;
            }
            var outcome = await host.Services.GetRequiredService<FeedRefresher>().RefreshAsync(feedId.Value, ct);
            var single = new RefreshSummary();
            single.AddClaimed(1);
            single.Add(outcome);
            await WriteLogAsync(log);
            WriteSummary(single, Stopwatch.GetElapsedTime(started));
            return 0;
        }

        int expected;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            var now = clock.GetUtcNow();
            var active = db.FetchStates.Where(s => s.Feed!.Status == FeedStatus.Active);
            expected = all ? await active.CountAsync(ct) : await active.CountAsync(s => s.NextFetchAt <= now, ct);
        }

        var progressConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        RefreshSummary summary = null!;
        await progressConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var description = all ? "refreshing all feeds" : "refreshing due feeds";
                var task = context.AddTask(description, maxValue: Math.Max(expected, 1));
                summary = await cycle.RunAsync(all, s =>
                {
                    task.Value = Math.Min(s.Done, task.MaxValue);
                    task.Description = s.WaitingForOthers > 0
                        ? $"{description}: waiting for {s.WaitingForOthers} held by another refresher"
                        : description;
                }, ct);
                task.Value = task.MaxValue;
            });
        await WriteLogAsync(log);
        WriteSummary(summary, Stopwatch.GetElapsedTime(started));
        if (summary.NotDone.Count > 0)
        {
            await Console.Error.WriteLineAsync(
                $"refresh: not done, still held by another refresher: {string.Join(", ", summary.NotDone)}");
        }
        return 0;
    }

    /// <summary>Each collected failure and warning, once, one line each.</summary>
    private static async Task WriteLogAsync(CollectedLog log)
    {
        foreach (var line in log.Lines.Distinct(StringComparer.Ordinal))
        {
            await Console.Error.WriteLineAsync("refresh: " + line);
        }
    }

    /// <param name="elapsed">The command's own wall time, start-up and migration included.</param>
    private static void WriteSummary(RefreshSummary summary, TimeSpan elapsed)
    {
        var output = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out), Interactive = InteractionSupport.No });
        var table = new Table().AddColumn("what").AddColumn(new TableColumn("count").RightAligned());
        table.AddRow("feeds", Count(summary.Claimed));
        table.AddRow("fetched", Count(summary.Fetched));
        table.AddRow("unchanged (304)", Count(summary.NotModified));
        table.AddRow("new entries", Count(summary.NewEntries));
        table.AddRow("updated entries", Count(summary.UpdatedEntries));
        table.AddRow("errors", Count(summary.Failed));
        foreach (var (kind, count) in summary.ErrorsByKind.OrderByDescending(p => p.Value))
        {
            table.AddRow($"  {Markup.Escape(kind)}", Count(count));
        }
        if (summary.NotDone.Count > 0)
        {
            table.AddRow("not done (held elsewhere)", Count(summary.NotDone.Count));
        }
        table.AddRow("seconds", elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture));
        var seconds = summary.Elapsed.TotalSeconds;
        if (seconds > 0 && summary.Done > 0)
        {
            table.AddRow("feeds/s", (summary.Done / seconds).ToString("0.0", CultureInfo.InvariantCulture));
            table.AddRow("entries/s", (summary.NewEntries / seconds).ToString("0.0", CultureInfo.InvariantCulture));
        }
        output.Write(table);
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
