using Feedstand.Tests.Infrastructure;

namespace Feedstand.Tests.Commands;

/// <summary>parse and check read their inputs the same way (Commands/InputFile).</summary>
public class InputFileTests
{
    [Theory]
    [InlineData("parse")]
    [InlineData("check")]
    public async Task A_missing_file_is_named_on_stderr_with_exit_code_1(string command)
    {
        var missing = Path.Combine(Path.GetTempPath(), "feedstand-missing-" + Guid.NewGuid().ToString("N") + ".xml");

        var result = await Cli.RunAsync([command, missing], new Dictionary<string, string>());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{command}: {missing}: file not found", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parse", "\"title\"")]
    [InlineData("check", "\"findings\"")]
    public async Task A_file_is_read_whole(string command, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), "feedstand-input-" + Guid.NewGuid().ToString("N") + ".xml");
        await File.WriteAllTextAsync(path, """<rss version="2.0"><channel><title>T</title><link>https://a.example/</link><description>d</description></channel></rss>""", TestContext.Current.CancellationToken);
        try
        {
            var result = await Cli.RunAsync([command, path], new Dictionary<string, string>());

            Assert.Equal(0, result.ExitCode);
            Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
