using System.Text.RegularExpressions;

namespace Feedstand.Tests.Web;

/// <summary>Every interface string is used, and every string the pages ask for exists in both languages.</summary>
public partial class UiTextTests
{
    /// <summary>The app's sources (.cs and .cshtml) but the table itself, read from the repository this test was built from.</summary>
    private static List<string> Sources()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Feedstand.slnx")))
        {
            folder = folder.Parent;
        }
        Assert.NotNull(folder);
        var app = Path.Combine(folder.FullName, "src", "Feedstand");
        return Directory.EnumerateFiles(app, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "UiText.cs")
            .Select(File.ReadAllText)
            .ToList();
    }

    [Fact]
    public void Every_key_a_page_asks_for_exists_in_both_languages()
    {
        var (english, chinese) = Feedstand.Web.UiText.Keys;
        var englishKeys = english.ToHashSet(StringComparer.Ordinal);
        var chineseKeys = chinese.ToHashSet(StringComparer.Ordinal);
        var asked = Sources().SelectMany(s => AskedKey().Matches(s).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        Assert.True(asked.Count > 50, $"only {asked.Count} keys found in the sources");
        Assert.Empty(asked.Where(k => !englishKeys.Contains(k)).Order());
        Assert.Empty(asked.Where(k => !chineseKeys.Contains(k)).Order());
    }

    [Fact]
    public void Every_key_is_used()
    {
        var sources = Sources();
        var literals = sources.SelectMany(s => QuotedKey().Matches(s).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        // Keys made at run time: T("status." + row.Status), T("check.level." + name).
        var prefixes = sources.SelectMany(s => DynamicPrefix().Matches(s).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        var unused = Feedstand.Web.UiText.Keys.English
            .Where(k => !literals.Contains(k) && !prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)))
            .Order().ToList();
        Assert.Empty(unused);
    }

    [GeneratedRegex("""\bT\("([A-Za-z0-9]+\.[A-Za-z0-9.]+)"[,)]""")]
    private static partial Regex AskedKey();

    [GeneratedRegex("\"([A-Za-z0-9]+\\.[A-Za-z0-9.]+)\"")]
    private static partial Regex QuotedKey();

    [GeneratedRegex("""T\("([A-Za-z0-9]+\.(?:[A-Za-z0-9]+\.)*)"\s*\+""")]
    private static partial Regex DynamicPrefix();
}
