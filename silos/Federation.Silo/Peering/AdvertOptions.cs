namespace Federation.Silo.Peering;

/// <summary>What this nation advertises beyond its catalogue (section <c>Federation:Peering</c>).</summary>
public sealed class AdvertOptions
{
    /// <summary>Workloads this nation runs, as <c>name@version</c>.</summary>
    public List<string> Workloads { get; set; } = [];
}
