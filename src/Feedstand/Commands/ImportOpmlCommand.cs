using System.CommandLine;
using Feedstand.Data;
using Feedstand.Feeds.Opml;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand import-opml FILE</c>: lists every feed of an OPML file (or of a plain list of
/// feed URLs, one a line), tagged with its OPML categories and folders. Feeds already listed, or
/// listed twice in the file, are skipped and counted. Inserts go in batches.
/// </summary>
internal static class ImportOpmlCommand
{
    private const int BatchSize = 5000;

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

        var urls = new HashSet<string>(await db.Feeds.AsNoTracking().Select(f => f.FeedUrl).ToListAsync(ct), StringComparer.Ordinal);
        var slugs = new HashSet<string>(await db.Feeds.AsNoTracking().Select(f => f.Slug).ToListAsync(ct), StringComparer.Ordinal);
        var tags = await db.Tags.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.Ordinal, ct);

        var imported = 0;
        var duplicates = document.Repeats;
        var batch = new List<(Feed Feed, List<string> Tags)>(BatchSize);
        foreach (var outline in document.Feeds)
        {
            var url = Normalize(outline.XmlUrl);
            if (!urls.Add(url))
            {
                duplicates++;
                continue;
            }
            var feed = new Feed
            {
                Slug = Slugs.Unique(Slugs.FromUrl(outline.HtmlUrl ?? url), slugs),
                FeedUrl = url,
                SiteUrl = outline.HtmlUrl,
                Title = outline.Title,
                Description = outline.Description,
                Language = outline.Language?.ToLowerInvariant(),
                Status = FeedStatus.Active,
                CreatedAt = now,
            };
            var names = outline.Categories.Select(Slugs.Tag).Where(n => n.Length > 0).Distinct().ToList();
            batch.Add((feed, names));
            if (batch.Count == BatchSize)
            {
                imported += await FeedImport.InsertAsync(db, batch, tags, now, ct);
                batch.Clear();
            }
        }
        imported += await FeedImport.InsertAsync(db, batch, tags, now, ct);
        return new ImportResult(imported, duplicates);
    }

    private static string Normalize(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ? uri.AbsoluteUri : url.Trim();
}
