using System.Collections.Frozen;

namespace Feedstand.Feeds.Dates;

internal enum DateWordKind : byte
{
    Month,
    Weekday,
    Zone,
    MilitaryZone,
    Filler,
    Meridiem,
}

/// <summary>What a word in a date means: a month (1–12), a weekday, a zone (offset in minutes), a filler, AM (0) or PM (12).</summary>
internal readonly record struct DateWord(DateWordKind Kind, short Value, bool IsAlsoWeekday = false);

/// <summary>
/// The words met in real feed dates, matched case-insensitively: month and weekday names in the languages common in
/// feeds, time-zone abbreviations, and fillers ("de", "um", "th").
/// </summary>
internal static class DateWords
{
    public const int MaxWordLength = 16;

    public static readonly FrozenDictionary<string, DateWord>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Build().GetAlternateLookup<ReadOnlySpan<char>>();

    private static FrozenDictionary<string, DateWord> Build()
    {
        var words = new Dictionary<string, DateWord>(StringComparer.OrdinalIgnoreCase);

        string[][] months =
        [
            ["jan", "january", "januar", "jän", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari", "январь", "января", "янв"],
            ["feb", "february", "februar", "février", "fevrier", "févr", "fevr", "fév", "fev", "febrero", "febbraio", "fevereiro", "februari", "февраль", "февраля", "фев", "февр"],
            ["mar", "march", "märz", "marz", "maerz", "mär", "mrz", "mars", "marzo", "março", "marco", "maart", "mrt", "март", "марта", "мар"],
            ["apr", "april", "avril", "avr", "abril", "abr", "aprile", "апрель", "апреля", "апр"],
            ["may", "mai", "mayo", "maggio", "mag", "maio", "mei", "май", "мая"],
            ["jun", "june", "juni", "juin", "junio", "giugno", "giu", "junho", "июнь", "июня", "июн"],
            ["jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "июль", "июля", "июл"],
            ["aug", "august", "août", "aout", "aoû", "agosto", "ago", "augustus", "август", "августа", "авг"],
            ["sep", "sept", "september", "septembre", "septiembre", "setiembre", "set", "settembre", "setembro", "сентябрь", "сентября", "сен", "сент"],
            ["oct", "october", "okt", "oktober", "octobre", "octubre", "ottobre", "ott", "outubro", "out", "октябрь", "октября", "окт"],
            ["nov", "november", "novembre", "noviembre", "novembro", "ноябрь", "ноября", "ноя", "нояб"],
            ["dec", "december", "dez", "dezember", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre", "dezembro", "декабрь", "декабря", "дек"],
        ];
        for (var month = 0; month < months.Length; month++)
        {
            foreach (var name in months[month])
            {
                words.Add(name, new DateWord(DateWordKind.Month, (short)(month + 1)));
            }
        }

        string[] weekdays =
        [
            "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday",
            "fri", "friday", "sat", "saturday", "sun", "sunday",
            "mo", "montag", "di", "dienstag", "mi", "mittwoch", "do", "donnerstag", "fr", "freitag", "sa", "samstag",
            "sonnabend", "so", "sonntag",
            "lun", "lundi", "mar", "mardi", "mer", "mercredi", "jeu", "jeudi", "ven", "vendredi", "sam", "samedi",
            "dim", "dimanche",
            "lunes", "martes", "mié", "mie", "miércoles", "miercoles", "jue", "jueves", "vie", "viernes", "sáb", "sab",
            "sábado", "sabado", "dom", "domingo",
            "lunedì", "lunedi", "martedì", "martedi", "mercoledì", "mercoledi", "gio", "giovedì", "giovedi",
            "venerdì", "venerdi", "sabato", "domenica",
            "seg", "segunda", "ter", "terça", "terca", "qua", "quarta", "qui", "quinta", "sex", "sexta",
            "ma", "maandag", "dinsdag", "wo", "woensdag", "donderdag", "vr", "vrijdag", "za", "zaterdag", "zo", "zondag",
            "пн", "понедельник", "вт", "вторник", "ср", "среда", "чт", "четверг", "пт", "пятница", "сб", "суббота",
            "вс", "воскресенье",
        ];
        foreach (var name in weekdays)
        {
            // "mar" is March and the French/Spanish/Italian Tuesday: the scanner decides by position.
            if (words.TryGetValue(name, out var existing))
            {
                words[name] = existing with { IsAlsoWeekday = true };
            }
            else
            {
                words.TryAdd(name, new DateWord(DateWordKind.Weekday, 0));
            }
        }

        (string Name, short Minutes)[] zones =
        [
            ("gmt", 0), ("ut", 0), ("utc", 0), ("z", 0), ("wet", 0),
            ("est", -5 * 60), ("edt", -4 * 60), ("cst", -6 * 60), ("cdt", -5 * 60),
            ("mst", -7 * 60), ("mdt", -6 * 60), ("pst", -8 * 60), ("pdt", -7 * 60),
            ("ast", -4 * 60), ("adt", -3 * 60), ("hst", -10 * 60), ("akst", -9 * 60), ("akdt", -8 * 60),
            ("bst", 60), ("cet", 60), ("cest", 120), ("mez", 60), ("mesz", 120), ("west", 60),
            ("eet", 120), ("eest", 180), ("msk", 180), ("ist", 330),
            ("sgt", 480), ("hkt", 480), ("awst", 480), ("jst", 540), ("kst", 540),
            ("acst", 570), ("acdt", 630), ("aest", 600), ("aedt", 660), ("nzst", 720), ("nzdt", 780),
        ];
        foreach (var (name, minutes) in zones)
        {
            words.Add(name, new DateWord(DateWordKind.Zone, minutes));
        }

        // Military zones as RFC 822 §5.1 lists them (A = -1 … M = -12, N = +1 … Y = +12), the reading feedparser
        // also uses. RFC 1123 notes the signs are backwards; feeds that use them follow the RFC 822 table.
        for (var letter = 'a'; letter <= 'y'; letter++)
        {
            if (letter == 'j')
            {
                continue;
            }

            var hours = letter switch
            {
                <= 'i' => -(letter - 'a' + 1),
                <= 'm' => -(letter - 'a'),
                _ => letter - 'n' + 1,
            };
            words.Add(letter.ToString(), new DateWord(DateWordKind.MilitaryZone, (short)(hours * 60)));
        }

        string[] fillers = ["at", "de", "del", "um", "uhr", "à", "le", "den", "om", "of", "г", "года", "feira", "st", "nd", "rd", "th", "er"];
        foreach (var name in fillers)
        {
            words.Add(name, new DateWord(DateWordKind.Filler, 0));
        }

        foreach (var name in (string[])["am", "上午", "午前", "오전"])
        {
            words.Add(name, new DateWord(DateWordKind.Meridiem, 0));
        }

        foreach (var name in (string[])["pm", "下午", "午後", "오후"])
        {
            words.Add(name, new DateWord(DateWordKind.Meridiem, 12));
        }

        return words.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
