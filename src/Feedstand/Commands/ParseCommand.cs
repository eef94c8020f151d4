using System.CommandLine;
using System.Text.Json;
using Feedstand.Feeds;
using Feedstand.Feeds.Model;

namespace Feedstand.Commands;

/// <summary><c>feedstand parse [--base URL] [--content-type T] PATH...</c> (contracts/feed-json.md).</summary>
internal static class ParseCommand
{
    public static Command Create()
    {
        var baseOption = new Option<string?>("--base") { Description = "The URL the document was fetched from." };
        var contentTypeOption = new Option<string?>("--content-type") { Description = "The HTTP Content-Type, for its charset." };
        var contentLocationOption = new Option<string?>("--content-location") { Description = "The HTTP Content-Location, a base for relative links." };
        var noSanitizeOption = new Option<bool>("--no-sanitize") { Description = "Leave entry HTML as found (for debugging only)." };
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.OneOrMore, Description = "Files to parse; - for standard input." };
        var command = new Command("parse", "Parse feed documents and print the normalized feed as JSON.")
        {
            baseOption, contentTypeOption, contentLocationOption, noSanitizeOption, paths,
        };
        command.SetAction(result =>
        {
            var options = new FeedParseOptions
            {
                BaseUrl = result.GetValue(baseOption),
                ContentType = result.GetValue(contentTypeOption),
                ContentLocation = result.GetValue(contentLocationOption),
                Sanitize = !result.GetValue(noSanitizeOption),
            };
            return Run(result.GetValue(paths)!, options);
        });
        return command;
    }

    private static int Run(string[] paths, FeedParseOptions options)
    {
        using var stdout = Console.OpenStandardOutput();
        if (paths.Length == 1)
        {
            return ParseOne(paths[0], options, stdout);
        }

        using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = false, Encoder = FeedJson.Encoder });
        foreach (var path in paths)
        {
            writer.Reset(stdout);
            if (!InputFile.TryRead(path, out var bytes, out var readError))
            {
                WriteError(writer, path, readError);
            }
            else
            {
                try
                {
                    FeedJson.Write(writer, FeedParser.Parse(bytes, options), path);
                }
                catch (FeedParseException ex)
                {
                    WriteError(writer, path, ex.Message);
                }
            }
            writer.Flush();
            stdout.WriteByte((byte)'\n');
        }
        return 0;
    }

    private static int ParseOne(string path, FeedParseOptions options, Stream stdout)
    {
        if (!InputFile.TryRead(path, out var bytes, out var readError))
        {
            Console.Error.WriteLine($"parse: {path}: {readError}");
            return 1;
        }
        ParsedFeed feed;
        try
        {
            feed = FeedParser.Parse(bytes, options);
        }
        catch (FeedParseException ex)
        {
            Console.Error.WriteLine($"parse: {path}: {ex.Message}");
            return 1;
        }
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = FeedJson.Encoder }))
        {
            FeedJson.Write(writer, feed, path: null);
        }
        stdout.WriteByte((byte)'\n');
        return 0;
    }

    private static void WriteError(Utf8JsonWriter writer, string path, string error)
    {
        writer.WriteStartObject();
        writer.WriteString("path", path);
        writer.WriteString("error", error);
        writer.WriteEndObject();
    }
}
