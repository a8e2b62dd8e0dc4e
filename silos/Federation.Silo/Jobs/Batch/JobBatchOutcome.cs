namespace Federation.Silo.Jobs.Batch;

/// <summary>The outcomes of a batch entry, as spelled in <see cref="JobBatchEntry.Outcome"/>.</summary>
public static class JobBatchOutcome
{
    /// <summary>Stored by this call.</summary>
    public const string Created = "created";

    /// <summary>Stored before with the same spec; unchanged.</summary>
    public const string Existing = "existing";

    /// <summary>Another spec is stored under this id.</summary>
    public const string Conflict = "conflict";

    /// <summary>Breaks a rule; nothing stored.</summary>
    public const string Invalid = "invalid";

    /// <summary>Not stored now (transient failure); not acknowledged.</summary>
    public const string Failed = "failed";
}
