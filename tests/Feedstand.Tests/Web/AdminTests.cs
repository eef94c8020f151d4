using System.Net;
using Feedstand.Data;
using Feedstand.Pages.Admin;
using Feedstand.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Tests.Web;

public sealed class AdminTests : IAsyncLifetime
{
    internal const string Password = "correct horse battery";
    private TestApp _web = null!;

    public async ValueTask InitializeAsync()
    {
        _web = await TestApp.StartWebAsync();
        await _web.WithDbAsync(async db =>
        {
            var feed = await TestFeeds.AddAsync(db, "alpha", tags: ["rust"]);
            var account = new AdminAccount { Name = "ada", PasswordHash = "", CreatedAt = TestFeeds.Newest };
            account.PasswordHash = LoginModel.Hash(account, Password);
            db.AdminAccounts.Add(account);
            db.Submissions.Add(new Submission
            {
                Kind = SubmissionKind.NewFeed,
                Url = "https://beta.example/feed.xml",
                Title = "Beta",
                Language = "en",
                Tags = ["go"],
                CreatedAt = TestFeeds.Newest,
            });
            db.Submissions.Add(new Submission
            {
                Kind = SubmissionKind.Modify,
                FeedId = feed.Id,
                Url = feed.FeedUrl,
                Title = "Alpha, renamed",
                Description = feed.Description,
                IconUrl = feed.IconUrl,
                Language = "en",
                Tags = ["rust", "systems"],
                CreatedAt = TestFeeds.Newest,
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();

    /// <summary>The admin account "ada" with <see cref="Password"/>, for other test classes.</summary>
    internal static Task CreateAdminAsync(TestApp web) => web.WithDbAsync(async db =>
    {
        var account = new AdminAccount { Name = "ada", PasswordHash = "", CreatedAt = TestFeeds.Newest };
        account.PasswordHash = LoginModel.Hash(account, Password);
        db.AdminAccounts.Add(account);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    });

    internal static async Task<HttpResponseMessage> LogInAsync(HttpClient client, string password) =>
        await Forms.PostAsync(client, "/admin/login", new Dictionary<string, string> { ["Name"] = "ada", ["Password"] = password });

    [Fact]
    public async Task Admin_pages_redirect_to_the_login_page()
    {
        using var response = await _web.Client.GetAsync("/admin", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var feed = await _web.Client.GetAsync("/admin/feeds/alpha", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, feed.StatusCode);
    }

    [Fact]
    public async Task Logging_in_opens_the_queue_with_a_diff_of_suggested_edits()
    {
        using var login = await LogInAsync(_web.Client, Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/admin", login.Headers.Location!.OriginalString);
        var page = await _web.GetPageAsync("/admin");
        Assert.Equal(2, page.QuerySelectorAll("article.submission").Length);
        var diff = page.QuerySelectorAll("table.diff tbody tr")
            .Select(row => (row.QuerySelector("th")!.TextContent, row.QuerySelector("del")!.TextContent, row.QuerySelector("ins")!.TextContent))
            .ToList();
        Assert.Equal([("Title", "Blog alpha", "Alpha, renamed"), ("Tags", "rust", "rust, systems")], diff);
        Assert.Equal("/admin/health", page.QuerySelector("a.health-admin")!.GetAttribute("href"));
        var health = await _web.GetPageAsync("/admin/health");
        Assert.Contains("Blog alpha", health.QuerySelectorAll("table.health-table td a").Select(a => a.TextContent));
    }

    [Fact]
    public async Task Approving_a_new_site_lists_it_and_approving_an_edit_applies_it()
    {
        await LogInAsync(_web.Client, Password);
        var ids = await _web.WithDbAsync(db => db.Submissions.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(TestContext.Current.CancellationToken));
        foreach (var id in ids)
        {
            using var approve = await Forms.PostAsync(_web.Client, "/admin", new Dictionary<string, string>(),
                $"#submission-{id} form[action*=Approve]");
            Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        }
        var beta = await _web.WithDbAsync(db => db.Feeds.Include(f => f.Tags).SingleAsync(f => f.FeedUrl == "https://beta.example/feed.xml", TestContext.Current.CancellationToken));
        Assert.Equal("beta-example", beta.Slug);
        Assert.Equal(["go"], beta.Tags.Select(t => t.Name));
        var alpha = await _web.WithDbAsync(db => db.Feeds.Include(f => f.Tags).SingleAsync(f => f.Slug == "alpha", TestContext.Current.CancellationToken));
        Assert.Equal("Alpha, renamed", alpha.TitleOverride);
        Assert.Equal(["rust", "systems"], alpha.Tags.Select(t => t.Name).Order());
        var page = await _web.GetPageAsync("/feeds/alpha");
        Assert.Equal("Alpha, renamed", page.QuerySelector("h1")!.TextContent);
        Assert.All(await _web.WithDbAsync(db => db.Submissions.ToListAsync(TestContext.Current.CancellationToken)),
            s => Assert.Equal(SubmissionStatus.Approved, s.Status));
    }

    [Fact]
    public async Task Rejecting_removes_a_submission_from_the_queue()
    {
        await LogInAsync(_web.Client, Password);
        var id = await _web.WithDbAsync(db => db.Submissions.Where(s => s.Kind == SubmissionKind.NewFeed).Select(s => s.Id).SingleAsync(TestContext.Current.CancellationToken));
        using var reject = await Forms.PostAsync(_web.Client, "/admin", new Dictionary<string, string>(), $"#submission-{id} form[action*=Reject]");
        Assert.Equal(HttpStatusCode.Redirect, reject.StatusCode);
        var page = await _web.GetPageAsync("/admin");
        Assert.Single(page.QuerySelectorAll("article.submission"));
        Assert.False(await _web.WithDbAsync(db => db.Feeds.AnyAsync(f => f.FeedUrl == "https://beta.example/feed.xml", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Retiring_a_listing_takes_its_page_down()
    {
        await LogInAsync(_web.Client, Password);
        using var retire = await Forms.PostAsync(_web.Client, "/admin/feeds/alpha", new Dictionary<string, string>(), "form[action*=Status]");
        Assert.Equal(HttpStatusCode.Redirect, retire.StatusCode);
        Assert.Equal(FeedStatus.Retired, await _web.WithDbAsync(db => db.Feeds.Where(f => f.Slug == "alpha").Select(f => f.Status).SingleAsync(TestContext.Current.CancellationToken)));
        using var api = await _web.Client.GetAsync("/api/v1/feeds/alpha", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task Editing_a_listing_sets_overrides()
    {
        await LogInAsync(_web.Client, Password);
        using var save = await Forms.PostAsync(_web.Client, "/admin/feeds/alpha", new Dictionary<string, string>
        {
            ["Title"] = "Alpha by Ada",
            ["Tags"] = "rust, notes",
            ["Language"] = "en",
        });
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var page = await _web.GetPageAsync("/feeds/alpha");
        Assert.Equal("Alpha by Ada", page.QuerySelector("h1")!.TextContent);
        Assert.Equal(["notes", "rust"], page.QuerySelectorAll(".tags a").Select(a => a.TextContent));
    }

    [Fact]
    public async Task Refresh_now_records_the_outcome()
    {
        await LogInAsync(_web.Client, Password);
        var id = await _web.WithDbAsync(db => db.Feeds.Where(f => f.Slug == "alpha").Select(f => f.Id).SingleAsync(TestContext.Current.CancellationToken));
        using var refresh = await Forms.PostAsync(_web.Client, "/admin/health", new Dictionary<string, string>(), $"form[action$='handler=Refresh&id={id}'], form[action*='/admin/health?id={id}&handler=Refresh']");
        Assert.Equal(HttpStatusCode.Redirect, refresh.StatusCode);
        var page = await _web.GetPageAsync("/admin/health");
        Assert.StartsWith($"Refresh of feed {id} failed", page.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        for (var i = 0; i < LoginModel.MaxFailures - 1; i++)
        {
            using var wrong = await LogInAsync(_web.Client, "wrong password " + i);
            var page = await TestApp.ParseAsync(wrong);
            Assert.Equal("Wrong name or password.", page.QuerySelector("#login-problem")!.TextContent);
        }
        using var fifth = await LogInAsync(_web.Client, "wrong again");
        Assert.StartsWith("This account is locked", (await TestApp.ParseAsync(fifth)).QuerySelector("#login-problem")!.TextContent, StringComparison.Ordinal);
        using var right = await LogInAsync(_web.Client, Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.StartsWith("This account is locked", (await TestApp.ParseAsync(right)).QuerySelector("#login-problem")!.TextContent, StringComparison.Ordinal);
        using var admin = await _web.Client.GetAsync("/admin", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
    }

    [Fact]
    public async Task Admin_pages_speak_chinese_to_a_chinese_browser()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _web.NewClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");

        var login = await _web.GetPageAsync("/admin/login", client);
        Assert.Equal("管理员登录", login.QuerySelector("h1")!.TextContent);
        Assert.Equal(["用户名", "密码"], login.QuerySelectorAll("main label").Select(l => l.TextContent));
        using var wrong = await LogInAsync(client, "wrong password");
        Assert.Equal("用户名或密码错误。", (await TestApp.ParseAsync(wrong)).QuerySelector("#login-problem")!.TextContent);

        await LogInAsync(client, Password);
        var admin = await _web.GetPageAsync("/admin", client);
        Assert.Equal("zh-Hans", admin.DocumentElement.GetAttribute("lang"));
        Assert.Equal("管理", admin.QuerySelector("h1")!.TextContent);
        Assert.Equal("待审核（2）", admin.QuerySelector("#queue-heading")!.TextContent);
        Assert.Equal(["标题", "标签"], admin.QuerySelectorAll("table.diff tbody th").Select(th => th.TextContent));
        var health = await _web.GetPageAsync("/admin/health", client);
        Assert.Equal("订阅源状态", health.QuerySelector("h1")!.ChildNodes[0].TextContent.Trim());
        Assert.Contains("立即刷新", health.QuerySelectorAll("table.health-table button").Select(b => b.TextContent));

        var id = await _web.WithDbAsync(db => db.Submissions.Where(s => s.Kind == SubmissionKind.NewFeed).Select(s => s.Id).SingleAsync(ct));
        using var reject = await Forms.PostAsync(client, "/admin", new Dictionary<string, string>(), $"#submission-{id} form[action*=Reject]");
        Assert.Equal(HttpStatusCode.Redirect, reject.StatusCode);
        var after = await _web.GetPageAsync("/admin", client);
        Assert.Equal($"已拒绝提交 {id}。", after.QuerySelector("p.notice")!.TextContent);

        var edit = await _web.GetPageAsync("/admin/feeds/alpha", client);
        Assert.StartsWith("编辑", edit.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("← 管理", edit.QuerySelector("main p a")!.TextContent);
        Assert.Equal("下架此条目", edit.QuerySelector("form[action*=Status] button")!.TextContent);
    }
}
