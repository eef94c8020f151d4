using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Feedstand.Feeds;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand bench-parse DIR ROUNDS [--no-sanitize]</c>: times full parses of every file
/// under DIR, all bytes held in memory first, and prints one RESULT line (contracts/app.md).
/// </summary>
internal static class BenchParseCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "Folder of feed documents, read recursively." };
        var rounds = new Argument<int>("ROUNDS") { Description = "How many timed passes over all files." };
        var noSanitize = new Option<bool>("--no-sanitize") { Description = "Time parsing and normalizing alone." };
        var command = new Command("bench-parse", "Time the parser over a folder of feeds.") { directory, rounds, noSanitize };
        command.SetAction(result =>
            Run(result.GetValue(directory)!, result.GetValue(rounds), !result.GetValue(noSanitize)));
        return command;
    }

    private static int Run(DirectoryInfo directory, int rounds, bool sanitize)
    {
        if (!directory.Exists)
        {
            Console.Error.WriteLine($"bench-parse: no such folder: {directory.FullName}");
            return 1;
        }
        if (rounds < 1)
        {
            Console.Error.WriteLine("bench-parse: ROUNDS must be at least 1");
            return 1;
        }

        var files = directory.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => f.Name != "MANIFEST.tsv")
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => (Path: Path.GetRelativePath(directory.FullName, f.FullName), Bytes: File.ReadAllBytes(f.FullName)))
            .ToArray();
        // Entries stream to a counter, as a consumer that stores them in batches would take them:
        // every entry is fully parsed, normalized and sanitized, but the run does not hold them all.
        var entries = 0L;
        var options = new FeedParseOptions { Sanitize = sanitize, OnEntry = _ => entries++ };

        var failed = 0;
        foreach (var (path, bytes) in files)
        {
            try
            {
                FeedParser.Parse(bytes, options);
            }
            catch (FeedParseException ex)
            {
                failed++;
                Console.Error.WriteLine($"FAIL {path}: {ex.Message}");
            }
        }

        long totalBytes = files.Sum(f => (long)f.Bytes.Length);
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (_, bytes) in files)
            {
                try
                {
                    FeedParser.Parse(bytes, options);
                }
                catch (FeedParseException)
                {
                    // Counted once above; timed here like any other file.
                }
            }
        }
        clock.Stop();

        var seconds = clock.Elapsed.TotalSeconds;
        var megabytes = totalBytes * (double)rounds / (1024 * 1024);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT peer=feedstand files={files.Length} bytes={totalBytes} rounds={rounds} seconds={seconds:F3} mb_per_s={megabytes / seconds:F2} files_per_s={files.Length * rounds / seconds:F1} failed={failed} entries={entries}"));
        return 0;
    }
}
