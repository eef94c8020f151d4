using Feedstand.Crawling;
using Feedstand.Feeds.Model;

namespace Feedstand.Tests.Crawling;

public class EntryMergeTests
{
    [Fact]
    public void An_entry_with_a_guid_is_keyed_by_it() =>
        Assert.Equal("urn:1", EntryMerge.KeyOf(new ParsedEntry { Id = "urn:1", Link = "https://a.example/1" }));

    [Fact]
    public void An_entry_without_guid_is_keyed_by_its_link() =>
        Assert.Equal("https://a.example/1", EntryMerge.KeyOf(new ParsedEntry { Link = "https://a.example/1", Title = "T" }));

    [Fact]
    public void An_entry_without_guid_or_link_is_keyed_by_a_hash_of_title_and_date()
    {
        var date = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var key = EntryMerge.KeyOf(new ParsedEntry { Title = "T", Published = date });

        Assert.StartsWith("hash:", key, StringComparison.Ordinal);
        Assert.Equal(key, EntryMerge.KeyOf(new ParsedEntry { Title = "T", Published = date, SummaryHtml = "changed" }));
        Assert.NotEqual(key, EntryMerge.KeyOf(new ParsedEntry { Title = "T", Published = date.AddDays(1) }));
    }

    [Fact]
    public void An_edited_body_changes_the_content_hash()
    {
        var before = new ParsedEntry { Id = "1", Title = "T", ContentHtml = "<p>one</p>" };
        var after = new ParsedEntry { Id = "1", Title = "T", ContentHtml = "<p>two</p>" };

        Assert.NotEqual(EntryMerge.ContentHashOf(before), EntryMerge.ContentHashOf(after));
        Assert.Equal(EntryMerge.ContentHashOf(before), EntryMerge.ContentHashOf(new ParsedEntry { Id = "1", Title = "T", ContentHtml = "<p>one</p>" }));
    }

    [Fact]
    public void Plain_text_drops_tags_and_decodes_entities() =>
        Assert.Equal("Fish & chips are good", EntryMerge.PlainText("<p>Fish &amp; <b>chips</b></p>\n<p>are   good</p>", 100));

    [Fact]
    public void A_date_in_the_future_sorts_as_now()
    {
        var now = new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(now, EntryMerge.SortDateOf(new ParsedEntry { Published = now.AddYears(1) }, now, now));
    }
}
