using System.Net;
using System.Text;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Media;

/// <summary>Which image URLs of posts and icons go through the proxy (<c>FEEDSTAND_MEDIA_PROXY</c>).</summary>
public enum MediaProxyMode
{
    /// <summary>Only <c>http://</c> images: what an https page would block as mixed content.</summary>
    HttpOnly,
    All,
    None,
}

/// <summary>
/// Turns image URLs into signed <c>/media/…</c> paths when rendering a page: one string pass over
/// sanitized HTML (<c>img src/srcset</c>, <c>picture source srcset</c>, <c>video poster</c>). The stored
/// HTML is never changed, so switching the mode takes effect on the next render.
/// </summary>
public sealed class MediaLinks(MediaSigner signer, IOptions<FeedstandOptions> options)
{
    public MediaProxyMode Mode { get; } = ParseMode(options.Value.MediaProxy);

    public static MediaProxyMode ParseMode(string? value) => value switch
    {
        "all" => MediaProxyMode.All,
        "none" => MediaProxyMode.None,
        _ => MediaProxyMode.HttpOnly,
    };

    /// <summary>Whether the mode sends this URL through the proxy.</summary>
    public bool ShouldProxy(string? url) =>
        signer.HasKey && url is not null && Mode switch
        {
            MediaProxyMode.HttpOnly => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase),
            MediaProxyMode.All => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };

    /// <summary>The URL to put in a page for an image: the signed proxy path, or the URL itself.</summary>
    public string? ImageUrl(string? url) => url is not null && ShouldProxy(url) ? signer.PathFor(url) : url;

    /// <summary>The sanitized HTML with its image URLs rewritten for the proxy (the same string when none is).</summary>
    public string RewriteHtml(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (Mode == MediaProxyMode.None || !signer.HasKey)
        {
            return html;
        }
        StringBuilder? output = null;
        var copied = 0;
        var i = html.IndexOf('<', StringComparison.Ordinal);
        while (i >= 0 && i < html.Length)
        {
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = close < 0 ? -1 : html.IndexOf('<', close + 3);
                continue;
            }
            var nameStart = i + 1;
            var j = nameStart;
            while (j < html.Length && char.IsAsciiLetterOrDigit(html[j]))
            {
                j++;
            }
            var name = html.AsSpan(nameStart, j - nameStart);
            var isMedia = name.Equals("img", StringComparison.OrdinalIgnoreCase)
                || name.Equals("source", StringComparison.OrdinalIgnoreCase)
                || name.Equals("video", StringComparison.OrdinalIgnoreCase);

            // Walk the attributes to the tag's end, honouring quotes (a '>' or '<' may sit in a quoted value).
            while (j < html.Length && html[j] != '>')
            {
                var c = html[j];
                if (char.IsWhiteSpace(c) || c == '/')
                {
                    j++;
                    continue;
                }
                var attributeStart = j;
                while (j < html.Length && !char.IsWhiteSpace(html[j]) && html[j] is not ('=' or '>' or '/'))
                {
                    j++;
                }
                var attribute = html.AsSpan(attributeStart, j - attributeStart);
                while (j < html.Length && char.IsWhiteSpace(html[j]))
                {
                    j++;
                }
                if (j >= html.Length || html[j] != '=')
                {
                    continue;
                }
                j++;
                while (j < html.Length && char.IsWhiteSpace(html[j]))
                {
                    j++;
                }
                int valueStart, valueEnd;
                if (j < html.Length && html[j] is '"' or '\'')
                {
                    var quote = html[j];
                    valueStart = j + 1;
                    valueEnd = html.IndexOf(quote, valueStart);
                    if (valueEnd < 0)
                    {
                        valueEnd = html.Length;
                    }
                    j = Math.Min(valueEnd + 1, html.Length);
                }
                else
                {
                    valueStart = j;
                    while (j < html.Length && !char.IsWhiteSpace(html[j]) && html[j] != '>')
                    {
                        j++;
                    }
                    valueEnd = j;
                }
                if (!isMedia)
                {
                    continue;
                }
                var kind = attribute.Equals("src", StringComparison.OrdinalIgnoreCase) || attribute.Equals("poster", StringComparison.OrdinalIgnoreCase) ? 1
                    : attribute.Equals("srcset", StringComparison.OrdinalIgnoreCase) ? 2
                    : 0;
                if (kind == 0)
                {
                    continue;
                }
                var value = html[valueStart..valueEnd];
                var rewritten = kind == 1 ? RewriteUrl(value) : RewriteSrcset(value);
                if (rewritten is null)
                {
                    continue;
                }
                output ??= new StringBuilder(html.Length + 256);
                output.Append(html, copied, valueStart - copied).Append(rewritten);
                copied = valueEnd;
            }
            i = j < html.Length ? html.IndexOf('<', j) : -1;
        }
        if (output is null)
        {
            return html;
        }
        return output.Append(html, copied, html.Length - copied).ToString();
    }

    /// <summary>The proxy path for one attribute value, or null to leave it.</summary>
    private string? RewriteUrl(string attributeValue)
    {
        var url = Decode(attributeValue).Trim();
        return ShouldProxy(url) ? signer.PathFor(url) : null;
    }

    /// <summary>A srcset with each candidate's URL rewritten ("url 2x, url 640w"), or null when none changes.</summary>
    private string? RewriteSrcset(string attributeValue)
    {
        var value = Decode(attributeValue);
        var output = new StringBuilder(value.Length + 128);
        var changed = false;
        var i = 0;
        while (i < value.Length)
        {
            while (i < value.Length && (char.IsWhiteSpace(value[i]) || value[i] == ','))
            {
                i++;
            }
            if (i >= value.Length)
            {
                break;
            }
            var urlStart = i;
            while (i < value.Length && !char.IsWhiteSpace(value[i]))
            {
                i++;
            }
            var url = value[urlStart..i];
            // A URL may end in commas that separate it from the next candidate ("a.png,b.png 2x").
            var trailingCommas = url.Length - url.TrimEnd(',').Length;
            url = url.TrimEnd(',');
            var descriptor = "";
            if (trailingCommas == 0)
            {
                var descriptorStart = i;
                while (i < value.Length && value[i] != ',')
                {
                    i++;
                }
                descriptor = value[descriptorStart..i].Trim();
            }
            if (output.Length > 0)
            {
                output.Append(", ");
            }
            if (ShouldProxy(url))
            {
                output.Append(signer.PathFor(url));
                changed = true;
            }
            else
            {
                output.Append(WebUtility.HtmlEncode(url));
            }
            if (descriptor.Length > 0)
            {
                output.Append(' ').Append(WebUtility.HtmlEncode(descriptor));
            }
        }
        return changed ? output.ToString() : null;
    }

    private static string Decode(string attributeValue) =>
        attributeValue.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(attributeValue) : attributeValue;
}
