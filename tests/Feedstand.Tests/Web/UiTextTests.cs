using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Feedstand.Checking;
using Feedstand.Crawling;
using Feedstand.Data;
using Feedstand.Tests.Infrastructure;

namespace Feedstand.Tests.Web;

/// <summary>Every interface string is used, and every string the pages ask for exists in both languages.</summary>
/// <summary>One app with Chinese and failing feeds, a submission and a logged-in Chinese admin, for every page checked.</summary>
public sealed class ChinesePagesFixture : IAsyncLifetime
{
    /// <summary>A feed with findings whose details are values and fixed phrases: bad and future dates, script, a relative link, no guid, no self link, an encoding that differs from HTTP's.</summary>
    public const string CheckedDocument = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>中文博客</title><link>https://zhong.example/</link><description>笔记</description><language>zh_CN</language>
        <item><title>一</title><link>/1</link><pubDate>2025-10-01</pubDate><description>你好 &lt;script&gt;x()&lt;/script&gt;&lt;img src="/a.png"&gt;</description></item>
        <item><title>二</title><link>https://zhong.example/2</link><guid>https://zhong.example/2</guid><pubDate>Mon, 01 Jan 2091 00:00:00 GMT</pubDate><description>&lt;img data-src="https://zhong.example/b.png"&gt;</description></item>
        </channel></rss>
        """;

    public TestApp Web { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Web = await TestApp.StartWebAsync();
        await Web.WithDbAsync(async db =>
        {
            var feed = await TestFeeds.AddAsync(db, "zhong", entries: 0, tags: ["go"], language: "zh-Hans", title: "中文博客");
            feed.Description = "关于写作的笔记";
            for (var i = 0; i < 12; i++)
            {
                var date = DateTimeOffset.UtcNow.AddDays(-i);
                feed.Entries.Add(new Entry
                {
                    Key = "zh-" + i, Link = "https://zhong.example/" + i, Title = "第 " + i + " 篇", PublishedAt = date, SortDate = date,
                    FirstSeenAt = date, ContentHash = "zh" + i, ContentHtml = "<p>正文</p>", SearchText = "正文 go",
                });
            }
            feed.LastEntryAt = DateTimeOffset.UtcNow;
            var broken = await TestFeeds.AddAsync(db, "broken", entries: 0, title: "坏掉的博客");
            broken.Description = "抓取失败";
            broken.FetchState!.ConsecutiveErrors = 3;
            broken.FetchState.LastErrorKind = "Timeout";
            broken.FetchState.LastError = "timed out after 30 s";
            db.Submissions.Add(new Submission { Kind = SubmissionKind.NewFeed, Url = "https://new.example/feed", Title = "新博客", CreatedAt = DateTimeOffset.UtcNow, Tags = ["go"] });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            // A stored check with findings of every section, as the refresher leaves it, for /feeds/zhong/check.
            using var fetched = FetchResult.FromBody(feed.FeedUrl, Encoding.UTF8.GetBytes(CheckedDocument), "text/plain; charset=iso-8859-1");
            var stored = FeedCheckLog.CheckFetched(fetched, Feeds.FeedParser.Parse(fetched.Body), TestFeeds.Newest)!;
            db.FeedChecks.Add(new FeedCheck { FeedId = feed.Id, CheckedAt = DateTimeOffset.UtcNow, Score = stored.Score, Succeeded = true, Status = 200, ReportJson = stored.Json });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        await AdminTests.CreateAdminAsync(Web);
        Client = Web.NewClient();
        Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        await AdminTests.LogInAsync(Client, AdminTests.Password);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Web is not null)
        {
            await Web.DisposeAsync();
        }
    }
}

public partial class UiTextTests(ChinesePagesFixture chinese) : IClassFixture<ChinesePagesFixture>
{
    /// <summary>The app's sources (.cs and .cshtml) but the table itself, read from the repository this test was built from.</summary>
    private static List<string> Sources()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Feedstand.slnx")))
        {
            folder = folder.Parent;
        }
        Assert.NotNull(folder);
        var app = Path.Combine(folder.FullName, "src", "Feedstand");
        return Directory.EnumerateFiles(app, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "UiText.cs")
            .Select(File.ReadAllText)
            .ToList();
    }

    [Fact]
    public void Every_key_a_page_asks_for_exists_in_both_languages()
    {
        var (english, chinese) = Feedstand.Web.UiText.Keys;
        var englishKeys = english.ToHashSet(StringComparer.Ordinal);
        var chineseKeys = chinese.ToHashSet(StringComparer.Ordinal);
        var asked = Sources().SelectMany(s => AskedKey().Matches(s).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        Assert.True(asked.Count > 50, $"only {asked.Count} keys found in the sources");
        Assert.Empty(asked.Where(k => !englishKeys.Contains(k)).Order());
        Assert.Empty(asked.Where(k => !chineseKeys.Contains(k)).Order());
    }

    [Fact]
    public void Every_key_is_used()
    {
        var sources = Sources();
        var literals = sources.SelectMany(s => QuotedKey().Matches(s).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        // Keys made at run time: T("status." + row.Status), T("check.level." + name).
        var prefixes = sources.SelectMany(s => DynamicPrefix().Matches(s).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        var unused = Feedstand.Web.UiText.Keys.English
            .Where(k => !literals.Contains(k) && !prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)))
            .Order().ToList();
        Assert.Empty(unused);
    }

    /// <summary>Words that are the same in both languages: names and formats.</summary>
    private static readonly HashSet<string> SameInBothLanguages = new(StringComparer.Ordinal)
    {
        "Feedstand", "RSS", "Atom", "JSON", "Feed", "OPML", "API", "UTC", "HTTP", "CSS", "URL",
        // An HTML element name in the CSS selector the full-text form offers as an example.
        "article",
        // Test data shown back: the admin's name, a search query.
        "ada", "nothing",
        // Readers named in the subscription line's explanation, and "Cookie", which Chinese writes as is.
        "Feedly", "Inoreader", "Cookie",
        // The feed check's help: blog engines, standards and acronyms Chinese writes as is.
        "WordPress", "Hugo", "Jekyll", "Ghost", "Substack", "Blogger", "Apple", "Podcasts", "Word", "Media", "WebSub",
        "XML", "HTML", "HTTPS", "RFC", "CDN", "URI", "MIME", "GMT", "ASCII",
    };

    /// <summary>The English words of a text a Chinese reader should not see (what the page check flags).</summary>
    internal static List<string> EnglishWordsIn(string text) => [.. EnglishWords(text)];

    public static TheoryData<string> ChinesePages => new()
    {
        "/", "/tags/go", "/?sort=name&lang=zh", "/feeds/zhong", "/feeds/broken", "/feeds/zhong?page=2", "/search", "/search?q=go",
        "/search?q=nothing", "/submit", "/preview", "/feeds/zhong/modify", "/no-such-page",
        "/admin/login", "/admin", "/admin/health", "/admin/health?filter=failing", "/admin/feeds/zhong",
        "/admin/feeds/zhong/full-text", "/admin/translations", "/feeds/zhong/check", "/check", "/week", "/week?lang=zh", "/tags/go?lang=zh", "/status",
    };

    /// <summary>
    /// A Chinese reader sees no English: every text node and every label-like attribute of the page
    /// (outside feed content, things marked <c>lang="en"</c> and reader brand names) is checked for
    /// English words of three letters or more.
    /// </summary>
    [Theory, MemberData(nameof(ChinesePages))]
    public async Task Chinese_pages_carry_no_english(string path)
    {
        using var response = await chinese.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode is 200 or 404, $"{path}: {(int)response.StatusCode}");
        var page = await TestApp.ParseAsync(response);
        AssertNoEnglish(path, page);
    }

    [Fact]
    public async Task The_chinese_check_pages_show_their_findings_in_chinese()
    {
        await using var server = await Feedstand.Tests.Infrastructure.FeedServer.StartAsync();
        server.MapDocument("/feed.xml", ChinesePagesFixture.CheckedDocument);
        foreach (var path in new[] { "/feeds/zhong/check", "/check?url=" + Uri.EscapeDataString(server.Url("/feed.xml")) })
        {
            using var response = await chinese.Client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var page = await TestApp.ParseAsync(response);
            var findings = page.QuerySelectorAll(".finding");
            var ids = findings.Select(f => f.GetAttribute("data-id")).ToHashSet(StringComparer.Ordinal);
            Assert.True(findings.Length >= 6, $"{path}: only {findings.Length} findings ({string.Join(", ", ids)})");
            Assert.Contains("InvalidRFC2822Date", ids);
            Assert.Contains("FutureDate", ids);
            Assert.Contains("SecurityRisk", ids);
            if (path.StartsWith("/feeds/", StringComparison.Ordinal))
            {
                // The stored check was of a document served as iso-8859-1 that declares utf-8.
                Assert.Contains("EncodingMismatch", ids);
                Assert.Equal("：HTTP 声明 iso-8859-1，文档声明 utf-8", page.QuerySelector("[data-id=EncodingMismatch] .finding-detail")!.TextContent);
            }
            Assert.Equal("日期不是 RFC 822 格式", page.QuerySelector("[data-id=InvalidRFC2822Date] .finding-message")!.TextContent);
            Assert.Equal("：2025-10-01", page.QuerySelector("[data-id=InvalidRFC2822Date] .finding-detail")!.TextContent);
            Assert.All(findings, f => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", f.QuerySelector(".help")!.TextContent));
            AssertNoEnglish(path, page);
        }
    }

    private static void AssertNoEnglish(string path, AngleSharp.Html.Dom.IHtmlDocument page)
    {
        Assert.Equal("zh-Hans", page.DocumentElement.GetAttribute("lang"));
        var english = new List<string>();
        foreach (var node in page.Body!.Descendants())
        {
            if (IsExempt(node))
            {
                continue;
            }
            if (node is IText text)
            {
                english.AddRange(EnglishWords(text.Data));
            }
            else if (node is IElement element)
            {
                foreach (var name in new[] { "aria-label", "placeholder", "title", "alt" })
                {
                    english.AddRange(EnglishWords(element.GetAttribute(name)));
                }
            }
        }
        Assert.True(english.Count == 0, $"{path} shows English to a Chinese reader: {string.Join(", ", english.Distinct())}");
    }

    private static bool IsExempt(INode node)
    {
        for (var element = node as IElement ?? node.ParentElement; element is not null; element = element.ParentElement)
        {
            if (element.LocalName is "script" or "style" or "code" || element.ClassList.Contains("entry-content") || element.ClassList.Contains("readers")
                || (element.GetAttribute("lang") is { } lang && !lang.StartsWith("zh", StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    private static IEnumerable<string> EnglishWords(string? text) =>
        string.IsNullOrEmpty(text)
            ? []
            : EnglishWord().Matches(text).Select(m => m.Value).Where(w => !SameInBothLanguages.Contains(w));

    /// <summary>A run of three or more Latin letters standing alone (not part of a path, address, or setting name).</summary>
    [GeneratedRegex("""(?<![\w/.:=@-])[A-Za-z]{3,}(?![\w/.:=@-])""")]
    private static partial Regex EnglishWord();

    [GeneratedRegex("""\bT\("([A-Za-z0-9]+\.[A-Za-z0-9.]+)"[,)]""")]
    private static partial Regex AskedKey();

    [GeneratedRegex("\"([A-Za-z0-9]+\\.[A-Za-z0-9.]+)\"")]
    private static partial Regex QuotedKey();

    [GeneratedRegex("""T\("([A-Za-z0-9]+\.(?:[A-Za-z0-9]+\.)*)"\s*\+""")]
    private static partial Regex DynamicPrefix();
}
