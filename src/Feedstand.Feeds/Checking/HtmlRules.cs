using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Feedstand.Feeds.Checking;

/// <summary>
/// The checks on HTML carried in a feed (escaped in RSS descriptions and Atom type="html"):
/// unsafe elements and event handlers (<c>SecurityRisk</c>), unsafe styles (<c>DangerousStyleAttr</c>),
/// unknown elements and broken tags (<c>NotHtml</c>).
/// </summary>
internal static class HtmlRules
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    /// <summary>Calls <paramref name="report"/> with (id, detail) for each problem, each id at most once.</summary>
    public static void Check(string html, Action<string, string> report)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Once(string id, string detail)
        {
            if (seen.Add(id))
            {
                report(id, detail);
            }
        }

        if (HasC1Reference(html))
        {
            Once("NotHtml", "a character reference to a C1 control character (a double-escaped Windows-1252 quote?)");
        }
        if (html.IndexOf('<') < 0)
        {
            return;
        }
        if (HasBrokenTag(html))
        {
            Once("NotHtml", "a tag is not closed");
        }
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html);
        foreach (var element in document.Body!.Descendants<IElement>())
        {
            CheckElement(element.LocalName, element.Attributes.Select(a => (a.Name, a.Value)), Once);
        }
        foreach (var element in document.Head!.Children)
        {
            CheckElement(element.LocalName, element.Attributes.Select(a => (a.Name, a.Value)), Once);
        }
    }

    public static void CheckElement(string localName, IEnumerable<(string Name, string Value)> attributes, Action<string, string> report)
    {
        var name = localName.ToLowerInvariant();
        if (HtmlNames.IsUnsafe(name))
        {
            report("SecurityRisk", $"<{name}>");
        }
        else if (!HtmlNames.IsElement(name))
        {
            report("NotHtml", $"<{name}> is not an HTML element");
        }
        foreach (var (attribute, value) in attributes)
        {
            var lower = attribute.ToLowerInvariant();
            if (lower.StartsWith("on", StringComparison.Ordinal) && lower.Length > 2)
            {
                report("SecurityRiskAttr", $"the event handler {lower}");
            }
            else if (lower == "style" && !HtmlNames.IsSafeStyle(value))
            {
                report("DangerousStyleAttr", value);
            }
            else if (lower is "href" or "src" && value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                report("SecurityRisk", "a javascript: URL");
            }
        }
    }

    private static bool HasC1Reference(string html)
    {
        for (var i = html.IndexOf("&#", StringComparison.Ordinal); i >= 0; i = html.IndexOf("&#", i + 2, StringComparison.Ordinal))
        {
            var j = i + 2;
            var hex = j < html.Length && html[j] is 'x' or 'X';
            if (hex)
            {
                j++;
            }
            var start = j;
            while (j < html.Length && (hex ? Uri.IsHexDigit(html[j]) : char.IsAsciiDigit(html[j])))
            {
                j++;
            }
            if (j > start && j - start <= 6
                && int.TryParse(html.AsSpan(start, j - start), hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
                && code is >= 0x80 and <= 0x9F)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A '&lt;' that starts a tag which never closes (<c>&lt;a</c> at the end of the text).</summary>
    private static bool HasBrokenTag(string html)
    {
        for (var i = html.IndexOf('<'); i >= 0; i = html.IndexOf('<', i + 1))
        {
            if (i + 1 < html.Length && (char.IsAsciiLetter(html[i + 1]) || html[i + 1] == '/'))
            {
                var close = html.IndexOf('>', i);
                var next = html.IndexOf('<', i + 1);
                if (close < 0 || (next >= 0 && next < close))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
