using Feedstand.Feeds.Model;

namespace Feedstand.Feeds.People;

// Placeholder until the dates branch lands.
public static class PersonParser
{
    public static Person? Parse(string? text) => string.IsNullOrWhiteSpace(text) ? null : new Person(text.Trim());
}
