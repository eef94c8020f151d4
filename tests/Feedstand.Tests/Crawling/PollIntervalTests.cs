using Feedstand.Crawling;

namespace Feedstand.Tests.Crawling;

public class PollIntervalTests
{
    private const double NoJitter = 0.5;

    [Fact]
    public void Average_between_posts_is_the_span_over_the_gaps()
    {
        var newest = new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);
        var dates = new[] { newest, newest.AddHours(-6), newest.AddHours(-12), newest.AddHours(-18) };

        Assert.Equal(TimeSpan.FromHours(6), PollInterval.AverageBetweenPosts(dates));
    }

    [Fact]
    public void One_dated_post_gives_no_average() =>
        Assert.Null(PollInterval.AverageBetweenPosts([DateTimeOffset.UnixEpoch]));

    [Theory]
    [InlineData(5, 15)]
    [InlineData(180, 180)]
    [InlineData(60 * 24 * 7, 60 * 24)]
    public void The_rhythm_is_clamped_between_15_minutes_and_24_hours(int averageMinutes, int expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), PollInterval.ForFeed(TimeSpan.FromMinutes(averageMinutes), null, null, NoJitter));

    [Fact]
    public void A_longer_ttl_wins_over_the_rhythm() =>
        Assert.Equal(TimeSpan.FromHours(3), PollInterval.ForFeed(TimeSpan.FromHours(1), TimeSpan.FromHours(3), null, NoJitter));

    [Fact]
    public void A_longer_max_age_wins_over_the_rhythm() =>
        Assert.Equal(TimeSpan.FromHours(2), PollInterval.ForFeed(TimeSpan.FromMinutes(20), null, TimeSpan.FromHours(2), NoJitter));

    [Fact]
    public void Undated_feeds_are_polled_hourly() =>
        Assert.Equal(TimeSpan.FromHours(1), PollInterval.ForFeed(null, null, null, NoJitter));

    [Theory]
    [InlineData(0.0, 54)]
    [InlineData(0.999999, 66)]
    public void Jitter_spreads_by_ten_percent(double unit, int expectedMinutes) =>
        Assert.Equal(expectedMinutes, PollInterval.ForFeed(TimeSpan.FromHours(1), null, null, unit).TotalMinutes, precision: 0);

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(7, 960)]
    [InlineData(8, 1440)]
    [InlineData(30, 1440)]
    public void Errors_back_off_exponentially_up_to_a_day(int errors, int expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), PollInterval.Backoff(errors, null, NoJitter));

    [Fact]
    public void Retry_after_is_honoured_when_longer_than_the_backoff() =>
        Assert.Equal(TimeSpan.FromHours(5), PollInterval.Backoff(1, TimeSpan.FromHours(5), NoJitter));

    [Fact]
    public void Retry_after_is_capped_at_a_week() =>
        Assert.Equal(TimeSpan.FromDays(7), PollInterval.Backoff(1, TimeSpan.FromDays(30), NoJitter));
}
