using System.Globalization;
using Feedstand.Feeds.Dates;

namespace Feedstand.Feeds.Tests.Dates;

public class DateParserTests
{
    private const string Seven = "2025-10-26T19:00:00Z";

    /// <summary>Date strings as real feeds write them, and the UTC instant each one means.</summary>
    public static TheoryData<string, string> RealWorldDates => new()
    {
        // RFC 822 / 1123 / 2822
        { "Sun, 26 Oct 2025 19:00:00 +0000", Seven },
        { "Sun, 26 Oct 2025 19:00:00 GMT", Seven },
        { "Sun, 26 Oct 2025 19:00:00 UT", Seven },
        { "Sun, 26 Oct 2025 19:00:00 UTC", Seven },
        { "Sun, 26 Oct 2025 19:00:00 Z", Seven },
        { "Sun, 26 Oct 2025 19:00:00 -0000", Seven },
        { "26 Oct 2025 19:00:00 +0000", Seven },
        { "26 Oct 2025 19:00 GMT", Seven },
        { "Sun, 26 Oct 2025 19:00 +0000", Seven },
        { "Sat, 4 Oct 2025 09:05:07 +0000", "2025-10-04T09:05:07Z" },
        { "Sat, 04 Oct 2025 09:05:07 +0000", "2025-10-04T09:05:07Z" },
        { "Sun, 26 Oct 25 19:00:00 GMT", Seven },
        { "Tue, 26 Oct 99 19:00:00 GMT", "1999-10-26T19:00:00Z" },
        { "Sun, 26 Oct 2025 19:00:00 -0800", "2025-10-27T03:00:00Z" },
        { "Sun, 26 Oct 2025 19:00:00 -08:00", "2025-10-27T03:00:00Z" },
        { "Sun, 26 Oct 2025 19:00:00 +05:30", "2025-10-26T13:30:00Z" },
        { "Sun, 26 Oct 2025 19:00:00 +0530", "2025-10-26T13:30:00Z" },
        { "Mon, 27 Oct 2025 03:00:00 +0800", Seven },
        { "Wed, 31 Dec 2025 23:00:00 -0200", "2026-01-01T01:00:00Z" },
        { "Thu, 29 Feb 2024 12:00:00 GMT", "2024-02-29T12:00:00Z" },
        { "Sun, 26 Oct 2025 19:00:00", Seven },
        { "  Sun, 26 Oct 2025 19:00:00 GMT \n", Seven },
        { "Sun, 26 Oct 2025 19:00:00.123 GMT", "2025-10-26T19:00:00.123Z" },

        // Named zones
        { "Sun, 26 Oct 2025 14:00:00 EST", Seven },
        { "Sun, 26 Oct 2025 15:00:00 EDT", Seven },
        { "Sun, 26 Oct 2025 13:00:00 CST", Seven },
        { "Sun, 26 Oct 2025 14:00:00 CDT", Seven },
        { "Sun, 26 Oct 2025 12:00:00 MST", Seven },
        { "Sun, 26 Oct 2025 13:00:00 MDT", Seven },
        { "Sun, 26 Oct 2025 11:00:00 PST", Seven },
        { "Sun, 26 Oct 2025 12:00:00 PDT", Seven },
        { "Sun, 26 Oct 2025 20:00:00 BST", Seven },
        { "Sun, 26 Oct 2025 20:00:00 CET", Seven },
        { "Sun, 26 Oct 2025 21:00:00 CEST", Seven },
        { "Sun, 26 Oct 2025 21:00:00 EET", Seven },
        { "Sun, 26 Oct 2025 22:00:00 EEST", Seven },
        { "Mon, 27 Oct 2025 00:30:00 IST", Seven },
        { "Mon, 27 Oct 2025 04:00:00 JST", Seven },
        { "Mon, 27 Oct 2025 04:00:00 KST", Seven },
        { "Mon, 27 Oct 2025 03:00:00 HKT", Seven },
        { "Mon, 27 Oct 2025 03:00:00 SGT", Seven },
        { "Mon, 27 Oct 2025 05:00:00 AEST", Seven },
        { "Mon, 27 Oct 2025 06:00:00 AEDT", Seven },
        { "Mon, 27 Oct 2025 07:00:00 NZST", Seven },
        { "Mon, 27 Oct 2025 08:00:00 NZDT", Seven },
        { "Sun, 26 Oct 2025 22:00:00 MSK", Seven },
        { "Sun, 26 Oct 2025 19:00:00 WET", Seven },
        { "Sun, 26 Oct 2025 20:00:00 WEST", Seven },
        { "Sun, 26 Oct 2025 09:00:00 HST", Seven },
        { "Sun, 26 Oct 2025 10:00:00 AKST", Seven },
        { "Sun, 26 Oct 2025 11:00:00 AKDT", Seven },
        { "sun, 26 oct 2025 11:00:00 pst", Seven },
        { "Sun, 26 Oct 2025 19:00:00 GMT+8", "2025-10-26T11:00:00Z" },
        { "Sun, 26 Oct 2025 19:00:00 GMT+0800", "2025-10-26T11:00:00Z" },
        { "Sun, 26 Oct 2025 19:00:00 UTC-05:00", "2025-10-27T00:00:00Z" },
        { "Sun, 26 Oct 2025 19:00:00 -0800 (PST)", "2025-10-27T03:00:00Z" },

        // Military zones, with the RFC 822 signs (A = -1, M = -12, N = +1, Y = +12)
        { "Sun, 26 Oct 2025 18:00:00 A", Seven },
        { "Sun, 26 Oct 2025 07:00:00 M", Seven },
        { "Sun, 26 Oct 2025 20:00:00 N", Seven },
        { "Mon, 27 Oct 2025 07:00:00 Y", Seven },

        // Names, case, punctuation, order
        { "sun, 26 oct 2025 19:00:00 gmt", Seven },
        { "SUN, 26 OCT 2025 19:00:00 GMT", Seven },
        { "Sunday, 26 October 2025 19:00:00 GMT", Seven },
        { "Sunday, 26 October 2025", "2025-10-26T00:00:00Z" },
        { "Fri, 26 Sept. 2025 19:00:00 GMT", "2025-09-26T19:00:00Z" },
        { "Sun, 26 Oct, 2025 19:00:00 GMT", Seven },
        { "Sun 26 Oct 2025 19:00:00 GMT", Seven },
        { "Sun,26 Oct 2025 19:00:00 GMT", Seven },
        { "26-Oct-2025 19:00:00 GMT", Seven },
        { "Oct 26 2025 19:00:00 GMT", Seven },
        { "Sun Oct 26 19:00:00 2025", Seven },
        { "Mon Oct  6 19:00:00 2025", "2025-10-06T19:00:00Z" },
        { "Sun Oct 26 19:00:00 +0000 2025", Seven },
        { "Sun Oct 26 19:00:00 UTC 2025", Seven },
        { "Sun Oct 26 2025 19:00:00 GMT+0000 (Coordinated Universal Time)", Seven },
        { "Sun Oct 26 2025 21:00:00 GMT+0200 (Central European Summer Time)", Seven },
        { "Sun, 26 Oct 2025 9:00:00 GMT", "2025-10-26T09:00:00Z" },
        { "Sun, 26 Oct 2025 24:00:00 GMT", "2025-10-27T00:00:00Z" },
        { "October 26, 2025", "2025-10-26T00:00:00Z" },
        { "October 26, 2025 7:00 PM", Seven },
        { "October 26th, 2025 at 7:00 pm", Seven },
        { "Oct 26, 2025 7:00:00 AM", "2025-10-26T07:00:00Z" },
        { "Oct 26, 2025 12:00 AM", "2025-10-26T00:00:00Z" },
        { "Oct 26, 2025 12:30 p.m.", "2025-10-26T12:30:00Z" },
        { "Oct 2025", "2025-10-01T00:00:00Z" },

        // W3CDTF / ISO 8601 / RFC 3339
        { "2025-10-26T19:00:00Z", Seven },
        { "2025-10-26T19:00:00z", Seven },
        { "2025-10-26t19:00:00Z", Seven },
        { "2025-10-26T19:00:00.5Z", "2025-10-26T19:00:00.5Z" },
        { "2025-10-26T19:00:00.123Z", "2025-10-26T19:00:00.123Z" },
        { "2025-10-26T19:00:00.123456Z", "2025-10-26T19:00:00.123456Z" },
        { "2025-10-26T19:00:00.1234567Z", "2025-10-26T19:00:00.1234567Z" },
        { "2025-10-26T19:00:00.123456789Z", "2025-10-26T19:00:00.1234567Z" },
        { "2025-10-26T19:00:00,5Z", "2025-10-26T19:00:00.5Z" },
        { "2025-10-26T19:00:00.000000000+00:00", Seven },
        { "2025-10-26T19:00:00+05:30", "2025-10-26T13:30:00Z" },
        { "2025-10-26T19:00:00+0530", "2025-10-26T13:30:00Z" },
        { "2025-10-26T19:00:00+05", "2025-10-26T14:00:00Z" },
        { "2025-10-26T19:00:00-07:00", "2025-10-27T02:00:00Z" },
        { "2025-10-26T19:00:00.000-07:00", "2025-10-27T02:00:00Z" },
        { "2025-10-26T19:00:00 +05:30", "2025-10-26T13:30:00Z" },
        { "2025-10-26T19:00:00\u221205:00", "2025-10-27T00:00:00Z" },
        { "2025-10-26 19:00:00Z", Seven },
        { "2025-10-26 19:00:00", Seven },
        { "2025-10-26 19:00", Seven },
        { "2025-10-26T19:00:00", Seven },
        { "2025-10-26T19:00Z", Seven },
        { "2025-10-26T20:00+01:00", Seven },
        { "2025-10-26 19:00:00 +0000 UTC", Seven },
        { "2025-10-26T24:00:00Z", "2025-10-27T00:00:00Z" },
        { "2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z" },
        { "2025-10-26", "2025-10-26T00:00:00Z" },
        { "2025-10-26+02:00", "2025-10-25T22:00:00Z" },
        { "2025-10", "2025-10-01T00:00:00Z" },
        { "2025", "2025-01-01T00:00:00Z" },
        { "20251026T190000Z", Seven },
        { "20251026T200000+0100", Seven },
        { "20251026T1900Z", Seven },
        { "20251026T190000.25Z", "2025-10-26T19:00:00.25Z" },
        { "20251026", "2025-10-26T00:00:00Z" },
        { "20251026190000", Seven },
        { " 2025-10-26T19:00:00Z ", Seven },

        // German
        { "So, 26 Okt 2025 19:00:00 +0000", Seven },
        { "26. Oktober 2025 19:00", Seven },
        { "Mi, 26 Mär 2025 19:00:00 +0100", "2025-03-26T18:00:00Z" },
        { "26. März 2025", "2025-03-26T00:00:00Z" },
        { "1. Mai 2025 um 19:00 Uhr", "2025-05-01T19:00:00Z" },
        { "Fr, 26 Dez 2025 19:00:00 +0100", "2025-12-26T18:00:00Z" },

        // French
        { "dim., 26 oct. 2025 19:00:00 +0100", "2025-10-26T18:00:00Z" },
        { "26 févr. 2025", "2025-02-26T00:00:00Z" },
        { "26 déc. 2025 19:00", "2025-12-26T19:00:00Z" },
        { "mar., 15 juil. 2025 19:00:00 +0200", "2025-07-15T17:00:00Z" },
        { "mar 15 juil 2025 19:00", "2025-07-15T19:00:00Z" },
        { "1er août 2025", "2025-08-01T00:00:00Z" },
        { "26 oct. 2025 à 19h00", Seven },

        // Spanish
        { "dom, 26 oct 2025 19:00:00 +0000", Seven },
        { "26 de octubre de 2025", "2025-10-26T00:00:00Z" },
        { "15 ene 2025", "2025-01-15T00:00:00Z" },
        { "15 abr 2025 10:00", "2025-04-15T10:00:00Z" },
        { "15 ago 2025", "2025-08-15T00:00:00Z" },
        { "15 dic 2025", "2025-12-15T00:00:00Z" },
        { "sáb, 15 mar 2025 19:00:00 +0100", "2025-03-15T18:00:00Z" },

        // Italian
        { "domenica 26 ottobre 2025, 19:00", Seven },
        { "15 gen 2025", "2025-01-15T00:00:00Z" },
        { "1 mag 2025", "2025-05-01T00:00:00Z" },
        { "15 set 2025", "2025-09-15T00:00:00Z" },

        // Portuguese
        { "26 de outubro de 2025", "2025-10-26T00:00:00Z" },
        { "domingo, 26 de out. de 2025 19:00", Seven },
        { "segunda-feira, 27 de outubro de 2025", "2025-10-27T00:00:00Z" },
        { "15 fev 2025", "2025-02-15T00:00:00Z" },

        // Dutch
        { "26 okt 2025", "2025-10-26T00:00:00Z" },
        { "15 mrt 2025", "2025-03-15T00:00:00Z" },
        { "15 mei 2025", "2025-05-15T00:00:00Z" },
        { "zo 26 oktober 2025 19:00", Seven },

        // Russian
        { "26 окт 2025 19:00", Seven },
        { "26 октября 2025 г. 19:00", Seven },
        { "вс, 26 окт 2025 22:00:00 +0300", Seven },
        { "1 мая 2025", "2025-05-01T00:00:00Z" },

        // Chinese, Japanese, Korean
        { "2025年10月26日 19:00", Seven },
        { "2025年10月26日", "2025-10-26T00:00:00Z" },
        { "2025年10月26日(日) 19:00", Seven },
        { "2025年10月26日 19時00分", Seven },
        { "2025年10月26日 下午 7:00", Seven },
        { "2025년 10월 26일 19:00", Seven },
        { "2025/10/26 19:00:00", Seven },
        { "2025/10/26", "2025-10-26T00:00:00Z" },

        // Numeric day-month-year and month/day/year
        { "26.10.2025 19:00", Seven },
        { "26.10.2025", "2025-10-26T00:00:00Z" },
        { "26.10.25", "2025-10-26T00:00:00Z" },
        { "26.10.2025 19.00", Seven },
        { "2025.10.26", "2025-10-26T00:00:00Z" },
        { "26-10-2025", "2025-10-26T00:00:00Z" },
        { "26/10/2025", "2025-10-26T00:00:00Z" },
        { "10/26/2025 7:00 PM", Seven },

        // Unix seconds
        { "1761505200", Seven },
        { "999999999", "2001-09-09T01:46:39Z" },
    };

    public static TheoryData<string> NotDates => new()
    {
        "not a date",
        "",
        "   ",
        "2025-13-01",
        "2025-00-10",
        "0000-00-00 00:00:00",
        "32 Oct 2025",
        "2025-02-30",
        "Sun, 30 Feb 2025 19:00:00 GMT",
        "29 Feb 2025",
        "2025-10-26T25:00:00Z",
        "2025-10-26T19:60:00Z",
        "2025-10-26T24:30:00Z",
        "2025-10-26T19:00:00+25:00",
        "Sun, 26 Oct 2025 19:00:00 XYZ",
        "26 Foo 2025",
        "Sun, 26 Oct 2025 13:00 PM",
        "Oct 26",
        "19:00:00",
        "tomorrow",
        "null",
        "NaN",
        "0",
        "12345",
        "99999999999",
        "9999-12-31T23:59:59-01:00",
        "2025-10-26T19:00:00Z and more",
        "<pubDate>",
        "26 Oct 2025 26 Oct 2025",
    };

    [Theory, MemberData(nameof(RealWorldDates))]
    public void Real_world_date_is_read_as_its_utc_instant(string text, string expectedUtc) =>
        Assert.Equal(expectedUtc, Iso(DateParser.Parse(text)));

    [Theory, MemberData(nameof(NotDates))]
    public void Text_that_is_no_valid_date_is_null(string text) =>
        Assert.Null(DateParser.Parse(text));

    [Theory]
    [InlineData("Sun, 26 Oct 2025 19:00:00 -0800")]
    [InlineData("2025-10-26T19:00:00+05:30")]
    [InlineData("26.10.2025 19:00")]
    public void Result_is_expressed_in_utc(string text)
    {
        var parsed = DateParser.Parse(text);
        Assert.NotNull(parsed);
        Assert.Equal(TimeSpan.Zero, parsed.Value.Offset);
    }

    [Fact]
    public void Try_parse_agrees_with_parse()
    {
        Assert.True(DateParser.TryParse("Sun, 26 Oct 2025 19:00:00 GMT", out var utc));
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 19, 0, 0, TimeSpan.Zero), utc);
        Assert.False(DateParser.TryParse("32 Oct 2025", out _));
    }

    [Fact]
    public void A_date_inside_a_larger_buffer_is_read_from_its_slice()
    {
        var buffer = "<pubDate>Sun, 26 Oct 2025 19:00:00 GMT</pubDate>".AsSpan();
        Assert.Equal(Seven, Iso(DateParser.Parse(buffer[9..^10])));
    }

    [Fact]
    public void Every_prefix_of_a_real_date_is_read_or_null_without_throwing()
    {
        string[] dates =
        [
            "Sun, 26 Oct 2025 19:00:00 -0800 (PST)",
            "2025-10-26T19:00:00.123456789+05:30",
            "20251026T190000.25Z",
            "2025年10月26日 19時00分",
            "Oct 26, 2025 12:30 p.m.",
            "Sun, 26 Oct 2025 19:00:00 UTC-05:00",
        ];
        var read = 0;
        foreach (var date in dates)
        {
            for (var length = 0; length <= date.Length; length++)
            {
                if (DateParser.Parse(date.AsSpan(0, length)) is not null)
                {
                    read++;
                }
            }
        }

        // The whole strings and several of their prefixes ("2025-10-26", "Sun, 26 Oct 2025") are dates.
        Assert.True(read > dates.Length, $"only {read} prefixes were read");
    }

    [Fact]
    public void Out_of_range_extremes_are_null_not_exceptions()
    {
        Assert.Null(DateParser.Parse("0001-01-01T00:00:00+01:00"));
        Assert.Null(DateParser.Parse("9999-12-31T24:00:00Z"));
        Assert.Equal("0001-01-01T00:00:00Z", Iso(DateParser.Parse("0001-01-01T00:00:00Z")));
        Assert.Equal("9999-12-31T23:59:59Z", Iso(DateParser.Parse("9999-12-31T23:59:59Z")));
    }

    private static string? Iso(DateTimeOffset? value) =>
        value?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
