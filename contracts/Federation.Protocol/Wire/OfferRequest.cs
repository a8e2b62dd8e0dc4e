using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Jobs;
using Federation.Contracts.Jobs.Requests;

namespace Federation.Protocol.Wire;

/// <summary>Body of <c>POST /federation/v1/jobs/offers</c> as a peer sends it; parsed with the user API's rules.</summary>
public sealed class OfferRequest
{
    /// <summary>The job's global id, <c>ORIGIN/id</c>.</summary>
    public string? Job { get; set; }

    /// <summary>The epoch, 1 or more.</summary>
    public int? Epoch { get; set; }

    /// <summary>The lease, seconds.</summary>
    public double? LeaseSeconds { get; set; }

    /// <summary>The job spec.</summary>
    public JobRequest? Spec { get; set; }

    /// <summary>The signed terms of the inputs whose home is not the receiver (the origin attaches them); checked before admission.</summary>
    public List<SignedDatasetTerms?>? InputTerms { get; set; }

    /// <summary>Who the origin vouches the submitter is; optional (origins that do not vouch omit it). Protocol 2 on.</summary>
    [Federation.Contracts.Json.SinceProtocol(2)]
    public VouchedIdentity? Identity { get; set; }
}
