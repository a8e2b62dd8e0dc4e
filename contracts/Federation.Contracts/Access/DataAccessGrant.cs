using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Contracts.Access;

/// <summary>
/// An approval by a dataset's home data access committee (in the style of a GA4GH Passport
/// <c>ControlledAccessGrants</c> visa): the dataset, who (a user or a consortium, as the nation
/// <see cref="Nation"/> vouches for them), for what purpose in DUO terms, until when; signed by the
/// committee's key when approved, revocable.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.DataAccessGrant")]
public sealed record DataAccessGrant
{
    /// <summary>The grant's id, <c>dag-</c> and 16 hex digits.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The controlled dataset (this nation's own).</summary>
    [Id(1)] public required DatasetRef Dataset { get; init; }

    /// <summary>The user the grant names (a subject such as <c>uni:alice</c>); null for a consortium's grant.</summary>
    [Id(2)] public string? User { get; init; }

    /// <summary>The consortium the grant names; null for a user's grant.</summary>
    [Id(3)] public string? Consortium { get; init; }

    /// <summary>The nation that vouches for the user or consortium: a job's origin must be this nation.</summary>
    [Id(4)] public required NationCode Nation { get; init; }

    /// <summary>The research purpose approved, as a DUO code (GRU, HMB, DS, POA, CC); a job must declare the same.</summary>
    [Id(5)] public required ResearchCategory Purpose { get; init; }

    /// <summary>For DS: the disease term approved; a job must name the same one.</summary>
    [Id(6)] public string? DiseaseTerm { get; init; }

    /// <summary>Why the requester needs the data (shown to the committee).</summary>
    [Id(7)] public string Justification { get; init; } = "";

    /// <summary>Requested, approved or revoked.</summary>
    [Id(8)] public DataAccessGrantStatus Status { get; init; }

    /// <summary>Who asked.</summary>
    [Id(9)] public required string RequestedBy { get; init; }

    /// <summary>When.</summary>
    [Id(10)] public DateTimeOffset RequestedAt { get; init; }

    /// <summary>The committee member (a nation admin) who approved it.</summary>
    [Id(11)] public string? ApprovedBy { get; init; }

    /// <summary>When it was approved.</summary>
    [Id(12)] public DateTimeOffset? ApprovedAt { get; init; }

    /// <summary>When it stops granting access (set on approval).</summary>
    [Id(13)] public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Who revoked it.</summary>
    [Id(14)] public string? RevokedBy { get; init; }

    /// <summary>When it was revoked.</summary>
    [Id(15)] public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The committee's public key (SubjectPublicKeyInfo DER, base64) that signed it.</summary>
    [Id(16)] public string? SignerKey { get; init; }

    /// <summary>ECDSA P-256 with SHA-256 over the grant's canonical bytes, IEEE P1363 (r||s), base64.</summary>
    [Id(17)] public string? Signature { get; init; }
}
