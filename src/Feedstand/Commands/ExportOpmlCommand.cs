using System.CommandLine;
using Feedstand.Data;
using Feedstand.Feeds.Opml;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Commands;

/// <summary><c>feedstand export-opml [--tag T]</c>: OPML 2.0 of the active feeds (or of one tag) on standard output.</summary>
internal static class ExportOpmlCommand
{
    public static Command Create()
    {
        var tag = new Option<string?>("--tag") { Description = "Only the feeds with this tag." };
        var command = new Command("export-opml", "Write the directory (or one tag) as OPML 2.0 to standard output.") { tag };
        command.SetAction((result, ct) => RunAsync(result.GetValue(tag), ct));
        return command;
    }

    private static async Task<int> RunAsync(string? tagName, CancellationToken ct)
    {
        using var host = CommandSetup.TryBuildHost("export-opml");
        if (host is null || !await CommandSetup.TryMigrateAsync(host, "export-opml", ct))
        {
            return 2;
        }
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();

        var feeds = db.Feeds.AsNoTracking().Where(f => f.Status == FeedStatus.Active);
        string title = "Feedstand";
        if (tagName is not null)
        {
            var name = Slugs.Tag(tagName);
            if (!await db.Tags.AnyAsync(t => t.Name == name, ct))
            {
                await Console.Error.WriteLineAsync($"export-opml: no tag named {tagName}");
                return 1;
            }
            feeds = feeds.Where(f => f.Tags.Any(t => t.Name == name));
            title = $"Feedstand: {name}";
        }

        var rows = await feeds.OrderBy(f => f.Slug)
            .Select(f => new
            {
                f.FeedUrl,
                f.SiteUrl,
                Title = f.DisplayTitle,
                Description = f.DisplayDescription,
                f.Language,
                Tags = f.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
            })
            .ToListAsync(ct);
        var document = new OpmlDocument(title, rows.Select(r => new OpmlOutline(r.FeedUrl, r.SiteUrl, r.Title, r.Description, r.Language, r.Tags)).ToList());

        await using var stdout = Console.OpenStandardOutput();
        OpmlWriter.Write(document, stdout, clock.GetUtcNow());
        await stdout.FlushAsync(ct);
        return 0;
    }
}
