namespace Feedstand.Feeds.Opml;

/// <summary>One feed of an OPML file.</summary>
/// <param name="XmlUrl">The feed's absolute http(s) URL.</param>
/// <param name="Categories">Lower-case, trimmed, distinct: enclosing folder titles, then the category attribute.</param>
public sealed record OpmlOutline(
    string XmlUrl,
    string? HtmlUrl,
    string? Title,
    string? Description,
    string? Language,
    IReadOnlyList<string> Categories);

/// <summary>The feeds of an OPML file (or of a plain list of feed URLs), each once.</summary>
/// <param name="Repeats">How many outlines named a feed URL already seen in the file (merged into the first).</param>
public sealed record OpmlDocument(string? Title, IReadOnlyList<OpmlOutline> Feeds, int Repeats = 0);

/// <summary>The input is no OPML document and no list of feed URLs.</summary>
public sealed class OpmlException : Exception
{
    public OpmlException(string message) : base(message) { }
    public OpmlException(string message, Exception inner) : base(message, inner) { }
    public OpmlException() { }
}
