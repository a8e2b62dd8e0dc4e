namespace Federation.Silo.Options;

/// <summary>This nation's profile as configured (section <c>Federation:Nation</c>).</summary>
public sealed class NationOptions
{
    /// <summary>ISO 3166-1 alpha-2 code; also names the Orleans cluster (<c>nation-&lt;code&gt;</c>).</summary>
    public string Code { get; set; } = "FR";

    /// <summary>Human name.</summary>
    public string? Name { get; set; }

    /// <summary>Power usage effectiveness (>= 1). Default: industry average 1.58 (Uptime Institute 2023).</summary>
    public double Pue { get; set; } = 1.58;

    /// <summary>Grid zone for carbon intensity; defaults to the code.</summary>
    public string? GridZone { get; set; }

    /// <summary>Public URL of the user API, when published.</summary>
    public Uri? ApiEndpoint { get; set; }

    /// <summary>Public URL of the federation API, when published.</summary>
    public Uri? FederationEndpoint { get; set; }

    /// <summary>Residency of datasets registered without one: homeOnly, listedNations or anywhere.</summary>
    public string DefaultResidency { get; set; } = "homeOnly";

    /// <summary>Visibility of datasets registered without one: public or private.</summary>
    public string DefaultVisibility { get; set; } = "public";

    /// <summary>Largest share of accelerators foreign jobs may hold (0..1).</summary>
    public double MaxForeignShare { get; set; } = 0.5;
}
