using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>Which bytes a model version's artifact is, and how they came to this nation.</summary>
/// <param name="Model">The model version.</param>
/// <param name="Sha256">The digest of its bytes (their name in the <see cref="ContentStore"/>).</param>
/// <param name="SizeBytes">Their size.</param>
/// <param name="MediaType">Their media type as uploaded, such as <c>application/octet-stream</c>.</param>
/// <param name="UploadedBy">Who put them here: the keyed digest of the caller's identity (as the transparency log's subjects), or <c>peer:XX</c> for a pull from nation XX.</param>
/// <param name="UploadedAt">When.</param>
/// <param name="Source">The nation the bytes came from (this nation for an upload).</param>
public sealed record ArtifactRecord(
    ModelRef Model,
    Sha256Digest Sha256,
    long SizeBytes,
    string MediaType,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    NationCode Source);
