namespace Federation.Transparency;

/// <summary>What a log entry records. The canonical names (<see cref="TransparencyEntryKinds"/>) are durable.</summary>
public enum TransparencyEntryKind
{
    /// <summary>The router chose where a job runs (or that it waits).</summary>
    RoutingDecision,

    /// <summary>A nation admitted an execution.</summary>
    Admission,

    /// <summary>A nation refused an execution or a request, with the rule.</summary>
    Refusal,

    /// <summary>A job or a person read a dataset.</summary>
    DataAccess,

    /// <summary>A federation request arrived from a peer.</summary>
    FederationRequestIn,

    /// <summary>A federation request went to a peer.</summary>
    FederationRequestOut,

    /// <summary>An artifact (model, output) crossed a border.</summary>
    ArtifactTransfer,

    /// <summary>The nation signed an evaluation.</summary>
    SignedEvaluation,

    /// <summary>A role was granted or revoked.</summary>
    RoleChange,

    /// <summary>The roster changed.</summary>
    RosterChange,

    /// <summary>Someone signed in.</summary>
    SignIn,

    /// <summary>This nation's own membership changed: it began or ended a drain, or a roster version that adds or removes it took effect here.</summary>
    Membership,
}
