using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>The origin offers a job to a nation, for one epoch (<c>POST /federation/v1/jobs/offers</c>).</summary>
[GenerateSerializer, Immutable, Alias("fed.JobOffer")]
public sealed record JobOffer
{
    /// <summary>The job's global id; its origin must be the sender.</summary>
    [Id(0)] public required JobRef Job { get; init; }

    /// <summary>The execution epoch: 1 for the first offer, one more after each requeue.</summary>
    [Id(1)] public required int Epoch { get; init; }

    /// <summary>The job as submitted.</summary>
    [Id(2)] public required JobSpec Spec { get; init; }

    /// <summary>How long the executing nation holds the job without renewing, seconds.</summary>
    [Id(3)] public required double LeaseSeconds { get; init; }

    /// <summary>
    /// The signed terms of the inputs whose home is not the receiver, attached by the origin's courier
    /// when it sends the offer; the receiver verifies them against the roster before admitting.
    /// </summary>
    [Id(4)] public ImmutableArray<SignedDatasetTerms> InputTerms { get; init; } = [];

    /// <summary>
    /// Who the origin vouches the submitter is, attached by the origin's courier; null from an origin
    /// that does not vouch (older peers). The receiver applies its own rules to it before admitting.
    /// Federation protocol 2 on: never written to a peer that speaks only version 1.
    /// </summary>
    [Id(5)]
    [Federation.Contracts.Json.SinceProtocol(2)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public VouchedIdentity? Identity { get; init; }

    /// <inheritdoc />
    public bool Equals(JobOffer? other) =>
        other is not null && Job == other.Job && Epoch == other.Epoch && Spec == other.Spec && LeaseSeconds.Equals(other.LeaseSeconds)
        && (InputTerms.IsDefault ? [] : InputTerms).SequenceEqual(other.InputTerms.IsDefault ? [] : other.InputTerms)
        && Equals(Identity, other.Identity);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Job, Epoch);
}
