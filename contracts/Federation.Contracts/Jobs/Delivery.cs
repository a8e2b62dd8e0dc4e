namespace Federation.Contracts.Jobs;

/// <summary>How a send to a peer ended: delivered with the peer's answer, or not delivered with the error.</summary>
[GenerateSerializer, Immutable, Alias("fed.Delivery")]
public sealed record Delivery
{
    /// <summary>True when the peer acknowledged the message.</summary>
    [Id(0)] public required bool Delivered { get; init; }

    /// <summary>Why it was not delivered.</summary>
    [Id(1)] public string? Error { get; init; }

    /// <summary>The answer to an offer.</summary>
    [Id(2)] public Admission? Admission { get; init; }

    /// <summary>The answer to a report.</summary>
    [Id(3)] public ReportAnswer? ReportAnswer { get; init; }

    /// <summary>The answer to a lease renewal.</summary>
    [Id(4)] public LeaseAnswer? LeaseAnswer { get; init; }

    /// <summary>A failed delivery.</summary>
    public static Delivery Failed(string error) => new() { Delivered = false, Error = error };
}
