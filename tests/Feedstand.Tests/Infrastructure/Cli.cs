using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Feedstand.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>A count from the refresh summary table ("fetched", "unchanged (304)"...).</summary>
    public int Count(string row)
    {
        var match = Regex.Match(Stdout, @"│\s*" + Regex.Escape(row) + @"\s*│\s*(\d+)\s*│");
        Assert.True(match.Success, $"no row '{row}' in:\n{Stdout}\n{Stderr}");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Runs the real program (feedstand.dll, copied next to the tests) as a child process.</summary>
public static class Cli
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "feedstand.dll");

    /// <param name="settings">FEEDSTAND_* variables without the prefix; other FEEDSTAND_* variables of this process are not passed on.</param>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string> settings, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("FEEDSTAND_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment["FEEDSTAND_" + key] = value;
        }
        return Process.Start(start)!;
    }

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IDictionary<string, string> settings, string? workingDirectory = null)
    {
        using var process = Start(args, settings, workingDirectory);
        return await CompleteAsync(process);
    }

    public static async Task<CliResult> CompleteAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The settings of a command run against a test database, loopback allowed.</summary>
    public static Dictionary<string, string> Settings(TestApp app) => new()
    {
        ["DB"] = app.ConnectionString,
        ["ALLOW_PRIVATE_ADDRESSES"] = "true",
        ["SEED"] = "false",
    };
}
