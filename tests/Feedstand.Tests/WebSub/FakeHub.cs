using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Feedstand.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feedstand.Tests.WebSub;

/// <summary>
/// A WebSub hub and publisher on the loopback <see cref="FeedServer"/>: /hub records every
/// subscription request (answering 202, or what the test says), and the test plays the hub's
/// part towards our callback (verification GET, signed content POST) by hand.
/// </summary>
public sealed class FakeHub
{
    private readonly FeedServer _server;

    public FakeHub(FeedServer server, string path = "/hub")
    {
        _server = server;
        Path = path;
        server.Map(path, async context =>
        {
            var form = await context.Request.ReadFormAsync();
            Requests.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal));
            context.Response.StatusCode = Answer;
        });
    }

    public string Path { get; }
    public string Url => _server.Url(Path);
    public int Answer { get; set; } = StatusCodes.Status202Accepted;
    public ConcurrentQueue<Dictionary<string, string>> Requests { get; } = new();

    /// <summary>The latest request of the given mode.</summary>
    public Dictionary<string, string> Last(string mode) => Requests.Last(r => r["hub.mode"] == mode);

    /// <summary>The token at the end of a request's hub.callback.</summary>
    public static string TokenOf(Dictionary<string, string> request) => request["hub.callback"].Split('/')[^1];

    /// <summary>An Atom feed naming <paramref name="hub"/> and <paramref name="self"/> in its links.</summary>
    public static string Atom(string? hub, string? self, params (string Id, string Title, DateTimeOffset Date)[] entries)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Pushed blog</title><id>urn:pushed</id><updated>2026-01-10T00:00:00Z</updated><link rel="alternate" href="https://pushed.example/"/>""");
        if (hub is not null)
        {
            xml.Append(CultureInfo.InvariantCulture, $"""<link rel="hub" href="{hub}"/>""");
        }
        if (self is not null)
        {
            xml.Append(CultureInfo.InvariantCulture, $"""<link rel="self" href="{self}"/>""");
        }
        foreach (var (id, title, date) in entries)
        {
            xml.Append(CultureInfo.InvariantCulture,
                $"""<entry><id>{id}</id><title>{WebUtility.HtmlEncode(title)}</title><link href="https://pushed.example/{id}"/><updated>{date:yyyy-MM-ddTHH:mm:ssZ}</updated><content type="html">&lt;p&gt;{WebUtility.HtmlEncode(title)} body&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</content><author><name>Ann</name></author></entry>""");
        }
        return xml.Append("</feed>").ToString();
    }
}
