using System.Text;

namespace Feedstand.Feeds.Tests.Parsing;

public class EncodingTests
{
    static EncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Rss(string title, string? declared) =>
        (declared is null ? "<?xml version=\"1.0\"?>" : $"<?xml version=\"1.0\" encoding=\"{declared}\"?>") + $"""

        <rss version="2.0"><channel><title>{title}</title><link>http://example.com/</link>
        <item><title>{title}</title><description>Body of {title}</description></item></channel></rss>
        """;

    private static byte[] Encode(string text, Encoding encoding, bool bom) =>
        bom ? [.. encoding.GetPreamble(), .. encoding.GetBytes(text)] : encoding.GetBytes(text);

    /// <summary>Bytes encoding, label in the XML declaration, a title in the script of that encoding, the WHATWG label reported.</summary>
    public static TheoryData<string, string, string, string> Legacy => new()
    {
        { "koi8-r", "KOI8-R", "Новости дня", "koi8-r" },
        { "windows-1251", "windows-1251", "Новости дня", "windows-1251" },
        { "gb2312", "GB2312", "中文新闻标题", "gbk" },
        { "gbk", "GBK", "中文新闻标题", "gbk" },
        { "gb18030", "GB18030", "中文新闻标题", "gb18030" },
        { "big5", "Big5", "繁體中文新聞", "big5" },
        { "shift_jis", "Shift_JIS", "日本語のニュース", "shift_jis" },
        { "euc-jp", "EUC-JP", "日本語のニュース", "euc-jp" },
        { "euc-kr", "EUC-KR", "한국어 뉴스", "euc-kr" },
        { "windows-1252", "windows-1252", "Café crème – “quoted”", "windows-1252" },
        { "iso-8859-2", "ISO-8859-2", "Zażółć gęślą jaźń", "iso-8859-2" },
        { "iso-8859-7", "ISO-8859-7", "Ελληνικά νέα", "iso-8859-7" },
        { "windows-1250", "windows-1250", "Příliš žluťoučký kůň", "windows-1250" },
    };

    [Theory]
    [MemberData(nameof(Legacy))]
    public void Legacy_encodings_round_trip_native_titles(string bytesEncoding, string declared, string title, string label)
    {
        var feed = Documents.Parse(Documents.Bytes(Rss(title, declared), bytesEncoding));
        Assert.Equal(title, feed.Title);
        Assert.Equal(title, feed.Entries[0].Title);
        Assert.Equal(label, feed.Encoding);
    }

    [Theory]
    [MemberData(nameof(Legacy))]
    public void Legacy_encodings_given_only_by_the_http_charset_are_used(string bytesEncoding, string declared, string title, string label)
    {
        var feed = Documents.Parse(Documents.Bytes(Rss(title, null), bytesEncoding), $"application/rss+xml; charset={declared}");
        Assert.Equal(title, feed.Title);
        Assert.Equal(label, feed.Encoding);
    }

    public static TheoryData<string, bool, string?> Unicode => new()
    {
        { "utf-8", true, "utf-8" },
        { "utf-8", false, "utf-8" },
        { "utf-8", false, null },
        { "utf-16le", true, "utf-16" },
        { "utf-16le", false, "utf-16" },
        { "utf-16le", true, null },
        { "utf-16be", true, "utf-16" },
        { "utf-16be", false, "utf-16" },
        { "utf-16be", true, null },
    };

    [Theory]
    [MemberData(nameof(Unicode))]
    public void Unicode_encodings_are_found_with_or_without_a_byte_order_mark(string encoding, bool bom, string? declared)
    {
        const string title = "Héllo 日本 – Привет";
        var bytes = Encode(Rss(title, declared), Encoding.GetEncoding(encoding), bom);
        var feed = Documents.Parse(bytes);
        Assert.Equal(title, feed.Title);
        Assert.Equal(encoding, feed.Encoding);
        Assert.Equal("rss2.0", Documents.Field(feed, "format"));
    }

    [Fact]
    public void Windows_1252_bytes_labelled_iso_8859_1_are_read_as_windows_1252()
    {
        const string title = "Price €5 – it’s “here”";
        var feed = Documents.Parse(Documents.Bytes(Rss(title, "ISO-8859-1"), "windows-1252"));
        Assert.Equal(title, feed.Title);
        Assert.Equal("windows-1252", feed.Encoding);
    }

    [Fact]
    public void A_declaration_that_lies_about_utf8_bytes_is_overruled()
    {
        const string title = "Café – naïve";
        var feed = Documents.Parse(Encoding.UTF8.GetBytes(Rss(title, "iso-8859-1")));
        Assert.Equal(title, feed.Title);
        Assert.Equal("utf-8", feed.Encoding);
        Assert.False(feed.IsWellFormed);
        Assert.Contains(feed.Errors, e => e.Contains("UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public void Us_ascii_that_is_really_utf8_is_read_as_utf8()
    {
        const string title = "Zürich – 東京";
        var feed = Documents.Parse(Encoding.UTF8.GetBytes(Rss(title, "us-ascii")));
        Assert.Equal(title, feed.Title);
        Assert.Equal("utf-8", feed.Encoding);
    }

    [Fact]
    public void Unlabelled_bytes_that_are_not_utf8_fall_back_to_windows_1252()
    {
        const string title = "Crème brûlée";
        var feed = Documents.Parse(Documents.Bytes(Rss(title, null), "windows-1252"));
        Assert.Equal(title, feed.Title);
        Assert.Equal("windows-1252", feed.Encoding);
        Assert.False(feed.IsWellFormed);
        Assert.NotEmpty(feed.Errors);
    }

    [Fact]
    public void The_http_charset_wins_over_the_xml_declaration()
    {
        const string title = "Новости дня";
        var feed = Documents.Parse(Documents.Bytes(Rss(title, "windows-1251"), "koi8-r"), "text/xml; charset=KOI8-R");
        Assert.Equal(title, feed.Title);
        Assert.Equal("koi8-r", feed.Encoding);
    }

    [Fact]
    public void An_http_charset_in_quotes_is_understood()
    {
        const string title = "Новости дня";
        var feed = Documents.Parse(Documents.Bytes(Rss(title, null), "windows-1251"), "application/xml; charset=\"windows-1251\"");
        Assert.Equal(title, feed.Title);
        Assert.Equal("windows-1251", feed.Encoding);
    }

    [Fact]
    public void A_byte_order_mark_wins_over_the_http_charset()
    {
        const string title = "Grüße";
        var bytes = Encode(Rss(title, null), new UTF8Encoding(true), bom: true);
        var feed = Documents.Parse(bytes, "text/xml; charset=windows-1252");
        Assert.Equal(title, feed.Title);
        Assert.Equal("utf-8", feed.Encoding);
    }

    [Fact]
    public void Utf16_json_feed_is_decoded()
    {
        const string json = """{"version":"https://jsonfeed.org/version/1.1","title":"Ünïcödé JSON","items":[]}""";
        var feed = Documents.Parse(Encode(json, Encoding.Unicode, bom: true));
        Assert.Equal("Ünïcödé JSON", feed.Title);
        Assert.Equal("jsonfeed1.1", Documents.Field(feed, "format"));
    }
}
