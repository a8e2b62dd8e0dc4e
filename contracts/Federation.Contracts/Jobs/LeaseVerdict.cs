namespace Federation.Contracts.Jobs;

/// <summary>What the origin answers to a lease renewal.</summary>
public enum LeaseVerdict
{
    /// <summary>Keep running: the lease is renewed.</summary>
    Continue = 0,

    /// <summary>Stop: the job was cancelled.</summary>
    Cancel = 1,

    /// <summary>Stop: this epoch is no longer current (the job was requeued or finished); nothing it reports will be accepted.</summary>
    Fenced = 2,
}
