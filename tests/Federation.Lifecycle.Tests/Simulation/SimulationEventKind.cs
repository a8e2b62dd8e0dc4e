namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>The kinds of <see cref="SimulationEvent"/>.</summary>
public enum SimulationEventKind
{
    /// <summary>A copy of a message reaches its receiver.</summary>
    Deliver,

    /// <summary>The answer to a delivered message reaches its sender, which drops it from its outbox.</summary>
    Acknowledge,

    /// <summary>A copy of a call (a request whose answer the caller is told) reaches its receiver.</summary>
    Call,

    /// <summary>The answer to a call reaches the caller.</summary>
    Reply,

    /// <summary>A call's answer is overdue: the caller is told it failed.</summary>
    CallTimeout,

    /// <summary>A nation's periodic timer.</summary>
    Tick,

    /// <summary>A timer a nation set itself.</summary>
    Timer,

    /// <summary>A user's command.</summary>
    Command,

    /// <summary>A nation stops, losing everything it had not persisted.</summary>
    Crash,

    /// <summary>A nation starts again from what it persisted.</summary>
    Restart,

    /// <summary>A link is cut.</summary>
    Cut,

    /// <summary>A link is healed.</summary>
    Heal,

    /// <summary>The chaos phase ends: links healed, nations restarted, the network calm.</summary>
    EndChaos,
}
