using System.Text.RegularExpressions;
using Feedstand.Crawling;
using Feedstand.Data;

namespace Feedstand.Web;

/// <summary>Checks shared by the submit, modify and admin forms; each returns the message key of the problem, or null.</summary>
public static partial class FormChecks
{
    public const int MaxUrlLength = 2048;
    public const int MaxTags = 10;

    /// <summary>An absolute http(s) URL; "example.com" becomes "https://example.com".</summary>
    public static string? Url(string? value, out string normalized)
    {
        normalized = (value ?? "").Trim();
        if (normalized.Length is 0 or > MaxUrlLength)
        {
            return "err.url";
        }
        if (!normalized.Contains("://", StringComparison.Ordinal))
        {
            normalized = "https://" + normalized;
        }
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0)
        {
            return "err.url";
        }
        normalized = uri.AbsoluteUri;
        return null;
    }

    /// <summary>Comma-separated tags, each lower-case letters, digits and dashes.</summary>
    public static string? Tags(string? value, out List<string> tags)
    {
        tags = [];
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tag = part.ToLowerInvariant();
            if (tag.Length > 80 || Slugs.Tag(tag) != tag)
            {
                return "err.tag";
            }
            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }
        return tags.Count > MaxTags ? "err.tag" : null;
    }

    public static string? Language(string? value) =>
        string.IsNullOrWhiteSpace(value) || LanguageTag().IsMatch(value.Trim()) ? null : "err.language";

    public static string? Length(string? value, int max) => value is not null && value.Length > max ? "err.tooLong" : null;

    /// <summary>The form's words for a failed discovery: the same wording as everywhere else (<see cref="FetchErrorText"/>).</summary>
    public static string FetchProblem(FetchError error) => FetchErrorText.Describe(error);

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]
    private static partial Regex LanguageTag();
}
