namespace Federation.Learning.Run;

/// <summary>Where a federated run is.</summary>
public enum RunPhase
{
    /// <summary>Not started.</summary>
    Created = 0,

    /// <summary>A round is in progress.</summary>
    Running = 1,

    /// <summary>A round waits for a missing nation (policy wait) and accepts its return.</summary>
    Waiting = 2,

    /// <summary>The stopping rule held: the final model is the global weights.</summary>
    Succeeded = 3,

    /// <summary>Stopped by the round policy or a failure; <see cref="FederatedRunCoordinator.Reason"/> says why.</summary>
    Stopped = 4,
}
