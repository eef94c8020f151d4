using System.Diagnostics;
using System.Globalization;
using System.Text;
using Feedstand.Bench;

// dotnet Feedstand.Bench.dll PEER DIR ROUNDS
// Same method and RESULT line as `feedstand bench-parse` (src/Feedstand/Commands/BenchParseCommand.cs):
// every file read into memory first, one untimed pass counting failures, then ROUNDS timed passes.

if (args.Length != 3 || !Peers.All.TryGetValue(args[0], out var parse))
{
    Console.Error.WriteLine($"usage: Feedstand.Bench PEER DIR ROUNDS   (PEER: {string.Join(", ", Peers.All.Keys)})");
    return 1;
}
var peer = args[0];

// Feedstand reads every legacy encoding through the code-pages provider; the peers get it too.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
var directory = new DirectoryInfo(args[1]);
if (!directory.Exists)
{
    Console.Error.WriteLine($"bench: no such folder: {directory.FullName}");
    return 1;
}
if (!int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) || rounds < 1)
{
    Console.Error.WriteLine("bench: ROUNDS must be a whole number of at least 1");
    return 1;
}

var files = directory.EnumerateFiles("*", SearchOption.AllDirectories)
    .Where(f => f.Name != "MANIFEST.tsv")
    .OrderBy(f => f.FullName, StringComparer.Ordinal)
    .Select(f => (Path: Path.GetRelativePath(directory.FullName, f.FullName), Bytes: File.ReadAllBytes(f.FullName)))
    .ToArray();

// Untimed pass: which files does this peer fail on? Any exception is a failure: these are
// outside libraries, and a peer that throws on a document has not read it.
var failed = 0;
for (var i = 0; i < files.Length; i++)
{
    try
    {
        parse(files[i].Bytes);
    }
#pragma warning disable CA1031 // The boundary of a benchmark: every exception is a failed file.
    catch (Exception ex)
#pragma warning restore CA1031
    {
        failed++;
        Console.Error.WriteLine($"FAIL {files[i].Path}: {ex.GetType().Name}: {FirstLine(ex.Message)}");
    }
}

long totalBytes = files.Sum(f => (long)f.Bytes.Length);
var touched = 0L;
var clock = Stopwatch.StartNew();
for (var round = 0; round < rounds; round++)
{
    for (var i = 0; i < files.Length; i++)
    {
        try
        {
            touched += parse(files[i].Bytes);
        }
#pragma warning disable CA1031 // See the untimed pass.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Counted once in the untimed pass; timed here like any other file.
        }
    }
}
clock.Stop();

var seconds = clock.Elapsed.TotalSeconds;
var megabytes = totalBytes * (double)rounds / (1024 * 1024);
Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT peer={peer} files={files.Length} bytes={totalBytes} rounds={rounds} seconds={seconds:F3} mb_per_s={megabytes / seconds:F2} files_per_s={files.Length * rounds / seconds:F1} failed={failed}"));
GC.KeepAlive(touched);
return 0;

static string FirstLine(string message)
{
    var end = message.AsSpan().IndexOfAny('\r', '\n');
    return end < 0 ? message : message[..end];
}
