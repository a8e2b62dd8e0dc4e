namespace Federation.Contracts.Jobs.Requests;

/// <summary>An output a job produces.</summary>
public sealed class JobOutputRequest
{
    /// <summary>Output name (a slug).</summary>
    public string? Name { get; set; }

    /// <summary>What it holds.</summary>
    public string? Description { get; set; }
}
