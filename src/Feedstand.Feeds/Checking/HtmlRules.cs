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
        if (html.IndexOf('<') < 0)
        {
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Once(string id, string detail)
        {
            if (seen.Add(id))
            {
                report(id, detail);
            }
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
                report("SecurityRisk", $"the event handler {lower}");
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
