namespace Feedstand.Tests;

public class OptionsTests
{
    [Fact]
    public void Default_database_is_sqlite_under_data() =>
        Assert.Equal("Data Source=data/feedstand.db", new Settings.FeedstandOptions().Db);
}
