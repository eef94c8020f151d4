using System.CommandLine;
using System.Text.Json;
using Feedstand.Checking;
using Feedstand.Feeds.Checking;
using Feedstand.Feeds.Model;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand check FILE_OR_URL...</c>: the publisher's feed check, one JSON object per input
/// (JSON Lines for several): <c>path</c> or <c>url</c>, <c>findings</c>, <c>score</c>, <c>sections</c>.
/// URLs are fetched through the SSRF guard, with the HTTP section filled in.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("FILE_OR_URL") { Arity = ArgumentArity.OneOrMore, Description = "Feed files (- for standard input) or http(s) URLs." };
        var command = new Command("check", "Check feeds as a publisher would want: validity, HTTP, readers, discovery.") { inputs };
        command.SetAction((result, ct) => RunAsync(result.GetValue(inputs)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] inputs, CancellationToken ct)
    {
        var hasUrl = inputs.Any(IsUrl);
        using var host = hasUrl ? CommandSetup.TryBuildHost("check") : null;
        if (hasUrl && host is null)
        {
            return 2;
        }
        var probe = host is null ? null : host.Services.GetRequiredService<FeedProbe>();
        using var stdout = Console.OpenStandardOutput();
        var indented = inputs.Length == 1;
        await using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = indented, Encoder = FeedJson.Encoder });
        var exit = 0;
        foreach (var input in inputs)
        {
            writer.Reset(stdout);
            if (IsUrl(input))
            {
                var probed = await probe!.ProbeAsync(input, ct);
                if (probed.Body is null)
                {
                    var report = FeedChecker.Check(ReadOnlyMemory<byte>.Empty, new CheckInput { Url = input, Http = probed.Http });
                    CheckJson.Write(writer, new CheckReport { Findings = report.Findings.Where(f => f.Section == CheckSection.Http).ToList(), Score = 0, Http = probed.Http }, url: input);
                }
                else
                {
                    var report = FeedChecker.Check(probed.Body, new CheckInput { Url = probed.Http.FinalUrl, ContentType = probed.Http.ContentType, Http = probed.Http });
                    CheckJson.Write(writer, report, url: input);
                }
            }
            else if (InputFile.TryRead(input, out var bytes, out var error))
            {
                CheckJson.Write(writer, FeedChecker.Check(bytes), path: input);
            }
            else
            {
                CheckJson.WriteError(writer, input, null, error);
                if (inputs.Length == 1)
                {
                    await Console.Error.WriteLineAsync($"check: {input}: {error}");
                    exit = 1;
                }
            }
            await writer.FlushAsync(ct);
            stdout.WriteByte((byte)'\n');
        }
        return exit;
    }

    private static bool IsUrl(string input) =>
        input.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
