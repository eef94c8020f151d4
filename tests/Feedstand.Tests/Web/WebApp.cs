using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Feedstand.Commands;
using Feedstand.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Feedstand.Tests.Web;

/// <summary>
/// The real app (ServeCommand.BuildApp) on 127.0.0.1:0 with a temporary SQLite file,
/// REFRESH=false and SEED=false, and an HttpClient that keeps cookies and does not follow redirects.
/// </summary>
public sealed class WebApp : IAsyncDisposable
{
    private readonly string _folder;

    private WebApp(WebApplication app, string folder, Uri address)
    {
        App = app;
        _folder = folder;
        Address = address;
        Client = NewClient();
    }

    public WebApplication App { get; }
    public Uri Address { get; }
    public HttpClient Client { get; }

    public static async Task<WebApp> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "feedstand-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var values = new Dictionary<string, string?>
        {
            ["DB"] = $"Data Source={Path.Combine(folder, "feedstand.db")}",
            ["REFRESH"] = "false",
            ["SEED"] = "false",
            ["URLS"] = "http://127.0.0.1:0",
            ["ALLOW_PRIVATE_ADDRESSES"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var app = ServeCommand.BuildApp([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders();
        });
        await ServeCommand.PrepareAsync(app, TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebApp(app, folder, new Uri(address));
    }

    public HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = Address,
        };

    public async Task WithDbAsync(Func<FeedstandDb, Task> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
        await action(db);
    }

    public async Task<T> WithDbAsync<T>(Func<FeedstandDb, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<FeedstandDb>());
    }

    public async Task<IHtmlDocument> GetPageAsync(string path, HttpClient? client = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await (client ?? Client).GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        return await ParseAsync(response);
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new HtmlParser().ParseDocument(html);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temp folder.
        }
    }
}
