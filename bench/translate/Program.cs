using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedstand;
using Feedstand.Data;
using Feedstand.Feeds;
using Feedstand.Feeds.Sanitizing;
using Feedstand.Translation;
using Microsoft.EntityFrameworkCore;

// bench/translate: the translation stage over the corpus with a fake LibreTranslate engine on
// loopback that pseudo-translates (upper-cases the text between tags). Three passes into zh:
// the first (everything new), an unchanged second (goal: 0 characters sent), and one after
// editing one paragraph of one post (goal: that paragraph only); then the structural check of
// every stored translation against its source.
// Usage: dotnet TranslateBench.dll CORPUS_DIR WORK_DIR
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: TranslateBench CORPUS_DIR WORK_DIR");
    return 1;
}
var corpus = args[0];
Directory.CreateDirectory(args[1]);
var database = Path.Combine(args[1], "translate-bench.db");
File.Delete(database);

// The fake engine.
long received = 0;
var requests = 0;
var engineBuilder = WebApplication.CreateSlimBuilder();
engineBuilder.Logging.ClearProviders();
engineBuilder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
var engine = engineBuilder.Build();
engine.MapPost("/translate", async (HttpContext context) =>
{
    Interlocked.Increment(ref requests);
    var body = await JsonNode.ParseAsync(context.Request.Body);
    var translated = new JsonArray();
    foreach (var text in body!["q"]!.AsArray().Select(t => (string)t!))
    {
        Interlocked.Add(ref received, text.Length);
        translated.Add(Fake.Pseudo(text));
    }
    return Results.Text(new JsonObject { ["translatedText"] = translated }.ToJsonString(), "application/json");
});
await engine.StartAsync();

var settings = new Dictionary<string, string?>
{
    ["DB"] = "Data Source=" + database,
    ["TRANSLATION_ENGINE"] = "libretranslate",
    ["TRANSLATION_URL"] = engine.Urls.First(),
    ["TRANSLATION_DAILY_CHARACTERS"] = "1000000000",
    ["REFRESH"] = "false",
};
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
builder.Configuration.AddInMemoryCollection(settings);
builder.Logging.ClearProviders();
builder.Services.AddFeedstand(builder.Configuration);
using var host = builder.Build();
await FeedstandServices.MigrateAsync(host.Services, CancellationToken.None);

// The corpus, parsed and stored as a refresh would (sanitized HTML).
var files = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "MANIFEST.tsv").Order(StringComparer.Ordinal).ToList();
var feedIds = new List<long>();
var entryCount = 0;
await using (var scope = host.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
    var n = 0;
    foreach (var file in files)
    {
        Feedstand.Feeds.Model.ParsedFeed parsed;
        try
        {
            parsed = FeedParser.Parse(await File.ReadAllBytesAsync(file), new FeedParseOptions { BaseUrl = "https://corpus.example/" + Path.GetFileName(file) });
        }
        catch (FeedParseException)
        {
            continue;
        }
        n++;
        var feed = new Feed { Slug = "f" + n, FeedUrl = "https://corpus.example/" + n, Title = parsed.Title, Language = parsed.Language, CreatedAt = DateTimeOffset.UtcNow };
        var i = 0;
        foreach (var e in parsed.Entries)
        {
            i++;
            feed.Entries.Add(new Entry
            {
                Key = "e" + i,
                Title = e.Title,
                ContentHtml = e.ContentHtml,
                SummaryHtml = e.SummaryHtml,
                ContentHash = "v1",
                SortDate = DateTimeOffset.UnixEpoch.AddDays(100_000 - i),
                FirstSeenAt = DateTimeOffset.UnixEpoch,
            });
        }
        db.Feeds.Add(feed);
        await db.SaveChangesAsync();
        feedIds.Add(feed.Id);
        entryCount += Math.Min(i, TranslationStage.EntriesPerFeed);
        db.ChangeTracker.Clear();
    }
}
Console.WriteLine($"corpus: {files.Count} files, {feedIds.Count} feeds, {entryCount} entries (newest {TranslationStage.EntriesPerFeed} per feed)");

var stage = host.Services.GetRequiredService<TranslationStage>();
async Task<(TranslationRun Total, double Seconds)> PassAsync()
{
    var total = new TranslationRun();
    var clock = Stopwatch.StartNew();
    var sum = new long[9];
    foreach (var id in feedIds)
    {
        var run = await stage.TranslateFeedAsync(id, "zh", null, CancellationToken.None);
        if (run.StoppedBecause is { } reason)
        {
            Console.Error.WriteLine($"feed {id}: stopped: {reason}");
        }
        sum[0] += run.Entries; sum[1] += run.Translated; sum[2] += run.SameLanguage; sum[3] += run.StructureDiffers;
        sum[4] += run.BlocksFromCache; sum[5] += run.BlocksSent; sum[6] += run.CharactersSent; sum[7] += run.Requests; sum[8] += run.Rejected;
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  entries to do {sum[0]}, translated {sum[1]}, already zh {sum[2]}, structure differs {sum[3]}, blocks from cache {sum[4]}, blocks sent {sum[5]}, characters sent {sum[6]}, requests {sum[7]}, rejected {sum[8]}, {clock.Elapsed.TotalSeconds:0.00} s"));
    return (total, clock.Elapsed.TotalSeconds);
}

Console.WriteLine("pass 1 (all new):");
await PassAsync();
var first = Interlocked.Exchange(ref received, 0);
Console.WriteLine($"RESULT pass=first characters_sent={first}");

Console.WriteLine("pass 2 (unchanged):");
await PassAsync();
var second = Interlocked.Exchange(ref received, 0);
Console.WriteLine($"RESULT pass=unchanged characters_sent={second}");

// Edit one paragraph of one translated post with several paragraphs.
string editedParagraph;
await using (var scope = host.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
    var candidates = await db.Entries.Where(e => e.ContentHtml != null && db.EntryTranslations.Any(t => t.EntryId == e.Id && !t.IsSameLanguage))
        .OrderBy(e => e.Id).Select(e => new { e.Id, e.ContentHtml }).Take(2000).ToListAsync();
    var target = candidates.First(c => Regex.Count(c.ContentHtml!, "<p>[A-Za-z][^<]{40,}</p>") >= 3);
    var paragraph = Regex.Matches(target.ContentHtml!, "<p>([A-Za-z][^<]{40,})</p>")[1];
    editedParagraph = paragraph.Groups[1].Value + " Edited.";
    var html = target.ContentHtml!.Remove(paragraph.Groups[1].Index, paragraph.Groups[1].Length).Insert(paragraph.Groups[1].Index, editedParagraph);
    await db.Entries.Where(e => e.Id == target.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.ContentHtml, html).SetProperty(e => e.ContentHash, "v2"));
    Console.WriteLine($"edited entry {target.Id}: one paragraph of {editedParagraph.Length} characters");
}
var expected = BlockDocument.Parse("<p>" + WebUtility.HtmlEncode(editedParagraph).Replace("&#39;", "'", StringComparison.Ordinal) + "</p>").Blocks.Sum(b => b.Sent.Length);
Console.WriteLine("pass 3 (one paragraph edited):");
await PassAsync();
var third = Interlocked.Exchange(ref received, 0);
Console.WriteLine($"RESULT pass=edited characters_sent={third} paragraph_characters={expected}");

// Structure of every stored translation against its source.
await using (var scope = host.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
    var rows = await db.EntryTranslations.Where(t => !t.IsSameLanguage)
        .Select(t => new { t.Entry!.ContentHtml, t.Entry.SummaryHtml, Translated = t.ContentHtml, TranslatedSummary = t.SummaryHtml }).ToListAsync();
    var differ = rows.Count(r =>
        BlockDocument.StructureOf(r.ContentHtml is null ? null : ContentSanitizer.Sanitize(r.ContentHtml, null)) != BlockDocument.StructureOf(r.Translated)
        || BlockDocument.StructureOf(r.SummaryHtml is null ? null : ContentSanitizer.Sanitize(r.SummaryHtml, null)) != BlockDocument.StructureOf(r.TranslatedSummary));
    Console.WriteLine($"RESULT structure translated_entries={rows.Count} differ={differ}");
}
await engine.StopAsync();
return 0;

internal static partial class Fake
{
    /// <summary>Text between tags upper-cased, tags and entities untouched.</summary>
    public static string Pseudo(string html)
    {
        var builder = new StringBuilder(html.Length);
        var last = 0;
        foreach (var match in Markup().EnumerateMatches(html))
        {
            builder.Append(html.AsSpan(last, match.Index - last).ToString().ToUpperInvariant());
            builder.Append(html, match.Index, match.Length);
            last = match.Index + match.Length;
        }
        builder.Append(html.AsSpan(last).ToString().ToUpperInvariant());
        return builder.ToString();
    }

    [GeneratedRegex("<[^>]*>|&[A-Za-z]+;|&#[0-9A-Fa-f]+;")]
    private static partial Regex Markup();
}
