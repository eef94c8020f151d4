using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using Feedstand.Feeds.Checking;
using Feedstand.Web;

namespace Feedstand.Checking;

/// <summary>A finding as a page shows it: what it means, the detail the check saw, and how to fix it, each as words and code.</summary>
public sealed record FindingWords(IReadOnlyList<TextPart> Message, IReadOnlyList<TextPart> Detail, IReadOnlyList<TextPart> Help)
{
    public static string Plain(IEnumerable<TextPart> parts) => string.Concat(parts.Select(p => p.Text));
}

/// <summary>A piece of a finding's text: words in the page's language, or code (an element, a value, a diagnostic).</summary>
public sealed record TextPart(string Text, bool IsCode);

/// <summary>
/// The check's findings in the visitor's language. The library speaks English only (the JSON and
/// the CLI keep its words); this table gives every finding class of <see cref="FindingCatalog"/> its
/// Chinese message and help, and turns the library's fixed phrases in a finding's detail into
/// Chinese. What is left of a detail is data (a value, a URL) or a parser's own diagnostic, shown
/// as code. In the Chinese texts, `backticks` mark code: element and header names, values, examples.
/// </summary>
public static partial class FindingText
{
    private const string Engines =
        "WordPress、Hugo、Jekyll、Ghost、Substack 和 Blogger 都由主题的订阅源模板生成它：请在那里修改（Hugo：`layouts/_default/rss.xml`；Jekyll：`jekyll-feed` 的 `feed.xml`；WordPress：插件或主题的 `feed-*.php`）。";

    private static readonly FrozenDictionary<string, (string Message, string Help)> Chinese = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["SAXError"] = ("文档不是格式良好的 XML", "遵循 XML 规则的阅读器会拒绝整个订阅源。把 `&` 转义为 `&amp;amp;`、`<` 转义为 `&amp;lt;`，闭合每个元素，声明每个命名空间前缀。" + Engines),
        ["UnicodeError"] = ("字节与声明的编码不符", "在 XML 声明和 HTTP `Content-Type` 的 `charset` 中声明文件实际使用的编码（最好是 UTF-8）。"),
        ["ObsoleteNamespace"] = ("此订阅源使用了过时的命名空间", "Atom 0.3 已于 2005 年被 Atom 1.0（RFC 4287）取代；请把订阅源模板换成 Atom 1.0 或 RSS 2.0。"),
        ["UndefinedElement"] = ("未定义的元素", "此元素不属于它所在位置的格式。把扩展放进自己的命名空间，或把元素移到规范允许的位置。"),
        ["MissingElement"] = ("缺少必需的元素", "阅读器需要它来显示订阅源或条目；请在订阅源模板中添加。"),
        ["MissingTitle"] = ("缺少必需的标题", "添加 `title` 元素。"),
        ["MissingLink"] = ("缺少必需的链接", "添加 `link` 元素。"),
        ["MissingDescription"] = ("缺少必需的描述", "添加 `description` 元素。"),
        ["MissingSummary"] = ("内容不是内联文本的条目需要摘要", "阅读器无法显示外链或二进制内容；请添加 `atom:summary`。"),
        ["MissingAttribute"] = ("缺少必需的属性", "添加该元素要求的属性。"),
        ["DuplicateElement"] = ("只能出现一次的元素出现了多次", "阅读器会随意保留其中一个；请在订阅源模板中删除多余的那个。"),
        ["DuplicateAtomLink"] = ("两个链接的 `rel`、`type` 和 `hreflang` 相同", "Atom 对每种类型和语言只允许一个 `alternate` 链接；请删除重复的链接。"),
        ["DuplicateEntries"] = ("两个条目的 `id` 相同", "阅读器只显示其中一个，或在两者之间来回切换；请给每个条目一个自己的 `id`。"),
        ["InvalidRFC2822Date"] = ("日期不是 RFC 822 格式", "RSS 日期形如`Mon, 02 Jan 2006 15:04:05 +0000`。WordPress 和 Hugo 默认是对的；手工格式化日期的主题常常出错。"),
        ["InvalidRFC3339Date"] = ("日期不是 RFC 3339 格式", "Atom 日期形如`2006-01-02T15:04:05Z` 或 `…+02:00`（秒和时区都是必需的）。"),
        ["InvalidW3CDTFDate"] = ("日期不是 W3C 日期时间格式", "使用 `2006-01-02T15:04:05Z` 这样的格式。"),
        ["ImplausibleDate"] = ("日期不合情理", "1995 年以前的日期多半是默认值；请使用真实的发布日期。"),
        ["FutureDate"] = ("日期在未来", "阅读器按日期排序：标着明天的文章会一直置顶；请检查服务器的时钟和时区。"),
        ["InvalidLink"] = ("不是有效的网址", "链接必须是网址（绝对网址最稳妥）；去掉空格并转义特殊字符。"),
        ["InvalidFullLink"] = ("不是完整的网址", "这里必须是带协议的绝对网址（`https://…`）。"),
        ["InvalidUriChar"] = ("网址中有不允许的字符", "对空格和其他特殊字符做百分号编码，并去掉网址两端的空白。"),
        ["InvalidPermalink"] = ("`guid` 声称是永久链接，却不是网址", "对不是网址的 `guid` 加上 `isPermaLink=\"false\"`（WordPress 的 `?p=` `guid` 是网址；自定义模板常常不是）。"),
        ["NonCanonicalURI"] = ("URI 不是规范形式", "阅读器按字符串比较 `id`：协议和主机名小写，不写默认端口，路径至少为「/」，不含「.」或「..」段。"),
        ["InvalidContact"] = ("不是有效的电子邮件地址", "RSS 要求`address@example.com (Name)`的形式；Atom 的 `email` 元素只写地址本身。"),
        ["InvalidLanguage"] = ("不是有效的语言代码", "使用 `en`、`en-us` 或 `zh-cn` 这样的语言标签（Hugo：站点配置中的 `languageCode`；WordPress：设置 > 常规）。"),
        ["InvalidMIMEType"] = ("不是有效的 MIME 类型", "使用 `text/html` 或 `image/png` 这样的类型。"),
        ["InvalidTextType"] = ("`type` 只能是 `text`、`html` 或 `xhtml`", "Atom 的文本元素只接受 `type=\"text\"`、\"`html`\" 或 \"`xhtml`\"。"),
        ["InvalidItunesCategory"] = ("不是 Apple Podcasts 的分类", "从 Apple 的分类列表中选择，拼写须完全一致。"),
        ["InvalidValue"] = ("无效的值", "该值不在格式允许的范围内。"),
        ["InvalidInteger"] = ("不是整数", "只使用数字。"),
        ["NotBlank"] = ("元素是空的", "填写内容，或者去掉这个元素。"),
        ["ContainsHTML"] = ("纯文本字段中含有 HTML", "阅读器会把标签当作文字显示。请去掉标题和名字中的 HTML（WordPress：给标题加 HTML 的插件；Hugo：使用 `.Title | plainify`）。"),
        ["ContainsUndeclaredHTML"] = ("未声明为 HTML 的元素中含有 HTML", "加上 `type=\"html\"`，或去掉标记。"),
        ["NotHtml"] = ("无效的 HTML", "标记中有未知元素或残缺的标签；阅读器可能显示错误。"),
        ["NotInline"] = ("声明为内联 `XHTML` 或文本的元素中有转义的标记", "声明与内容相符的类型。"),
        ["BadCharacters"] = ("控制字符或形似字符", "删除不可见的控制字符和残留的智能引号。"),
        ["SecurityRisk"] = ("阅读器出于安全会删除的内容（`script`、`embed`、`object`、事件处理属性）", "阅读器会删掉它，它的作用也随之丢失；请使用普通 HTML 和链接。Substack 和 Ghost 的嵌入是 `iframe`，阅读器会丢弃。"),
        ["SecurityRiskAttr"] = ("阅读器出于安全会删除的属性", "去掉这个属性。"),
        ["DangerousStyleAttr"] = ("阅读器会删除的 `style` 属性", "阅读器会丢弃无法证明安全的样式（`position`、`mso-*`、`expression`）；请保持样式简单或使用普通 HTML（从 Word 粘贴会留下 `mso-*` 样式）。"),
        ["MissingSelf"] = ("缺少 `rel=\"self\"` 的 `atom:link`", "添加 `<atom:link rel=\"self\" href=\"订阅源的网址\" type=\"application/rss+xml\"/>`，让阅读器知道订阅源自己的地址（Hugo 的默认 RSS 模板和 Jekyll 的 `jekyll-feed` 都有）。"),
        ["SelfDoesNotMatchLocation"] = ("`rel=\"self\"` 链接与抓取订阅源的地址不同", "让 `self` 链接指向订阅源的公开网址。"),
        ["MissingGuid"] = ("条目没有 `guid`", "没有 `guid` 时，阅读器只能靠链接或标题识别重复，编辑过的文章可能显示两次；请添加永久不变的 `guid`。"),
        ["DuplicateGuid"] = ("两个条目的 `guid` 相同", "阅读器只显示其中一个；请给每个条目一个自己的 `guid`。"),
        ["RelativeUrlWithoutBase"] = ("相对网址没有可用的基准地址", "阅读器最多只能相对订阅源的网址解析它；请写绝对网址（Hugo：`absURL`；Jekyll：`absolute_url`）。"),
        ["ItemMustContainTitleOrDescription"] = ("条目既没有标题也没有描述", "RSS 2.0 要求每个条目至少有其中之一；否则阅读器只显示一行空白。"),
        ["MissingAtomSelfLink"] = ("缺少 `rel=\"self\"` 的 `atom:link`", "添加 `<atom:link rel=\"self\" href=\"订阅源的网址\"/>`，让阅读器知道订阅源自己的地址。"),
        ["InvalidRSSVersion"] = ("阅读器不认识的 RSS 版本", "在 `rss` 元素上使用 `version=\"2.0\"`。"),
        ["UnknownEncoding"] = ("阅读器不认识的编码", "在 XML 声明和 HTTP `Content-Type` 中声明标准编码，最好是 UTF-8。"),
        ["EncodingMismatch"] = ("HTTP 与文档声明的编码不同", "阅读器只相信其中一个，可能显示乱码；请让 `Content-Type` 的 `charset` 与 XML 声明一致（最好是 UTF-8）。"),
        ["InvalidDay"] = ("不是星期几", "`skipDays` 使用英文星期名：`Monday` 到 `Sunday`。"),
        ["InvalidHour"] = ("不是 0 到 23 之间的小时", "`skipHours` 使用格林尼治时间的整点，0 到 23。"),
        ["InvalidDuration"] = ("不是时长", "时长写成秒数或 `HH:MM:SS`。"),
        ["InvalidTrueFalse"] = ("只能是 `true` 或 `false`", "把值写成 `true` 或 `false`。"),
        ["InvalidYesNo"] = ("只能是 `yes` 或 `no`", "把值写成 `yes` 或 `no`（Apple Podcasts 的部分标签也接受 `true` 和 `false`）。"),
        ["InvalidItunesChannelType"] = ("不是 Apple Podcasts 的节目类型", "`itunes:type` 只接受 `episodic` 或 `serial`。"),
        ["InvalidItunesEpisodeType"] = ("不是 Apple Podcasts 的单集类型", "`itunes:episodeType` 只接受 `full`、`trailer` 或 `bonus`。"),
        ["InvalidUpdatePeriod"] = ("不是更新周期", "`sy:updatePeriod` 只接受 `hourly`、`daily`、`weekly`、`monthly` 或 `yearly`。"),
        ["InvalidPositiveInteger"] = ("不是正整数", "只使用数字，且大于零。"),
        ["InvalidNonNegativeInteger"] = ("不是零或正整数", "只使用数字，不带符号。"),
        ["InvalidMediaMedium"] = ("不是 Media RSS 的媒体类型", "`medium` 只接受 `image`、`audio`、`video`、`document` 或 `executable`。"),
        ["InvalidMediaExpression"] = ("不是 Media RSS 的 `expression` 值", "`expression` 只接受 `sample`、`full` 或 `nonstop`。"),
        ["JsonFeedSchema"] = ("JSON Feed 不符合 JSON Feed 1.1 的模式", "必需字段见 `jsonfeed.org/version/1.1`。"),
        ["NotAFeed"] = ("文档中没有找到订阅源", "这不是 RSS、Atom 或 JSON Feed；如果它是网页，请在网页中链接订阅源。"),
        ["ParserRepair"] = ("Feedstand 必须修复文档才能读取", "其他阅读器未必会以同样的方式修复。"),
        ["NoValidators"] = ("既没有 `ETag` 也没有 `Last-Modified`", "没有它们，每次轮询都要下载整个订阅源；请在服务器或 CDN 上启用。"),
        ["ConditionalNotHonoured"] = ("条件请求没有得到 `304 Not Modified`", "服务器发送了校验值，却忽略 `If-None-Match` / `If-Modified-Since`；阅读器每次都要重新下载订阅源。"),
        ["ConditionalHonoured"] = ("条件请求得到了 `304 Not Modified`", "很好：阅读器轮询未变化的订阅源几乎不花你什么。"),
        ["NotCompressed"] = ("订阅源未经压缩", "为 XML 和 JSON 启用 `gzip` 或 `brotli`：订阅源会缩小 4 到 10 倍。"),
        ["NoCacheControl"] = ("没有 `Cache-Control` 的 `max-age`", "`max-age` 告诉阅读器和 CDN 该把订阅源保留多久。"),
        ["UnexpectedContentType"] = ("意外的 `Content-Type`", "RSS 用 `application/rss+xml`，Atom 用 `application/atom+xml`，JSON Feed 用 `application/feed+json`（`text/xml` 和 `application/xml` 也可以）。"),
        ["TemporaryRedirect"] = ("订阅源经由临时重定向到达", "阅读器会继续轮询旧地址；如果订阅源已永久搬家，请用 301 或 308。"),
        ["PermanentRedirect"] = ("订阅源已永久搬家", "阅读器会更新地址；请尽量公布新网址。"),
        ["NotHttps"] = ("通过明文 HTTP 提供", "请通过 HTTPS 提供订阅源。"),
        ["LargeFeed"] = ("订阅源很大", "超过 1 MB 时，每次轮询都耗费阅读器的时间和你的带宽；请减少条目数或只发摘要。"),
        ["SlowFirstByte"] = ("首字节时间过长", "超过一秒；请缓存生成的订阅源（WordPress：页面缓存插件）。"),
        ["RetryAfter"] = ("服务器要求阅读器稍后再来（`Retry-After`）", "很好：阅读器会按要求退避。"),
        ["RateLimitedWithoutRetryAfter"] = ("429 或 503 响应没有 `Retry-After`", "用 `Retry-After` 告诉阅读器何时再来。"),
        ["FetchFailed"] = ("无法抓取该订阅源", "修复之前，阅读器什么也拿不到。"),
        ["Excerpts"] = ("条目只有摘要，没有全文", "很多阅读器更喜欢全文（WordPress：设置 > 阅读 > 全文；Ghost 和 Substack：公开文章输出全文）。"),
        ["LazyImages"] = ("图片没有真正的 `src`（懒加载）", "阅读器不运行脚本：请使用 `src`（加 `loading=\"lazy\"` 没问题），而不是 `data-src`。"),
        ["RelativeImages"] = ("图片使用相对地址", "阅读器最多只能相对订阅源的网址解析它们；请使用绝对网址。"),
        ["TrackingPixels"] = ("跟踪像素（1×1 图片）", "很多阅读器会屏蔽它们。"),
        ["SanitizerRemoved"] = ("阅读器会删除的标记", "脚本、`iframe`、表单和样式都会被阅读器丢弃。"),
        ["DuplicateItems"] = ("链接或标题相同的条目", "阅读器会把同一篇文章显示两次。"),
        ["NoRecentPosts"] = ("六个月内没有新文章", "读者可能以为博客已经停更；写一条简短的说明会有帮助。"),
        ["UnreliableFetches"] = ("最近很多次抓取失败", "阅读器会放弃经常出错的订阅源；请检查服务器的错误和限流设置。"),
        ["NoAlternateLink"] = ("网站首页没有链接到订阅源", "在页面的 `head` 中加入 `<link rel=\"alternate\" type=\"application/rss+xml\" href=\"…\">`，让阅读器能找到订阅源。"),
        ["NoSiteLink"] = ("订阅源没有链接回它的网站", "把网站地址写进 `channel` 的 `link` 或 `rel=\"alternate\"` 的 `atom:link`。"),
        ["NoIcon"] = ("没有找到图标", "添加 `favicon`，或订阅源的 `image` / `atom:icon`。"),
        ["WebSub"] = ("公布了 WebSub 中心（`hub`）", "阅读器可以立即收到推送的新文章。"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The library's fixed phrases in a finding's detail, each with its Chinese form ({0}, {1}: the
    /// pattern's groups). Anything else in a detail is a value or a parser's diagnostic.
    /// </summary>
    private static readonly (Regex English, string Chinese)[] DetailPhrases =
    [
        (Phrase("the document is empty"), "文档是空的"),
        (Phrase("self is (.+), fetched from (.+)"), "`self` 指向 {0}，实际抓取自 {1}"),
        (Phrase("a UTF-8 byte order mark, but the declaration says (.+)"), "有 `UTF-8` 字节顺序标记，声明却是 {0}"),
        (Phrase("declared (.+), but byte (0x[0-9A-F]+) is not ASCII"), "声明为 {0}，但字节 {1} 不是 `ASCII`"),
        (Phrase(@"the bytes are not valid UTF-8 \(byte (0x[0-9A-F]+)\)"), "字节不是有效的 `UTF-8`（字节 {0}）"),
        (Phrase("HTTP says (.+), the document says (.+)"), "HTTP 声明 {0}，文档声明 {1}"),
        (Phrase("last post (.+)"), "最近一篇：{0}"),
        (Phrase("(.+) of fetches succeeded in 30 days"), "30 天内抓取成功率 {0}"),
        (Phrase("([0-9]+) bytes"), "{0} 字节"),
        (Phrase("([0-9]+) of ([0-9]+)"), "{1} 张中有 {0} 张"),
        (Phrase("not valid JSON: (.+)"), "不是有效的 JSON：{0}"),
        (Phrase("this is not a feed's root element"), "这不是订阅源的根元素"),
        (Phrase("the top level is not an object"), "顶层不是对象"),
        (Phrase("version must be (.+)"), "`version` 必须是 {0}"),
        (Phrase("items must be an array"), "`items` 必须是数组"),
        (Phrase("each item must be an object"), "每个 `item` 都必须是对象"),
        (Phrase(@"every item needs an id \(a string\)"), "每个 `item` 都需要 `id`（字符串）"),
        (Phrase("an item needs content_html or content_text"), "`item` 需要 `content_html` 或 `content_text`"),
        (Phrase("([A-Za-z_]+) is required"), "缺少必需的 {0}"),
        (Phrase("([A-Za-z_]+) must be a string"), "{0} 必须是字符串"),
        (Phrase(@"\(none\)"), "（无）"),
    ];

    private static Regex Phrase(string pattern) =>
        new("^" + pattern + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));

    /// <summary>Every finding class the Chinese table covers, for the test that none is missing.</summary>
    internal static IEnumerable<string> ChineseIds => Chinese.Keys;

    /// <summary>The finding in the current UI language; in English the library's own words, as the JSON has them.</summary>
    public static FindingWords For(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (!UiLanguage.IsChinese(CultureInfo.CurrentUICulture) || !Chinese.TryGetValue(finding.Id, out var chinese))
        {
            return new FindingWords([new TextPart(finding.Message, IsCode: false)], [], [new TextPart(finding.Help, IsCode: false)]);
        }
        var message = Parts(chinese.Message, null);
        var help = Parts(chinese.Help, null);
        var prefix = FindingCatalog.Get(finding.Id).Message + ": ";
        if (!finding.Message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return new FindingWords(message, [], help);
        }
        var detail = finding.Message[prefix.Length..];
        foreach (var (english, phrase) in DetailPhrases)
        {
            if (english.Match(detail) is { Success: true } match)
            {
                return new FindingWords(message, Parts(phrase, match), help);
            }
        }
        return new FindingWords(message, [new TextPart(detail, IsCode: true)], help);
    }

    /// <summary>A Chinese text with its values ({0}: the match's groups) and `names` as code, the rest as words.</summary>
    private static List<TextPart> Parts(string text, Match? match)
    {
        var parts = new List<TextPart>();
        var at = 0;
        foreach (Match piece in PhrasePiece().Matches(text))
        {
            if (piece.Index > at)
            {
                parts.Add(new TextPart(text[at..piece.Index], IsCode: false));
            }
            var code = piece.Value[0] == '`'
                ? piece.Value[1..^1]
                : match!.Groups[int.Parse(piece.Value[1..^1], CultureInfo.InvariantCulture) + 1].Value;
            parts.Add(new TextPart(code, IsCode: true));
            at = piece.Index + piece.Length;
        }
        if (at < text.Length)
        {
            parts.Add(new TextPart(text[at..], IsCode: false));
        }
        return parts;
    }

    [GeneratedRegex(@"\{[0-9]\}|`[^`]+`")]
    private static partial Regex PhrasePiece();
}
