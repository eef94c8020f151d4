using System.CommandLine;
using System.Text.Json;
using Feedstand.Crawling;
using Feedstand.Feeds.Extraction;
using Feedstand.Feeds.Model;

namespace Feedstand.Commands;

/// <summary>
/// <c>feedstand extract [--url URL] FILE_OR_URL</c>: the article in a page as one JSON object
/// (<c>url</c>, <c>title</c>, <c>byline</c>, <c>published</c>, <c>content_html</c>, <c>text</c>).
/// A URL is fetched through the fetcher (SSRF guard, size and time limits).
/// </summary>
internal static class ExtractCommand
{
    public static Command Create()
    {
        var urlOption = new Option<string?>("--url") { Description = "The page's address, for its relative links (when reading a file)." };
        var selectorOption = new Option<string?>("--selector") { Description = "A CSS selector for the article body, tried before the heuristics." };
        var input = new Argument<string>("FILE_OR_URL") { Description = "An HTML file (- for standard input), or an http(s) URL to fetch." };
        var command = new Command("extract", "Extract the article from a web page and print it as JSON.") { urlOption, selectorOption, input };
        command.SetAction((result, ct) => RunAsync(result.GetValue(input)!, result.GetValue(urlOption), result.GetValue(selectorOption), ct));
        return command;
    }

    private static async Task<int> RunAsync(string input, string? url, string? selector, CancellationToken ct)
    {
        var options = new ExtractionOptions { CssSelector = selector };
        ExtractedArticle article;
        if (IsHttpUrl(input))
        {
            using var host = CommandSetup.TryBuildHost("extract");
            if (host is null)
            {
                return 2;
            }
            var fetcher = host.Services.GetRequiredService<FeedFetcher>();
            using var page = await fetcher.FetchPageAsync(input, ct);
            if (page.Error is { } error)
            {
                await Console.Error.WriteLineAsync($"extract: {input}: {error.Message}");
                return 1;
            }
            if (!FullText.PageChecks.IsHtml(page.ContentType, page.Body.Span))
            {
                await Console.Error.WriteLineAsync($"extract: {input}: not an HTML page ({page.ContentType ?? "no Content-Type"})");
                return 1;
            }
            article = ArticleExtractor.Extract(page.Body.Span, new Uri(page.FinalUrl), options with { ContentType = page.ContentType });
        }
        else
        {
            Uri pageUrl;
            if (url is null)
            {
                pageUrl = new Uri(Path.GetFullPath(input == "-" ? "page.html" : input));
            }
            else if (!Uri.TryCreate(url, UriKind.Absolute, out pageUrl!))
            {
                await Console.Error.WriteLineAsync($"extract: --url {url}: not an absolute URL");
                return 1;
            }
            byte[] bytes;
            try
            {
                bytes = input == "-" ? await ReadStandardInputAsync(ct) : await File.ReadAllBytesAsync(input, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"extract: {input}: {(ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message)}");
                return 1;
            }
            article = ArticleExtractor.Extract(bytes, pageUrl, options);
        }

        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = FeedJson.Encoder }))
        {
            Write(writer, article);
        }
        stdout.WriteByte((byte)'\n');
        return 0;
    }

    internal static void Write(Utf8JsonWriter writer, ExtractedArticle article)
    {
        writer.WriteStartObject();
        writer.WriteString("url", article.Url);
        writer.WriteString("title", article.Title);
        writer.WriteString("byline", article.Byline);
        if (article.Published is { } published)
        {
            writer.WriteString("published", FeedJson.FormatDate(published));
        }
        else
        {
            writer.WriteNull("published");
        }
        writer.WriteString("content_html", article.ContentHtml);
        writer.WriteString("text", article.Text);
        writer.WriteEndObject();
    }

    private static bool IsHttpUrl(string input) =>
        Uri.TryCreate(input, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static async Task<byte[]> ReadStandardInputAsync(CancellationToken ct)
    {
        await using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        await stdin.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
