namespace Federation.Silo.Api.Requests;

/// <summary>Where a dataset may be processed.</summary>
public sealed class ResidencyRequest
{
    /// <summary>homeOnly, listedNations or anywhere.</summary>
    public string? Kind { get; set; }

    /// <summary>For listedNations: the nations besides home.</summary>
    public List<string>? Nations { get; set; }
}
