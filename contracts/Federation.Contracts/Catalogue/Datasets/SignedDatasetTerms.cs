namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>
/// A dataset's terms signed by its home nation with its federation key, so that any member can check
/// an offer's inputs without calling the home. The signature covers the canonical bytes of
/// <see cref="Terms"/> (defined once, in <c>Federation.Protocol.Terms.DatasetTermsSignature</c>).
/// </summary>
/// <param name="Terms">What the home states.</param>
/// <param name="SignerKey">The signer's public key, SubjectPublicKeyInfo DER in base64; its SHA-256 must be one of the home's roster pins.</param>
/// <param name="Signature">ECDSA P-256 with SHA-256 over the canonical bytes, IEEE P1363 (r||s) in base64.</param>
[GenerateSerializer, Immutable, Alias("fed.SignedDatasetTerms")]
public sealed record SignedDatasetTerms(
    [property: Id(0)] DatasetTermsStatement Terms,
    [property: Id(1)] string SignerKey,
    [property: Id(2)] string Signature);
