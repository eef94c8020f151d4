namespace Feedstand.Feeds.Tests;

/// <summary>Test documents copied next to the test binaries from tests/data.</summary>
internal static class TestData
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "data");

    public static string PathOf(string relative)
    {
        var path = Path.Combine(Root, relative);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Test data missing: {path}. It is copied from tests/data at build time.", path);
        }
        return path;
    }

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));
}
