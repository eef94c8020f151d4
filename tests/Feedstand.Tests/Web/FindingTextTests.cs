using System.Globalization;
using System.Text.RegularExpressions;
using Feedstand.Checking;
using Feedstand.Feeds.Checking;

namespace Feedstand.Tests.Web;

/// <summary>Issue 15 "both languages": every finding the check can make reads in Chinese on a Chinese page.</summary>
public sealed partial class FindingTextTests
{
    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Feedstand.slnx")))
        {
            folder = folder.Parent;
        }
        Assert.NotNull(folder);
        return folder.FullName;
    }

    /// <summary>
    /// The finding classes the library's sources name: those passed to Make/Report/Add, and every string
    /// literal that is one of the W3C Feed Validator's classes (rule tables return them as values).
    /// </summary>
    private static SortedSet<string> EmittedIds()
    {
        var root = RepositoryRoot();
        var validatorClasses = File.ReadAllLines(Path.Combine(root, "tests", "data", "feedcheck", "classes.tsv")).Skip(1)
            .Select(line => line.Split('\t')[0]).ToHashSet(StringComparer.Ordinal);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src", "Feedstand.Feeds", "Checking"), "*.cs"))
        {
            var source = File.ReadAllText(file);
            ids.UnionWith(Emitted().Matches(source).Select(m => m.Groups[1].Value));
            ids.UnionWith(Literal().Matches(source).Select(m => m.Groups[1].Value).Where(validatorClasses.Contains));
        }
        // Parents of the validator's tree that the checker never reports itself.
        ids.ExceptWith(["Error", "Warning", "Info"]);
        return ids;
    }

    [Fact]
    public void Every_class_the_check_can_report_has_an_english_message_and_help()
    {
        var emitted = EmittedIds();
        var catalog = FindingCatalog.Ids.ToHashSet(StringComparer.Ordinal);

        Assert.True(emitted.Count > 60, $"only {emitted.Count} classes found in the check's sources");
        var missing = emitted.Where(id => !catalog.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "no message or help for " + string.Join(", ", missing));
        Assert.All(catalog, id => Assert.False(string.IsNullOrWhiteSpace(FindingCatalog.Get(id).Help), $"{id} has no help"));
    }

    [Fact]
    public void Every_finding_class_has_a_chinese_message_and_help()
    {
        var chinese = FindingText.ChineseIds.ToHashSet(StringComparer.Ordinal);
        var missing = FindingCatalog.Ids.Where(id => !chinese.Contains(id)).Order().ToList();
        var extra = chinese.Where(id => !FindingCatalog.Ids.Contains(id)).Order().ToList();
        Assert.True(missing.Count == 0, "no Chinese for " + string.Join(", ", missing));
        Assert.True(extra.Count == 0, "Chinese for classes the check does not know: " + string.Join(", ", extra));

        using var _ = new UiCulture("zh-Hans");
        foreach (var id in FindingCatalog.Ids)
        {
            var words = FindingText.For(FindingCatalog.Make(id, null, null, 0));
            var message = FindingWords.Plain(words.Message.Where(p => !p.IsCode));
            var help = FindingWords.Plain(words.Help.Where(p => !p.IsCode));
            Assert.True(Han().IsMatch(message), $"{id}: message \"{message}\" is not Chinese");
            Assert.True(Han().IsMatch(help), $"{id}: help \"{help}\" is not Chinese");
            Assert.Empty(UiTextTests.EnglishWordsIn(message + " " + help));
        }
    }

    /// <summary>The library's fixed phrases in a detail, as it writes them (copied from its sources).</summary>
    public static TheoryData<string, string, string> Details => new()
    {
        { "NotAFeed", "the document is empty", "文档是空的" },
        { "SelfDoesNotMatchLocation", "self is https://a.example/feed, fetched from https://b.example/feed", "实际抓取自" },
        { "UnicodeError", "a UTF-8 byte order mark, but the declaration says iso-8859-1", "字节顺序标记" },
        { "UnicodeError", "declared us-ascii, but byte 0xE9 is not ASCII", "但字节" },
        { "UnicodeError", "the bytes are not valid UTF-8 (byte 0xC3)", "字节不是有效的" },
        { "EncodingMismatch", "HTTP says utf-8, the document says iso-8859-1", "文档声明" },
        { "NoRecentPosts", "last post 2025-01-02", "最近一篇" },
        { "UnreliableFetches", "40 % of fetches succeeded in 30 days", "抓取成功率" },
        { "NotCompressed", "20480 bytes", "字节" },
        { "LazyImages", "3 of 10", "张中有" },
        { "SAXError", "not valid JSON: '}' is invalid after a value", "不是有效的" },
        { "UndefinedElement", "this is not a feed's root element", "根元素" },
        { "NotAFeed", "the top level is not an object", "顶层" },
        { "JsonFeedSchema", "version must be https://jsonfeed.org/version/1.1", "必须是" },
        { "JsonFeedSchema", "items must be an array", "数组" },
        { "JsonFeedSchema", "each item must be an object", "对象" },
        { "JsonFeedSchema", "every item needs an id (a string)", "字符串" },
        { "JsonFeedSchema", "an item needs content_html or content_text", "需要" },
        { "JsonFeedSchema", "title is required", "缺少必需的" },
        { "JsonFeedSchema", "url must be a string", "必须是字符串" },
        { "UnexpectedContentType", "(none)", "（无）" },
        { "InvalidRFC2822Date", "2025-10-01", "" },
    };

    [Theory, MemberData(nameof(Details))]
    public void A_details_words_are_chinese_and_its_values_are_code(string id, string detail, string expected)
    {
        using var _ = new UiCulture("zh-Hans");
        var words = FindingText.For(FindingCatalog.Make(id, null, null, 0, detail));

        var text = FindingWords.Plain(words.Detail.Where(p => !p.IsCode));
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Empty(UiTextTests.EnglishWordsIn(text));
        Assert.NotEmpty(words.Detail);
        Assert.All(words.Detail.Where(p => p.IsCode), p => Assert.Contains(p.Text, detail, StringComparison.Ordinal));
    }

    [Fact]
    public void English_pages_keep_the_librarys_words()
    {
        using var _ = new UiCulture("en");
        var finding = FindingCatalog.Make("NoRecentPosts", null, null, 0, "last post 2025-01-02");

        var words = FindingText.For(finding);

        Assert.Equal("No post in six months: last post 2025-01-02", FindingWords.Plain(words.Message));
        Assert.Empty(words.Detail);
        Assert.Equal(finding.Help, FindingWords.Plain(words.Help));
    }

    /// <summary>Sets the UI culture for one test and puts the old one back.</summary>
    private sealed class UiCulture : IDisposable
    {
        private readonly CultureInfo _old = CultureInfo.CurrentUICulture;

        public UiCulture(string name) => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);

        public void Dispose() => CultureInfo.CurrentUICulture = _old;
    }

    [GeneratedRegex("""(?:Make|Report|Add)\("([A-Z][A-Za-z0-9]+)"[,)]""")]
    private static partial Regex Emitted();

    [GeneratedRegex("\"([A-Z][A-Za-z0-9]+)\"")]
    private static partial Regex Literal();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();
}
