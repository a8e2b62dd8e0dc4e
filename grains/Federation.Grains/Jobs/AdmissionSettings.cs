namespace Federation.Grains.Jobs;

/// <summary>This nation's admission rules for jobs offered by other nations (section <c>Federation:Admission</c>).</summary>
public sealed record AdmissionSettings
{
    /// <summary>Refuse every job from another nation (an operator's switch, e.g. during maintenance).</summary>
    public bool RefuseForeignJobs { get; init; }

    /// <summary>Origins whose jobs are refused.</summary>
    public IReadOnlySet<string> RefuseFrom { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
