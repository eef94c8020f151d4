using System.CommandLine;
using Feedstand.Data;
using Feedstand.Feeds.Opml;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand import-opml FILE</c>: lists every feed of an OPML file (or of a plain list of
/// feed URLs, one a line), tagged with its OPML categories and folders. Feeds already listed, or
/// listed twice in the file, are skipped and counted. Inserts go in batches.
/// </summary>
internal static class ImportOpmlCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An OPML 1.0/2.0 file, or a text file of feed URLs (one a line)." };
        var command = new Command("import-opml", "Import feeds from OPML or a list of URLs.") { file };
        command.SetAction((result, ct) => RunAsync(result.GetValue(file)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"import-opml: {file.FullName}: file not found");
            return 1;
        }
        OpmlDocument document;
        try
        {
            document = OpmlReader.Read(await File.ReadAllBytesAsync(file.FullName, ct));
        }
        catch (OpmlException ex)
        {
            await Console.Error.WriteLineAsync($"import-opml: {file.Name}: {ex.Message}; nothing imported");
            return 1;
        }

        using var host = CommandSetup.TryBuildHost("import-opml");
        if (host is null || !await CommandSetup.TryMigrateAsync(host, "import-opml", ct))
        {
            return 2;
        }
        var result = await ImportAsync(host.Services, document, ct);
        await Console.Out.WriteLineAsync($"imported {result.Imported} feeds, skipped {result.Duplicates} duplicates");
        return 0;
    }

    internal sealed record ImportResult(int Imported, int Duplicates);

    internal static async Task<ImportResult> ImportAsync(IServiceProvider services, OpmlDocument document, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();

        var listings = document.Feeds.Select(outline => new NewListing(Normalize(outline.XmlUrl))
        {
            SiteUrl = outline.HtmlUrl,
            Title = outline.Title,
            Description = outline.Description,
            Language = outline.Language,
            Tags = outline.Categories,
        }).ToList();
        var created = await db.AddListingsAsync(listings, now, ct);
        return new ImportResult(created.Count, document.Repeats + listings.Count - created.Count);
    }

    private static string Normalize(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ? uri.AbsoluteUri : url.Trim();
}
