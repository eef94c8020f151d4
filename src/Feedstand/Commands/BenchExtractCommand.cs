using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Feedstand.Feeds.Extraction;
using Feedstand.Feeds.Model;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand bench-extract DIR ROUNDS [--urls FILE] [--out DIR]</c>: times the article
/// extractor on every page under DIR (<c>*.html</c>, <c>*.html.gz</c>), each page timed alone,
/// and prints one RESULT line with the median, p99 and slowest time per page and the
/// process's CPU time per page. <c>--urls</c>
/// names a JSON object of page key → <c>{ "url": ... }</c> (the benchmark's ground truth);
/// <c>--out</c> writes each page's <c>extract</c> JSON there, for scoring.
/// </summary>
internal static class BenchExtractCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "Folder of HTML pages (.html or .html.gz)." };
        var rounds = new Argument<int>("ROUNDS") { Description = "How many timed passes over all pages." };
        var urls = new Option<FileInfo?>("--urls") { Description = "JSON object: page key -> { \"url\": ... }." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Write each page's extract JSON here." };
        var command = new Command("bench-extract", "Time the article extractor over a folder of pages.") { directory, rounds, urls, output };
        command.SetAction(result => Run(result.GetValue(directory)!, result.GetValue(rounds), result.GetValue(urls), result.GetValue(output)));
        return command;
    }

    private static int Run(DirectoryInfo directory, int rounds, FileInfo? urlsFile, DirectoryInfo? output)
    {
        if (!directory.Exists || rounds < 1)
        {
            Console.Error.WriteLine(!directory.Exists ? $"bench-extract: no such folder: {directory.FullName}" : "bench-extract: ROUNDS must be at least 1");
            return 1;
        }
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        if (urlsFile is not null)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(urlsFile.FullName));
            foreach (var page in json.RootElement.EnumerateObject())
            {
                if (page.Value.TryGetProperty("url", out var url) && url.GetString() is { } value)
                {
                    urls[page.Name] = value;
                }
            }
        }

        var pages = new List<(string Key, Uri Url, byte[] Bytes)>();
        foreach (var file in directory.EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            var key = file.Name.EndsWith(".html.gz", StringComparison.Ordinal) ? file.Name[..^".html.gz".Length]
                : file.Name.EndsWith(".html", StringComparison.Ordinal) ? file.Name[..^".html".Length]
                : null;
            if (key is null)
            {
                continue;
            }
            var bytes = File.ReadAllBytes(file.FullName);
            if (file.Name.EndsWith(".gz", StringComparison.Ordinal))
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                bytes = plain.ToArray();
            }
            var url = urls.TryGetValue(key, out var known) ? new Uri(known) : new Uri(file.FullName);
            pages.Add((key, url, bytes));
        }

        if (output is not null)
        {
            output.Create();
        }
        foreach (var (key, url, bytes) in pages)
        {
            var article = ArticleExtractor.Extract(bytes, url);
            if (output is not null)
            {
                using var stream = File.Create(Path.Combine(output.FullName, key + ".json"));
                using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = FeedJson.Encoder });
                ExtractCommand.Write(writer, article);
            }
        }

        var times = new List<double>(pages.Count * rounds);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (_, url, bytes) in pages)
            {
                var start = Stopwatch.GetTimestamp();
                ArticleExtractor.Extract(bytes, url);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        total.Stop();
        // CPU time of the process per page: steadier than the wall clock when other work shares the cores.
        var cpuPerPage = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / Math.Max(1, times.Count);
        times.Sort();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT peer=feedstand pages={pages.Count} rounds={rounds} seconds={total.Elapsed.TotalSeconds:F3} median_ms={Percentile(times, 0.5):F2} p99_ms={Percentile(times, 0.99):F2} max_ms={times[^1]:F2} cpu_ms_per_page={cpuPerPage:F2}"));
        return 0;
    }

    private static double Percentile(List<double> sorted, double share)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }
        var index = (int)Math.Ceiling(share * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
