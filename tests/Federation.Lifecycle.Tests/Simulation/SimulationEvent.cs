namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>What the harness schedules: the world's own events, never seen by the nations as such.</summary>
/// <param name="Kind">What happens.</param>
/// <param name="Nation">The nation it happens to (the receiver of a delivery, the sender of an acknowledged message).</param>
/// <param name="Other">The other nation (the sender of a delivery, the far end of a link).</param>
/// <param name="Incarnation">The nation's incarnation the event belongs to (ticks, timers and acknowledgements die with a crash).</param>
/// <param name="MessageId">The request id of a delivery or acknowledgement.</param>
/// <param name="Payload">The message, the command, or a crash's downtime.</param>
public readonly record struct SimulationEvent(
    SimulationEventKind Kind,
    int Nation,
    int Other = -1,
    int Incarnation = 0,
    long MessageId = 0,
    object? Payload = null);
