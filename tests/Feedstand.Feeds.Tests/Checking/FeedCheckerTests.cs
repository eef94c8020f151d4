using System.Text;
using System.Text.RegularExpressions;
using Feedstand.Feeds.Checking;

namespace Feedstand.Feeds.Tests.Checking;

public sealed partial class FeedCheckerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [GeneratedRegex(@"Expect:\s*(!?)([A-Za-z0-9]+)")]
    private static partial Regex Expect();

    /// <summary>Every case of the validator's suite in tests/data/feedcheck, one row each.</summary>
    public static TheoryData<string> ValidatorCases()
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(TestData.Root, "feedcheck", "cases");
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Test data missing: {root}");
        }
        foreach (var file in Directory.EnumerateFiles(root, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Path.Combine(TestData.Root, "feedcheck"), file).Replace('\\', '/'));
        }
        return data;
    }

    private static readonly Lazy<(Dictionary<string, string> Levels, Dictionary<string, string[]> Parents)> Classes = new(() =>
    {
        var levels = new Dictionary<string, string>(StringComparer.Ordinal);
        var parents = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(TestData.PathOf("feedcheck/classes.tsv")).Skip(1))
        {
            var cells = line.Split('\t');
            levels[cells[0]] = cells[1];
            parents[cells[0]] = cells.Length > 2 ? cells[2].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        }
        return (levels, parents);
    });

    private static bool IsA(string id, string cls)
    {
        var stack = new Stack<string>([id]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (stack.TryPop(out var c))
        {
            if (c == cls)
            {
                return true;
            }
            if (seen.Add(c) && Classes.Value.Parents.TryGetValue(c, out var ps))
            {
                foreach (var p in ps)
                {
                    stack.Push(p);
                }
            }
        }
        return false;
    }

    [Theory, MemberData(nameof(ValidatorCases))]
    public void The_check_agrees_with_the_validator_on_its_own_test_case(string relative)
    {
        var bytes = TestData.Bytes("feedcheck/" + relative);
        var expect = Expect().Match(Encoding.UTF8.GetString(bytes));
        Assert.True(expect.Success, "the case has no Expect: line");
        var negated = expect.Groups[1].Value == "!";
        var cls = expect.Groups[2].Value;

        var findings = FeedChecker.Check(bytes, new CheckInput { Now = Now }).Findings;

        var ids = string.Join(", ", findings.Select(f => $"{f.Id}({f.Element}/{f.Parent})"));
        if (negated && cls == "Error")
        {
            Assert.DoesNotContain(findings, f => Classes.Value.Levels.GetValueOrDefault(f.Id) == "error" || (!Classes.Value.Levels.ContainsKey(f.Id) && f.Level == FindingLevel.Error));
        }
        else if (negated)
        {
            Assert.False(findings.Exists(f => IsA(f.Id, cls)), $"must not report {cls}; found {ids}");
        }
        else
        {
            Assert.True(findings.Exists(f => IsA(f.Id, cls)), $"must report {cls}; found {ids}");
        }
    }

    public static TheoryData<string, string> Problems => new()
    {
        { """<rss version="2.0"><channel><title>T</title><link>https://a.example/</link><description>D</description><item><title>x</title><pubDate>2025-10-01</pubDate></item></channel></rss>""", "InvalidRFC2822Date" },
        { """<rss version="2.0"><channel><title>T</title><link>https://a.example/</link><description>D</description><item><title>x</title></item></channel></rss>""", "MissingGuid" },
        { """<rss version="2.0"><channel><title>T</title><link>https://a.example/</link><description>D</description><item><title>x</title><guid>https://a.example/1</guid><description>&lt;p onclick="x()"&gt;hi&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description></item></channel></rss>""", "SecurityRisk" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x:1</id><updated>2025-10-01T00:00:00Z</updated></feed>""", "MissingSelf" },
        { """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x:1</id><updated>2025-10-01 00:00</updated></feed>""", "InvalidRFC3339Date" },
        { """<rss version="2.0"><channel><title>T &amp; <b>U</b></title></channel></rss""", "SAXError" },
        { """<rss version="2.0"><channel><title>T</title><language>English</language></channel></rss>""", "InvalidLanguage" },
        { """<rss version="2.0"><channel><title>T</title><item><title>x</title><pubDate>Mon, 01 Jan 1990 00:00:00 GMT</pubDate></item></channel></rss>""", "ImplausibleDate" },
        { """<rss version="2.0"><channel><title>T</title><item><title>x</title><pubDate>Tue, 01 Jan 2030 00:00:00 GMT</pubDate></item></channel></rss>""", "FutureDate" },
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T"}""", "JsonFeedSchema" },
        { """{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","content_html":"<p>x</p>","date_published":"yesterday"}]}""", "InvalidRFC3339Date" },
    };

    [Theory, MemberData(nameof(Problems))]
    public void A_problem_is_reported_with_the_validators_class(string document, string id)
    {
        var report = FeedChecker.Check(Encoding.UTF8.GetBytes(document), new CheckInput { Now = Now });

        Assert.Contains(report.Findings, f => f.Id == id);
        Assert.All(report.Findings, f => Assert.False(string.IsNullOrEmpty(f.Message)));
    }

    /// <summary>What the hand-written rules do not name, the JSON Feed 1.1 schema does.</summary>
    [Theory]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","title":"T","authors":"Jane","items":[]}""", "authors", "feed")]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","content_text":"x","tags":"one"}]}""", "tags", "item")]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","content_text":"x","attachments":[{"url":"https://a.example/a.mp3"}]}]}""", "attachments", "item")]
    public void Json_feed_is_checked_against_its_schema(string document, string element, string parent)
    {
        var report = FeedChecker.Check(Encoding.UTF8.GetBytes(document), new CheckInput { Now = Now });

        var finding = Assert.Single(report.Findings, f => f.Id == "JsonFeedSchema");
        Assert.Equal(element, finding.Element);
        Assert.Equal(parent, finding.Parent);
    }

    [Fact]
    public void A_valid_json_feed_has_no_schema_finding()
    {
        const string document = """{"version":"https://jsonfeed.org/version/1.1","title":"T","home_page_url":"https://a.example/","feed_url":"https://a.example/feed.json","items":[{"id":"1","url":"https://a.example/1","content_html":"<p>x</p>","date_published":"2025-10-01T00:00:00Z","tags":["a"]}]}""";

        Assert.DoesNotContain(FeedChecker.Check(Encoding.UTF8.GetBytes(document), new CheckInput { Now = Now }).Findings, f => f.Id == "JsonFeedSchema");
    }

    [Fact]
    public void Bytes_that_are_not_the_declared_encoding_are_a_unicode_error_on_their_line()
    {
        var document = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\">\n<channel><title>caf").Concat(new byte[] { 0xE9 }).Concat(Encoding.ASCII.GetBytes("</title></channel></rss>")).ToArray();

        var finding = Assert.Single(FeedChecker.Check(document).Findings, f => f.Id == "UnicodeError");

        Assert.Equal(3, finding.Line);
        Assert.Equal(FindingLevel.Error, finding.Level);
    }

    [Fact]
    public void A_tidy_feed_scores_more_than_a_broken_one_and_nothing_scores_zero()
    {
        const string tidy = """
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title><link>https://a.example/</link>
            <description>D</description><atom:link rel="self" href="https://a.example/feed.xml" type="application/rss+xml"/>
            <item><title>x</title><link>https://a.example/1</link><guid>https://a.example/1</guid><pubDate>Mon, 06 Oct 2025 10:00:00 GMT</pubDate><description>Hello</description></item>
            </channel></rss>
            """;
        const string broken = """<rss version="2.0"><channel><title>T</title><item><title>x</title><pubDate>soon</pubDate><author>me</author></item></channel></rss>""";

        var tidyScore = FeedChecker.Check(Encoding.UTF8.GetBytes(tidy), new CheckInput { Now = Now }).Score;
        var brokenScore = FeedChecker.Check(Encoding.UTF8.GetBytes(broken), new CheckInput { Now = Now }).Score;
        var empty = FeedChecker.Check(Array.Empty<byte>());

        Assert.Equal(100, tidyScore);
        Assert.InRange(brokenScore, 1, tidyScore - 30);
        Assert.Equal(0, empty.Score);
        Assert.Contains(empty.Findings, f => f.Id == "NotAFeed");
    }

    public static TheoryData<HttpFacts, string> HttpCases => new()
    {
        { new HttpFacts { RequestedUrl = "https://a.example/f", FinalUrl = "https://a.example/f", Status = 200, ContentType = "application/rss+xml", CacheControl = "max-age=600", ETag = "\"1\"", TimeToFirstByteMs = 1500 }, "SlowFirstByte" },
        { new HttpFacts { RequestedUrl = "https://a.example/f", FinalUrl = "https://a.example/f", Status = 200, ContentType = "text/html", CacheControl = "max-age=600", ETag = "\"1\"" }, "UnexpectedContentType" },
        { new HttpFacts { RequestedUrl = "https://a.example/f", FinalUrl = "https://a.example/f", Status = 200, ContentType = "application/rss+xml", CacheControl = "max-age=600" }, "NoValidators" },
        { new HttpFacts { RequestedUrl = "http://a.example/f", FinalUrl = "http://a.example/f", Status = 200, ContentType = "application/rss+xml", ETag = "\"1\"" }, "NotHttps" },
    };

    [Theory, MemberData(nameof(HttpCases))]
    public void Http_facts_become_findings_of_the_http_section(HttpFacts http, string id)
    {
        const string feed = """<rss version="2.0"><channel><title>T</title><link>https://a.example/</link><description>D</description></channel></rss>""";

        var report = FeedChecker.Check(Encoding.UTF8.GetBytes(feed), new CheckInput { Http = http, Now = Now });

        var finding = Assert.Single(report.Findings, f => f.Id == id);
        Assert.Equal(CheckSection.Http, finding.Section);
    }

    [Fact]
    public void A_stored_report_reads_back_with_the_same_findings()
    {
        var report = FeedChecker.Check(Encoding.UTF8.GetBytes("""<rss version="2.0"><channel><title>T</title><item><title>x</title></item></channel></rss>"""), new CheckInput { Now = Now });
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            CheckJson.Write(writer, report, path: "x.xml");
        }

        var back = CheckJson.Read(Encoding.UTF8.GetString(buffer.ToArray()));

        Assert.Equal(report.Findings, back.Findings);
        Assert.Equal(report.Score, back.Score);
        Assert.Equal("rss", back.Format);
    }
}
