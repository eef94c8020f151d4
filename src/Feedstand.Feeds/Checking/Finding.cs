namespace Feedstand.Feeds.Checking;

/// <summary>How bad a finding is; the W3C Feed Validator's three levels.</summary>
public enum FindingLevel
{
    Error,
    Warning,
    Info,
}

/// <summary>The report's sections, in the order a page shows them.</summary>
public enum CheckSection
{
    Validity,
    Http,
    Readers,
    Rhythm,
    Discovery,
}

/// <summary>
/// One thing the check found. <see cref="Id"/> is the W3C Feed Validator's message class when the
/// validator reports the same thing (<c>MissingGuid</c>, <c>InvalidRFC2822Date</c>), otherwise our own name.
/// </summary>
public sealed record Finding(
    string Id,
    FindingLevel Level,
    CheckSection Section,
    string? Element,
    string? Parent,
    int Line,
    string Message,
    string Help);
