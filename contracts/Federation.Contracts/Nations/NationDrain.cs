namespace Federation.Contracts.Nations;

/// <summary>
/// Whether this nation drains: while it does, it admits no new offers (refusal rule <c>draining</c>),
/// its advert says so (peers' routers exclude it, free capacity 0), and its running executions
/// finish, or with <see cref="GiveBack"/> are stopped and given back to their origins.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.NationDrain")]
public sealed record NationDrain
{
    /// <summary>True while the nation drains.</summary>
    [Id(0)] public bool Draining { get; init; }

    /// <summary>True when the running executions were given back rather than left to finish.</summary>
    [Id(1)] public bool GiveBack { get; init; }

    /// <summary>The operator's reason, sent with refusals and give-backs; empty when not draining.</summary>
    [Id(2)] public string Reason { get; init; } = "";

    /// <summary>When the drain began; null when not draining.</summary>
    [Id(3)] public DateTimeOffset? Since { get; init; }

    /// <summary>Rises with every change (0: never drained).</summary>
    [Id(4)] public int Version { get; init; }

    /// <summary>A nation that does not drain.</summary>
    public static NationDrain Open { get; } = new();
}
