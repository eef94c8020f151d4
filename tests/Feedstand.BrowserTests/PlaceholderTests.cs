namespace Feedstand.BrowserTests;

public class PlaceholderTests
{
    [Fact]
    public void Browser_tests_project_builds() => Assert.True(typeof(Microsoft.Playwright.IPage).IsInterface);
}
