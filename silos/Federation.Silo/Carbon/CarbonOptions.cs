namespace Federation.Silo.Carbon;

/// <summary>Where this nation's grid intensity forecast comes from (section <c>Federation:Carbon</c>); docs/carbon.md.</summary>
public sealed class CarbonOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Carbon";

    /// <summary><c>annual</c> (the grid table's figure, no swing; the default), <c>series</c> (an hourly series replayed by hour of the year) or <c>http</c> (a Carbon Aware SDK WebAPI).</summary>
    public string Source { get; set; } = "annual";

    /// <summary>For <c>series</c>: a CSV with <c>hour_utc</c> and one column per zone; empty: the shipped 2020 series (FR, DE, GB).</summary>
    public string? SeriesPath { get; set; }

    /// <summary>For <c>http</c>: the WebAPI's base address (http or https); <c>emissions/forecasts/current</c> is asked under it.</summary>
    public string? HttpBaseUrl { get; set; }

    /// <summary>For <c>http</c>: the provider's name for this nation's location; empty: the grid zone.</summary>
    public string? HttpLocation { get; set; }

    /// <summary>For <c>http</c>: how long one request may take, seconds (1 to 60).</summary>
    public int HttpTimeoutSeconds { get; set; } = 5;

    /// <summary>Hours the advert's forecast covers (1 to 72).</summary>
    public int Hours { get; set; } = 48;

    /// <summary>How long a forecast is reused before the source is asked again, minutes (1 to 1440).</summary>
    public int RefreshMinutes { get; set; } = 15;
}
