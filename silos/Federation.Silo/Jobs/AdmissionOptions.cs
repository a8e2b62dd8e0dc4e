using Federation.Grains.Jobs;

namespace Federation.Silo.Jobs;

/// <summary>This nation's admission rules for foreign jobs (section <c>Federation:Admission</c>), checked by <see cref="AdmissionOptionsValidator"/>.</summary>
public sealed class AdmissionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Admission";

    /// <summary>Refuse every job from another nation.</summary>
    public bool RefuseForeignJobs { get; set; }

    /// <summary>Origins (nation codes) whose jobs are refused.</summary>
    public List<string> RefuseFrom { get; set; } = [];

    /// <summary>The settings admission reads.</summary>
    public AdmissionSettings ToSettings() => new()
    {
        RefuseForeignJobs = RefuseForeignJobs,
        RefuseFrom = RefuseFrom.ToHashSet(StringComparer.Ordinal),
    };
}
