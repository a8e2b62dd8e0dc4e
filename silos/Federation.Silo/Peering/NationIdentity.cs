using System.Security.Cryptography.X509Certificates;
using Federation.Protocol;

namespace Federation.Silo.Peering;

/// <summary>This nation's federation certificate (server and client), or none when peering is off.</summary>
public sealed class NationIdentity(X509Certificate2? certificate)
{
    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2? Certificate { get; } = certificate;

    /// <summary>The certificate's SPKI pin.</summary>
    public string? Pin { get; } = certificate is null ? null : SpkiPin.Compute(certificate);
}
