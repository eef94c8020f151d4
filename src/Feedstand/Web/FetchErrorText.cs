using Feedstand.Crawling;

namespace Feedstand.Web;

/// <summary>
/// One wording per fetch failure, in the reader's language, wherever a failure is shown: the
/// preview and submit forms, a listed feed's health line and empty state, the admin pages.
/// The fetcher's own English message stays in the logs and the database.
/// </summary>
public static class FetchErrorText
{
    public static string Describe(FetchError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Describe(error.Kind.ToString(), error.Status);
    }

    /// <summary><paramref name="kind"/> as stored (<c>FetchState.LastErrorKind</c>); an unknown or missing kind gets the generic wording.</summary>
    public static string Describe(string? kind, int? status)
    {
        if (!Enum.TryParse<FetchErrorKind>(kind, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
        {
            return UiText.T("fetchError.other");
        }
        return parsed == FetchErrorKind.HttpStatus && status is { } code
            ? UiText.T("fetchError.HttpStatusCode", code)
            : UiText.T("fetchError." + parsed);
    }
}
