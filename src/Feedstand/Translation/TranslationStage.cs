using Feedstand.Data;
using Feedstand.Feeds.Sanitizing;
using Feedstand.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Feedstand.Translation;

/// <summary>Counts of one translation run, for the command's progress and the logs.</summary>
public sealed class TranslationRun
{
    /// <summary>Entries that needed a translation (new, edited, or never finished).</summary>
    public int Entries { get; internal set; }
    public int Translated { get; internal set; }

    /// <summary>Entries already in the target language: shown as they are.</summary>
    public int SameLanguage { get; internal set; }

    /// <summary>Entries whose translation differed in structure from the source after sanitizing: not stored.</summary>
    public int StructureDiffers { get; internal set; }
    public int BlocksFromCache { get; internal set; }
    public int BlocksSent { get; internal set; }
    public long CharactersSent { get; internal set; }
    public int Requests { get; internal set; }

    /// <summary>Replies whose structure broke the block's: retried once, then the block stays untranslated.</summary>
    public int Rejected { get; internal set; }

    /// <summary>Why the run stopped early: the budget is spent, or the engine is backing off. Null when it finished.</summary>
    public string? StoppedBecause { get; internal set; }
    public int Done => Translated + SameLanguage + StructureDiffers;
}

/// <summary>
/// The translation enrichment: after feeds are stored, every entry of a feed kept translated
/// (per-feed languages and the directory-wide default) that has no finished translation of its
/// current content is translated block by block. Blocks come from the shared cache when any feed
/// had them before; only missing blocks are sent, within the daily budget and the engine's
/// backoff. An entry's translation is written once every block is done, never before.
/// </summary>
public sealed class TranslationStage
{
    /// <summary>Newest entries of a feed kept translated: what its translated page and feeds show.</summary>
    public const int EntriesPerFeed = 50;

    private readonly IServiceScopeFactory _scopes;
    private readonly FeedstandOptions _options;
    private readonly TimeProvider _clock;
    private readonly LanguageGuess _guess;
    private readonly ILogger<TranslationStage> _logger;

    public TranslationStage(
        IServiceScopeFactory scopes,
        IOptions<FeedstandOptions> options,
        TimeProvider clock,
        IHttpClientFactory httpClients,
        LanguageGuess guess,
        ILogger<TranslationStage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClients);
        _scopes = scopes;
        _options = options.Value;
        _clock = clock;
        _guess = guess;
        _logger = logger;
        Engine = CreateEngine(_options, httpClients.CreateClient(HttpClientName));
    }

    public const string HttpClientName = "translation";

    /// <summary>The configured engine; null when translation is off (<c>none</c>).</summary>
    public TranslationEngine? Engine { get; }

    public static TranslationEngine? CreateEngine(FeedstandOptions options, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(options);
        var timeout = TimeSpan.FromSeconds(options.TranslationTimeoutSeconds);
        var url = options.TranslationUrl;
        switch (options.TranslationEngine)
        {
            case "openai":
                var openAiUrl = new Uri(url.Length > 0 ? url : "https://api.openai.com/v1");
                if (openAiUrl.AbsolutePath == "/")
                {
                    openAiUrl = new Uri(openAiUrl, "/v1");
                }
                return new OpenAiEngine(http, timeout, openAiUrl, options.TranslationKey, options.TranslationModel);
            case "deepl":
                return new DeepLEngine(http, timeout, Folder(url.Length > 0 ? url : "https://api-free.deepl.com"), options.TranslationKey);
            case "libretranslate":
                return new LibreTranslateEngine(http, timeout, Folder(url.Length > 0 ? url : "http://localhost:5000"), options.TranslationKey);
            default:
                return null;
        }
    }

    private static Uri Folder(string url) => new(url.EndsWith('/') ? url : url + "/");

    /// <summary>
    /// The background pass, run after each refresh cycle: every feed and language kept translated.
    /// Stops at the first target that hits the budget or the engine's backoff; a target that fails
    /// otherwise is logged and skipped. Never throws but for cancellation.
    /// </summary>
    public async Task RunAfterRefreshAsync(CancellationToken ct)
    {
        if (Engine is null)
        {
            return;
        }
        try
        {
            List<(long FeedId, string Language)> targets;
            await using (var scope = _scopes.CreateAsyncScope())
            {
                targets = await TargetsAsync(scope.ServiceProvider.GetRequiredService<FeedstandDb>(), ct).ConfigureAwait(false);
            }
            foreach (var (feedId, language) in targets)
            {
                TranslationRun run;
                try
                {
                    run = await TranslateFeedAsync(feedId, language, null, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Log.FeedFailed(_logger, ex, feedId, language);
                    continue;
                }
                if (run.Translated + run.SameLanguage > 0)
                {
                    // The translated feed has new posts now: its WebSub subscribers get them.
                    await using var scope = _scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<WebSub.WebSubHub>().QueueDeliveriesAsync(feedId, language, ct).ConfigureAwait(false);
                }
                if (run.StoppedBecause is { } reason)
                {
                    Log.Stopped(_logger, reason);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.PassFailed(_logger, ex);
        }
    }

    /// <summary>Every (feed, language) kept translated: the feed's own choices, and the default for feeds in another language.</summary>
    public static async Task<List<(long FeedId, string Language)>> TargetsAsync(FeedstandDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.TranslationTargets.AsNoTracking()
            .Where(t => t.FeedId == null || t.Feed!.Status == FeedStatus.Active)
            .Select(t => new { t.FeedId, t.Language })
            .ToListAsync(ct).ConfigureAwait(false);
        var targets = new List<(long, string)>();
        var seen = new HashSet<(long, string)>();
        foreach (var row in rows.Where(r => r.FeedId is not null))
        {
            if (seen.Add((row.FeedId!.Value, row.Language)))
            {
                targets.Add((row.FeedId.Value, row.Language));
            }
        }
        var defaults = rows.Where(r => r.FeedId is null).Select(r => r.Language).Distinct().ToList();
        if (defaults.Count > 0)
        {
            var feeds = await db.Feeds.AsNoTracking().Where(f => f.Status == FeedStatus.Active)
                .OrderBy(f => f.Id).Select(f => new { f.Id, f.Language }).ToListAsync(ct).ConfigureAwait(false);
            foreach (var language in defaults)
            {
                foreach (var feed in feeds)
                {
                    var declared = feed.Language is { Length: > 0 } l ? TranslationEngine.BaseLanguage(l) : null;
                    if (declared != TranslationEngine.BaseLanguage(language) && seen.Add((feed.Id, language)))
                    {
                        targets.Add((feed.Id, language));
                    }
                }
            }
        }
        return targets;
    }

    /// <summary>Translates the newest <see cref="EntriesPerFeed"/> entries of one feed that lack a current translation.</summary>
    public async Task<TranslationRun> TranslateFeedAsync(long feedId, string language, Action<TranslationRun>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(language);
        var run = new TranslationRun();
        if (Engine is null)
        {
            run.StoppedBecause = "no translation engine is configured (FEEDSTAND_TRANSLATION_ENGINE=none)";
            return run;
        }
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        var writeLock = scope.ServiceProvider.GetRequiredService<WriteLock>();
        var entries = await db.Entries.AsNoTracking().Where(e => e.FeedId == feedId)
            .OrderByDescending(e => e.SortDate).ThenByDescending(e => e.Id)
            .Take(EntriesPerFeed)
            .Select(e => new SourceEntry(e.Id, e.Title, e.SummaryHtml, e.ContentHtml, e.ContentHash))
            .ToListAsync(ct).ConfigureAwait(false);
        var ids = entries.Select(e => e.Id).ToList();
        var current = await db.EntryTranslations.AsNoTracking()
            .Where(t => ids.Contains(t.EntryId) && t.Language == language)
            .ToDictionaryAsync(t => t.EntryId, t => t.SourceHash, ct).ConfigureAwait(false);
        var todo = entries.Where(e => !current.TryGetValue(e.Id, out var hash) || hash != e.ContentHash).ToList();
        run.Entries = todo.Count;
        progress?.Invoke(run);
        var declared = await db.Feeds.Where(f => f.Id == feedId).Select(f => f.Language).SingleOrDefaultAsync(ct).ConfigureAwait(false);

        foreach (var entry in todo)
        {
            var finished = await TranslateEntryAsync(db, writeLock, feedId, declared, entry, language, run, ct).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            progress?.Invoke(run);
            if (!finished)
            {
                break;
            }
        }
        Log.FeedDone(_logger, feedId, language, run.Translated, run.SameLanguage, run.BlocksSent, run.CharactersSent, run.BlocksFromCache);
        return run;
    }

    /// <summary>One entry; false when the run must stop (budget, engine backing off).</summary>
    private async Task<bool> TranslateEntryAsync(
        FeedstandDb db, WriteLock writeLock, long feedId, string? declared, SourceEntry entry, string language, TranslationRun run, CancellationToken ct)
    {
        var target = TranslationEngine.BaseLanguage(language);
        var text = entry.Title + "\n" + PlainText.FromHtml(entry.ContentHtml ?? entry.SummaryHtml);
        var detected = _guess.Detect(text);
        var now = _clock.GetUtcNow();
        if (detected == target)
        {
            await SaveAsync(db, writeLock, new EntryTranslation
            {
                EntryId = entry.Id,
                Language = language,
                SourceHash = entry.ContentHash,
                SourceLanguage = detected,
                IsSameLanguage = true,
                TranslatedAt = now,
            }, ct).ConfigureAwait(false);
            run.SameLanguage++;
            return true;
        }
        var source = detected ?? (declared is { Length: > 0 } d ? TranslationEngine.BaseLanguage(d) : null);
        if (source == target)
        {
            source = null; // the declared language is wrong and detection unsure: let the engine tell
        }

        var title = entry.Title is { Length: > 0 } t ? BlockDocument.FromText(t) : null;
        var summary = entry.SummaryHtml is { Length: > 0 } s ? BlockDocument.Parse(s) : null;
        var content = entry.ContentHtml is { Length: > 0 } c ? BlockDocument.Parse(c) : null;
        var blocks = new List<(BlockDocument Document, SourceBlock Block, string Key)>();
        foreach (var document in new[] { title, summary, content })
        {
            if (document is null)
            {
                continue;
            }
            foreach (var block in document.Blocks)
            {
                blocks.Add((document, block, block.KeyFor(language)));
            }
        }
        var keys = blocks.Select(b => b.Key).Distinct().ToList();
        var cached = await db.TranslatedBlocks.AsNoTracking().Where(b => keys.Contains(b.Key))
            .ToDictionaryAsync(b => b.Key, b => b.Html, ct).ConfigureAwait(false);
        var missing = blocks.Where(b => !cached.ContainsKey(b.Key)).DistinctBy(b => b.Key).ToList();
        run.BlocksFromCache += blocks.Count(b => cached.ContainsKey(b.Key));

        if (missing.Count > 0 && !await SendAsync(db, writeLock, feedId, source, language, missing, cached, run, ct).ConfigureAwait(false))
        {
            return false;
        }

        foreach (var (document, block, key) in blocks)
        {
            if (cached[key] is { } reply)
            {
                document.Apply(block, reply);
            }
        }
        var translation = new EntryTranslation
        {
            EntryId = entry.Id,
            Language = language,
            SourceHash = entry.ContentHash,
            SourceLanguage = detected,
            Title = title?.ToText(),
            SummaryHtml = summary is null ? null : ContentSanitizer.Sanitize(summary.ToHtml(), null),
            ContentHtml = content is null ? null : ContentSanitizer.Sanitize(content.ToHtml(), null),
            TranslatedAt = _clock.GetUtcNow(),
        };
        // The source through the same sanitizer, so that only the translation can make them differ.
        if (!SameStructure(entry.ContentHtml, translation.ContentHtml) || !SameStructure(entry.SummaryHtml, translation.SummaryHtml))
        {
            run.StructureDiffers++;
            Log.StructureDiffers(_logger, entry.Id, language);
            return true;
        }
        await SaveAsync(db, writeLock, translation, ct).ConfigureAwait(false);
        run.Translated++;
        return true;
    }

    /// <summary>
    /// Sends the missing blocks within the budget and the backoff; accepted replies (and blocks
    /// rejected twice, as "keep the source") go into the cache and <paramref name="cached"/>.
    /// False when the run must stop.
    /// </summary>
    private async Task<bool> SendAsync(
        FeedstandDb db, WriteLock writeLock, long feedId, string? source, string language,
        List<(BlockDocument Document, SourceBlock Block, string Key)> missing, Dictionary<string, string?> cached, TranslationRun run, CancellationToken ct)
    {
        var engine = Engine!;
        var now = _clock.GetUtcNow();
        var state = await db.TranslationEngineStates.SingleOrDefaultAsync(s => s.Engine == engine.Name, ct).ConfigureAwait(false);
        if (state?.BlockedUntil is { } until && until > now)
        {
            run.StoppedBecause = $"the engine is backing off until {until:yyyy-MM-dd HH:mm:ss} UTC after: {state.LastError}";
            return false;
        }
        var characters = missing.Sum(m => (long)m.Block.Sent.Length);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var used = await db.TranslationUsage.Where(u => u.Day == today).SumAsync(u => u.Characters, ct).ConfigureAwait(false);
        if (used + characters > _options.TranslationDailyCharacters)
        {
            run.StoppedBecause = $"the daily budget of {_options.TranslationDailyCharacters} characters is spent ({used} used today); translation resumes tomorrow (UTC)";
            return false;
        }

        long sent = 0;
        var requests = 0;
        EngineFailure? failure = null;
        var rows = new List<TranslatedBlock>();
        var retry = new List<(BlockDocument Document, SourceBlock Block, string Key)>();
        foreach (var batch in missing.Chunk(engine.BatchSize))
        {
            var reply = await engine.TranslateAsync(batch.Select(b => b.Block.Sent).ToList(), source, language, ct).ConfigureAwait(false);
            requests++;
            sent += batch.Sum(b => (long)b.Block.Sent.Length);
            if (reply.Failure is { } f)
            {
                failure = f;
                break;
            }
            for (var i = 0; i < batch.Length; i++)
            {
                var (document, block, key) = batch[i];
                if (document.Accepts(block, reply.Texts![i]))
                {
                    rows.Add(Row(key, language, reply.Texts[i], block, now));
                }
                else
                {
                    retry.Add(batch[i]);
                }
            }
        }
        var overBudget = false;
        foreach (var (document, block, key) in failure is null ? retry : [])
        {
            run.Rejected++;
            if (used + sent + block.Sent.Length > _options.TranslationDailyCharacters)
            {
                overBudget = true; // the block stays missing: the entry waits for tomorrow's budget
                run.StoppedBecause = $"the daily budget of {_options.TranslationDailyCharacters} characters is spent; translation resumes tomorrow (UTC)";
                break;
            }
            var reply = await engine.TranslateAsync([block.Sent], source, language, ct).ConfigureAwait(false);
            requests++;
            sent += block.Sent.Length;
            if (reply.Failure is { } f)
            {
                failure = f;
                break;
            }
            var accepted = document.Accepts(block, reply.Texts![0]);
            if (!accepted)
            {
                run.Rejected++;
                Log.BlockRejected(_logger, feedId, language);
            }
            rows.Add(Row(key, language, accepted ? reply.Texts[0] : null, block, now));
        }

        run.Requests += requests;
        run.CharactersSent += sent;
        run.BlocksSent += rows.Count;
        state ??= db.TranslationEngineStates.Add(new TranslationEngineState { Engine = engine.Name }).Entity;
        if (failure is null)
        {
            state.ConsecutiveFailures = 0;
            state.BlockedUntil = null;
            state.LastSuccessAt = now;
        }
        else
        {
            state.ConsecutiveFailures++;
            state.LastError = $"{failure.Kind}: {failure.Message}";
            state.LastErrorAt = now;
            state.BlockedUntil = now + Backoff(failure, state.ConsecutiveFailures);
            run.StoppedBecause = $"the engine failed ({failure.Message}); backing off until {state.BlockedUntil:yyyy-MM-dd HH:mm:ss} UTC";
            Log.EngineFailed(_logger, engine.Name, failure.Kind.ToString(), failure.Message, state.BlockedUntil.Value);
        }
        var usage = await db.TranslationUsage.SingleOrDefaultAsync(u => u.Day == today && u.FeedId == feedId, ct).ConfigureAwait(false)
            ?? db.TranslationUsage.Add(new TranslationUsage { Day = today, FeedId = feedId }).Entity;
        usage.Characters += sent;
        usage.Requests += requests;
        // Another feed (or node) may have cached the same block meanwhile: keep the first.
        var rowKeys = rows.Select(r => r.Key).ToList();
        var existing = await db.TranslatedBlocks.AsNoTracking().Where(b => rowKeys.Contains(b.Key))
            .ToDictionaryAsync(b => b.Key, b => b.Html, ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            if (existing.TryGetValue(row.Key, out var html))
            {
                cached[row.Key] = html;
            }
            else
            {
                db.TranslatedBlocks.Add(row);
                cached[row.Key] = row.Html;
            }
        }
        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        return failure is null && !overBudget;
    }

    private static bool SameStructure(string? source, string? translation) =>
        BlockDocument.StructureOf(source is null ? null : ContentSanitizer.Sanitize(source, null)) == BlockDocument.StructureOf(translation);

    private static TranslatedBlock Row(string key, string language, string? html, SourceBlock block, DateTimeOffset now) =>
        new() { Key = key, Language = language, Html = html, SourceCharacters = block.Sent.Length, CreatedAt = now };

    /// <summary>Retry-After when the engine gave one (at most a day); else 30 s doubling per failure, at most an hour.</summary>
    public static TimeSpan Backoff(EngineFailure failure, int consecutiveFailures)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.RetryAfter is { } retryAfter)
        {
            return retryAfter < TimeSpan.FromDays(1) ? (retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1)) : TimeSpan.FromDays(1);
        }
        var seconds = 30 * Math.Pow(2, Math.Min(consecutiveFailures - 1, 10));
        return TimeSpan.FromSeconds(Math.Min(seconds, 3600));
    }

    private static async Task SaveAsync(FeedstandDb db, WriteLock writeLock, EntryTranslation translation, CancellationToken ct)
    {
        var existing = await db.EntryTranslations
            .SingleOrDefaultAsync(t => t.EntryId == translation.EntryId && t.Language == translation.Language, ct).ConfigureAwait(false);
        if (existing is null)
        {
            db.EntryTranslations.Add(translation);
        }
        else
        {
            db.Entry(existing).CurrentValues.SetValues(translation);
        }
        using (await writeLock.EnterAsync(db, ct).ConfigureAwait(false))
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
    }

    private sealed record SourceEntry(long Id, string? Title, string? SummaryHtml, string? ContentHtml, string ContentHash);
}
