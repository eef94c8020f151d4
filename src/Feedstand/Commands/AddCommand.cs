using System.CommandLine;
using Feedstand.Crawling;
using Feedstand.Data;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Commands;

/// <summary><c>feedstand add URL [--tag T]...</c>: finds the feed behind URL (a feed or an HTML page), fetches it, lists it.</summary>
internal static class AddCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "A feed URL, or a page that links to its feed." };
        var tags = new Option<string[]>("--tag") { Description = "A tag for the feed; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("add", "Discover, fetch and add a feed.") { url, tags };
        command.SetAction((result, ct) => RunAsync(result.GetValue(url)!, result.GetValue(tags) ?? [], ct));
        return command;
    }

    private static async Task<int> RunAsync(string url, string[] tagNames, CancellationToken ct)
    {
        using var host = CommandSetup.TryBuildHost("add");
        if (host is null || !await CommandSetup.TryMigrateAsync(host, "add", ct))
        {
            return 2;
        }

        var finder = host.Services.GetRequiredService<FeedFinder>();
        using var feedFound = await finder.FindAsync(url, ct);
        if (!feedFound.IsFound)
        {
            await Console.Error.WriteLineAsync($"add: {url}: {feedFound.Error?.Message}");
            return 1;
        }

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var feedUrl = feedFound.FeedUrl;
        var existing = await db.Feeds.AsNoTracking()
            .Where(f => f.FeedUrl == feedUrl || f.FeedUrl == url)
            .Select(f => f.Slug).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            await Console.Error.WriteLineAsync($"add: {feedFound.FeedUrl} is already listed as {existing}");
            return 1;
        }

        var listing = new NewListing(feedFound.FeedUrl) { SiteUrl = feedFound.Feed.Link, Tags = tagNames };
        var feed = (await db.AddListingsAsync([listing], clock.GetUtcNow(), ct)).Single();

        var refresher = scope.ServiceProvider.GetRequiredService<FeedRefresher>();
        var outcome = await refresher.RefreshAsync(FeedToFetch.Of(feed), feedFound.Response, ct);
        if (outcome.Error is { } storeError)
        {
            await Console.Error.WriteLineAsync($"add: added {feed.Slug}, but its first refresh failed: {storeError.Message}");
        }
        // The refresh wrote through its own scope: read the title it found.
        var title = await db.Feeds.Where(f => f.Id == feed.Id).Select(f => f.DisplayTitle).SingleAsync(ct);
        await Console.Out.WriteLineAsync($"{feed.Slug}\t{title}\t{feed.FeedUrl}\t{outcome.NewEntries} entries");
        return 0;
    }
}
