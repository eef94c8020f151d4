using System.Text;
using Feedstand.Feeds.Discovery;

namespace Feedstand.Feeds.Tests.Discovery;

public class FeedDiscoveryTests
{
    private static readonly Uri Page = new("https://blog.example.org/posts/hello/");

    public static TheoryData<string, string, string[]> FeedCases => new()
    {
        {
            "rss with absolute href",
            """<html><head><link rel="alternate" type="application/rss+xml" title="RSS" href="https://blog.example.org/feed.xml"></head></html>""",
            ["https://blog.example.org/feed.xml"]
        },
        {
            "root-relative atom",
            """<link rel="alternate" type="application/atom+xml" href="/atom.xml">""",
            ["https://blog.example.org/atom.xml"]
        },
        {
            "document-relative href",
            """<link rel="alternate" type="application/rss+xml" href="feed/">""",
            ["https://blog.example.org/posts/hello/feed/"]
        },
        {
            "base href wins over the page url",
            """<head><base href="https://cdn.example.net/site/"><link rel="alternate" type="application/rss+xml" href="rss.xml"></head>""",
            ["https://cdn.example.net/site/rss.xml"]
        },
        {
            "relative base href resolved against the page",
            """<head><base href="/blog/"><link rel="alternate" type="application/rss+xml" href="rss.xml"></head>""",
            ["https://blog.example.org/blog/rss.xml"]
        },
        {
            "several feeds in document order, duplicates once",
            """
            <link rel="alternate" type="application/rss+xml" href="/rss.xml">
            <link rel="alternate" type="application/atom+xml" href="/atom.xml">
            <link rel="alternate" type="application/feed+json" href="/feed.json">
            <link rel="alternate" type="application/rss+xml" href="https://blog.example.org/rss.xml">
            """,
            ["https://blog.example.org/rss.xml", "https://blog.example.org/atom.xml", "https://blog.example.org/feed.json"]
        },
        {
            "rel feed without type",
            """<link rel="feed" href="/everything">""",
            ["https://blog.example.org/everything"]
        },
        {
            "type with parameters and odd case",
            """<link REL="Alternate" TYPE="Application/RSS+XML; charset=utf-8" href="/r">""",
            ["https://blog.example.org/r"]
        },
        {
            "no feeds",
            """<html><head><title>x</title><link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="fr" href="/fr/"></head></html>""",
            []
        },
        {
            "wordpress json api is not a feed",
            """<link rel="alternate" type="application/json" href="https://blog.example.org/wp-json/wp/v2/posts/1"><link rel="alternate" type="application/json" href="/feed.json">""",
            ["https://blog.example.org/feed.json"]
        },
        {
            "feed scheme unwrapped, javascript ignored",
            """<link rel="alternate" type="application/rss+xml" href="feed://blog.example.org/rss"><link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">""",
            ["http://blog.example.org/rss"]
        },
        {
            "broken markup still read",
            """<head><link rel=alternate type=application/atom+xml href=/a.xml><p><div><link rel="alternate" type="application/rss+xml" href="/late.xml">""",
            ["https://blog.example.org/a.xml", "https://blog.example.org/late.xml"]
        },
    };

    [Theory, MemberData(nameof(FeedCases))]
    public void Finds_announced_feeds(string name, string html, string[] expected)
    {
        var feeds = FeedDiscovery.FindFeeds(html, Page);
        Assert.True(expected.SequenceEqual(feeds.Select(f => f.Url)), $"{name}: got {string.Join(", ", feeds.Select(f => f.Url))}");
    }

    [Fact]
    public void Feed_title_and_type_are_reported()
    {
        var feed = Assert.Single(FeedDiscovery.FindFeeds(
            """<link rel="alternate" type="application/atom+xml; charset=utf-8" title=" Posts " href="/atom">""", Page));
        Assert.Equal(new DiscoveredFeed("https://blog.example.org/atom", "Posts", "application/atom+xml"), feed);
    }

    [Fact]
    public void Common_feed_paths_start_with_the_usual_ones()
    {
        Assert.Equal("/feed", FeedDiscovery.CommonFeedPaths[0]);
        Assert.Contains("/feeds/posts/default", FeedDiscovery.CommonFeedPaths);
        Assert.Contains("/?feed=rss2", FeedDiscovery.CommonFeedPaths);
        Assert.All(FeedDiscovery.CommonFeedPaths, p => Assert.StartsWith("/", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html>", true)]
    [InlineData("<!doctype HTML>", true)]
    [InlineData("\uFEFF  \n<html lang=\"en\">", true)]
    [InlineData("<HTML>", true)]
    [InlineData("<!-- generated --><!DOCTYPE html>", true)]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">", true)]
    [InlineData("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>", false)]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", false)]
    [InlineData("{\"version\": \"https://jsonfeed.org/version/1.1\"}", false)]
    [InlineData("<htmlfeed>", false)]
    [InlineData("", false)]
    public void Tells_a_page_from_a_feed(string body, bool isHtml) =>
        Assert.Equal(isHtml, FeedDiscovery.LooksLikeHtml(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Icons_come_largest_first_and_absolute()
    {
        const string Html = """
            <head>
              <link rel="shortcut icon" href="/favicon.ico">
              <link rel="icon" type="image/png" sizes="16x16" href="/icon-16.png">
              <link rel="apple-touch-icon" href="/touch.png">
              <link rel="icon" sizes="192x192" href="icons/icon-192.png">
              <link rel="stylesheet" href="/s.css">
            </head>
            """;
        Assert.Equal(
            [
                "https://blog.example.org/posts/hello/icons/icon-192.png",
                "https://blog.example.org/touch.png",
                "https://blog.example.org/favicon.ico",
                "https://blog.example.org/icon-16.png",
            ],
            FeedDiscovery.FindIcons(Html, Page));
    }

    [Fact]
    public void Scalable_icon_is_preferred_and_none_gives_empty()
    {
        Assert.Equal(
            ["https://blog.example.org/i.svg", "https://blog.example.org/p.png"],
            FeedDiscovery.FindIcons("""<link rel="icon" sizes="64x64" href="/p.png"><link rel="icon" type="image/svg+xml" href="/i.svg">""", Page));
        Assert.Empty(FeedDiscovery.FindIcons("<p>no head</p>", Page));
    }
}
