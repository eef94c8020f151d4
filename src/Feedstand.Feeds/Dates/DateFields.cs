namespace Feedstand.Feeds.Dates;

/// <summary>The parts of a date as the scanner finds them; <see cref="TryBuild"/> checks ranges and makes the UTC instant.</summary>
internal struct DateFields
{
    public const int Am = 1;
    public const int Pm = 2;

    public int Year;
    public int YearDigits;
    public int Month;
    public int Day;
    public bool IsYearMonthOnly;
    public bool IsMonthAlsoWeekday;

    public bool HasTime;
    public bool IsAfterT;
    public int Hour;
    public int Minute;
    public int Second;
    public long FractionTicks;
    public int Meridiem;

    public bool HasZone;
    public int OffsetMinutes;

    public bool IsUnix;
    public long UnixSeconds;

    public readonly bool HasYear => YearDigits > 0;

    public readonly bool HasAnyDatePart => YearDigits > 0 || Month != 0 || Day != 0;

    public readonly bool HasFullDate => YearDigits > 0 && Month != 0 && Day != 0;

    public void SetYear(int value, int digits)
    {
        Year = value;
        YearDigits = digits;
    }

    public bool TrySetYear(int value, int digits)
    {
        if (HasYear)
        {
            return false;
        }

        SetYear(value, digits);
        return true;
    }

    public bool TrySetMonth(int value)
    {
        if (Month != 0 || value == 0)
        {
            return false;
        }

        Month = value;
        return true;
    }

    public bool TrySetDay(int value)
    {
        if (Day != 0 || value == 0)
        {
            return false;
        }

        Day = value;
        return true;
    }

    public bool TrySetTime(int hour, int minute, int second)
    {
        if (HasTime)
        {
            return false;
        }

        HasTime = true;
        Hour = hour;
        Minute = minute;
        Second = second;
        return true;
    }

    public readonly bool TryBuild(out DateTimeOffset utc)
    {
        utc = default;
        long ticks;
        if (IsUnix)
        {
            ticks = DateTime.UnixEpoch.Ticks + (UnixSeconds * TimeSpan.TicksPerSecond);
        }
        else if (!TryGetLocalTicks(out var local))
        {
            return false;
        }
        else
        {
            ticks = local - (OffsetMinutes * TimeSpan.TicksPerMinute);
        }

        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private readonly bool TryGetLocalTicks(out long ticks)
    {
        ticks = 0;
        if (!HasYear || Month is < 1 or > 12)
        {
            return false;
        }

        // RFC 2822 §4.3: a two-digit year below 50 is 20xx, otherwise 19xx; three digits add 1900.
        var year = YearDigits switch
        {
            <= 2 => Year < 50 ? 2000 + Year : 1900 + Year,
            3 => 1900 + Year,
            _ => Year,
        };
        if (year is < 1 or > 9999 || (Day == 0 && HasTime))
        {
            return false;
        }

        var day = Day == 0 ? 1 : Day;
        if (day > DateTime.DaysInMonth(year, Month))
        {
            return false;
        }

        var hour = Hour;
        if (Meridiem != 0)
        {
            if (!HasTime || hour is < 1 or > 12)
            {
                return false;
            }

            hour = (hour % 12) + (Meridiem == Pm ? 12 : 0);
        }

        // 24:00:00 is the end of the day; :60 is a leap second, read as the next second.
        if (Minute > 59 || Second > 60 || hour > 24 || (hour == 24 && (Minute != 0 || Second != 0 || FractionTicks != 0)))
        {
            return false;
        }

        ticks = new DateTime(year, Month, day).Ticks
            + (hour * TimeSpan.TicksPerHour)
            + (Minute * TimeSpan.TicksPerMinute)
            + (Second * TimeSpan.TicksPerSecond)
            + FractionTicks;
        return true;
    }
}
