namespace Federation.Transparency;

/// <summary>A tree head signed by its nation's federation key.</summary>
/// <param name="Head">What is signed (in the form of <see cref="TreeHeadSignature.CanonicalBytes"/>).</param>
/// <param name="SignerKey">The signer's SubjectPublicKeyInfo, base64 (its SHA-256 is the roster pin).</param>
/// <param name="Signature">ECDSA P-256 SHA-256 signature, IEEE P1363 (64 bytes), base64.</param>
public sealed record SignedTreeHead(TreeHead Head, string SignerKey, string Signature);
