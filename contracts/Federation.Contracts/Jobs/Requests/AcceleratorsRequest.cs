namespace Federation.Contracts.Jobs.Requests;

/// <summary>The accelerators a job needs.</summary>
public sealed class AcceleratorsRequest
{
    /// <summary>How many, 1 to 1024.</summary>
    public int? Count { get; set; }

    /// <summary>Least memory per accelerator, GB.</summary>
    public double? MinMemoryGb { get; set; }

    /// <summary>Allowed accelerator slugs; empty or absent for any.</summary>
    public List<string>? Models { get; set; }
}
