using Feedstand.Pages;

namespace Feedstand.Tests.Web;

/// <summary>The one pager of the directory, tag pages and the admin's health list.</summary>
public class PagingTests
{
    [Theory]
    [InlineData(null, 1)]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(7, 7)]
    [InlineData(int.MaxValue, 100_000)]
    public void The_page_asked_for_is_kept_in_range(int? asked, int expected) =>
        Assert.Equal(expected, Paging.Number(asked));

    [Theory]
    [InlineData(0, 24, 1)]
    [InlineData(24, 24, 1)]
    [InlineData(25, 24, 2)]
    [InlineData(101, 50, 3)]
    public void Pages_are_counted_rounding_up_with_at_least_one(int total, int size, int expected) =>
        Assert.Equal(expected, Paging.Count(total, size));

    [Fact]
    public void A_page_of_a_query_skips_the_pages_before_it() =>
        Assert.Equal([6, 7, 8], Enumerable.Range(0, 10).AsQueryable().Page(3, 3));
}
