namespace Feedstand.Pages;

/// <summary>
/// Numbered pages of a counted list (the directory and tag pages, the admin's feed health): one
/// clamp of the page asked for, one page count, one Skip/Take.
/// </summary>
public static class Paging
{
    /// <summary>The page asked for, 1 when absent, kept between 1 and 100,000.</summary>
    public static int Number(int? page) => Math.Clamp(page ?? 1, 1, 100_000);

    /// <summary>How many pages <paramref name="total"/> items fill; at least one.</summary>
    public static int Count(int total, int pageSize) => Math.Max(1, (total + pageSize - 1) / pageSize);

    /// <summary>Page <paramref name="number"/> (from 1) of an ordered query.</summary>
    public static IQueryable<T> Page<T>(this IQueryable<T> query, int number, int pageSize) =>
        query.Skip((number - 1) * pageSize).Take(pageSize);
}
