using System.Diagnostics;
using System.Text;
using Feedstand.Feeds;
using Feedstand.Feeds.Model;
using SharpFuzz;

// The fuzzing target of bench/fuzz/run.sh (afl++ through SharpFuzz).
//
//   dotnet Feedstand.Fuzz.dll            afl++ persistent mode: each input is one document
//   dotnet Feedstand.Fuzz.dll FILE...    replays inputs and names what each one does (crash, slow, xxe, ok)
//
// An input fails the run (an afl "crash") when parsing it throws anything but FeedParseException,
// takes more than a second, or lets the contents of a local file into the output (XXE): the seeds
// reference Marker.Path through external entities, and that file holds Marker.Text.

if (args.Length == 0)
{
    Marker.Write();
    Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        Target.Run(buffer.ToArray());
    });
    return 0;
}

Marker.Write();
var failures = 0;
foreach (var path in args)
{
    var verdict = Target.Classify(File.ReadAllBytes(path));
    Console.WriteLine($"{verdict.Kind}\t{verdict.Milliseconds}\t{path}\t{verdict.Detail}");
    failures += verdict.Kind == "ok" ? 0 : 1;
}
return failures == 0 ? 0 : 1;

internal static class Marker
{
    public const string Path = "/tmp/feedstand-fuzz-secret.txt";
    public const string Text = "XXE-LEAK-4f1c2b";

    public static void Write()
    {
        if (!File.Exists(Path))
        {
            File.WriteAllText(Path, Text + "\n");
        }
    }
}

internal static class Target
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    /// <summary>Parses one input; throws for every outcome the run counts as a failure.</summary>
    public static void Run(byte[] input)
    {
        var clock = Stopwatch.StartNew();
        ParsedFeed feed;
        try
        {
            feed = FeedParser.Parse(input);
        }
        catch (FeedParseException)
        {
            return;
        }
        if (Leaks(feed))
        {
            throw new InvalidOperationException("xxe: the output holds the contents of a local file");
        }
        if (clock.Elapsed > Slow)
        {
            throw new TimeoutException($"slow: {clock.ElapsedMilliseconds} ms");
        }
    }

    public static (string Kind, long Milliseconds, string Detail) Classify(byte[] input)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            Run(input);
            return ("ok", clock.ElapsedMilliseconds, "");
        }
        catch (TimeoutException ex)
        {
            return ("slow", clock.ElapsedMilliseconds, ex.Message);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("xxe:", StringComparison.Ordinal))
        {
            return ("xxe", clock.ElapsedMilliseconds, ex.Message);
        }
        catch (Exception ex)
        {
            return ("crash", clock.ElapsedMilliseconds, $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" "));
        }
    }

    private static bool Leaks(ParsedFeed feed)
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            FeedJson.Write(writer, feed, path: null);
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Contains(Marker.Text, StringComparison.Ordinal);
    }
}
