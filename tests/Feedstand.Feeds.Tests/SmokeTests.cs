using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.Tests;

public class FeedFormatTests
{
    [Theory]
    [InlineData(FeedFormat.Rss20, "rss2.0")]
    [InlineData(FeedFormat.Atom03, "atom0.3")]
    [InlineData(FeedFormat.JsonFeed11, "jsonfeed1.1")]
    [InlineData(FeedFormat.Unknown, "unknown")]
    public void Format_labels_follow_the_contract(FeedFormat format, string label) =>
        Assert.Equal(label, format.Label());
}
