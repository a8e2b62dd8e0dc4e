namespace Federation.Silo.Jobs;

/// <summary>This nation's admission rules for foreign jobs (section <c>Federation:Admission</c>).</summary>
public sealed class AdmissionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Admission";

    /// <summary>Refuse every job from another nation.</summary>
    public bool RefuseForeignJobs { get; set; }

    /// <summary>Origins whose jobs are refused.</summary>
    public List<string> RefuseFrom { get; set; } = [];
}
