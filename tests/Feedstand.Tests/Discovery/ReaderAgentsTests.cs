using Feedstand.Discovery;

namespace Feedstand.Tests.Discovery;

public sealed class ReaderAgentsTests
{
    public static TheoryData<string, string, int> Reported => new()
    {
        { "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers; like FeedFetcher-Google)", "Feedly", 12 },
        { "Mozilla/5.0 (compatible; inoreader.com; 5 subscribers)", "Inoreader", 5 },
        { "NewsBlur Feed Fetcher - 3 subscribers - https://www.newsblur.com/site/6027/x (Mozilla/5.0 (Macintosh))", "NewsBlur", 3 },
        { "Feedbin feed-id:1373711 - 7 subscribers", "Feedbin", 7 },
        { "Mozilla/5.0 (compatible; theoldreader.com; 4 subscribers; feed-id=5fd)", "The Old Reader", 4 },
        { "Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google; 1,234 subscribers)", "Feedspot", 1234 },
        { "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 1 subscriber; like FeedFetcher-Google)", "Feedly", 1 },
        { "BazQux/2.4 (+https://bazqux.com/fetcher; 2 subscribers)", "BazQux", 2 },
    };

    [Theory, MemberData(nameof(Reported))]
    public void Reader_and_subscriber_count_are_read_from_the_user_agent(string agent, string reader, int subscribers)
    {
        var report = ReaderAgents.Parse(agent);
        Assert.Equal(new ReaderReport(reader, subscribers), report);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36")]
    [InlineData("Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)")]
    [InlineData("SomeBot/1.0 (12 subscribers)")]
    [InlineData("Feedly/1.0 (99999999999 subscribers)")]
    [InlineData("")]
    public void Agents_without_a_known_reader_or_a_believable_count_report_nothing(string agent) =>
        Assert.Null(ReaderAgents.Parse(agent));
}
