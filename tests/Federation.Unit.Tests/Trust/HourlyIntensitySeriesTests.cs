using Federation.Reference;

namespace Federation.Unit.Tests.Trust;

/// <summary>The hourly grid-intensity series adverts are checked against where one is configured.</summary>
public sealed class HourlyIntensitySeriesTests
{
    private const string Text = "hour_utc,FR,DE\n2020-01-01T00:00Z,54.4,352.1\n2020-01-01T01:00Z,46.0,347.6\n2020-03-01T12:00Z,20.5,\n";

    private static HourlyIntensitySeries Series() => HourlyIntensitySeries.Read(new StringReader(Text), "test.csv");

    [Fact]
    public void Find_HourInTheSeries_ThatHoursValue() =>
        Assert.Equal(46.0, Series().Find("FR", new DateTimeOffset(2020, 1, 1, 1, 59, 0, TimeSpan.Zero)));

    [Fact]
    public void Find_AnotherYear_SameHourOfTheSeriesYear() =>
        Assert.Equal(347.6, Series().Find("DE", new DateTimeOffset(2026, 1, 1, 2, 30, 0, TimeSpan.FromHours(1))));

    [Fact]
    public void Find_UnknownZoneOrMissingValue_Null()
    {
        Assert.Null(Series().Find("SE", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(Series().Find("DE", new DateTimeOffset(2020, 3, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Read_NegativeValue_FormatExceptionNamingRowAndZone()
    {
        var e = Assert.Throws<FormatException>(() => HourlyIntensitySeries.Read(new StringReader("hour_utc,FR\n2020-01-01T00:00Z,-1\n"), "bad.csv"));

        Assert.Contains("bad.csv: row 2: FR '-1'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoHourColumn_FormatException() =>
        Assert.Throws<FormatException>(() => HourlyIntensitySeries.Read(new StringReader("hour,FR\n1,2\n"), "bad.csv"));
}
