using System.Security.Cryptography.X509Certificates;
using Federation.Grains.Nations;
using Federation.Protocol;
using Federation.Silo.Peering;
using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>
/// Signs this nation's tree heads with its federation key. A nation without a federation certificate
/// (peering off) signs with a key made for this process: its heads then prove nothing to anyone else,
/// but the log still checks against them locally.
/// </summary>
public sealed class TreeHeadSigner : IDisposable
{
    private readonly X509Certificate2? _ephemeral;

    /// <summary>Creates the signer from the nation's identity.</summary>
    public TreeHeadSigner(NationIdentity identity, LocalNation nation)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(nation);
        Nation = nation.Code.Value;
        if (identity.Certificate is null)
        {
            _ephemeral = NationCertificates.Create(Nation);
        }

        Certificate = identity.Certificate ?? _ephemeral!;
        Pin = TreeHeadSignature.Pin(Certificate);
    }

    /// <summary>The nation whose log this is.</summary>
    public string Nation { get; }

    /// <summary>The signing certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The signing key's SPKI pin.</summary>
    public string Pin { get; }

    /// <summary>True when the key is this process's own (no federation certificate).</summary>
    public bool Ephemeral => _ephemeral is not null;

    /// <summary>Signs the head of <paramref name="size"/> leaves with <paramref name="root"/> at <paramref name="time"/>.</summary>
    public SignedTreeHead Sign(long size, byte[] root, DateTimeOffset time) =>
        TreeHeadSignature.Sign(new TreeHead(Nation, size, root, time), Certificate);

    /// <inheritdoc />
    public void Dispose() => _ephemeral?.Dispose();
}
