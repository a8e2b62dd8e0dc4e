using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Federation.Contracts.Ids;

namespace Federation.Protocol;

/// <summary>A nation's federation identity: an ECDSA P-256 key and its X.509 certificate.</summary>
public static class NationCertificates
{
    /// <summary>How long a self-signed nation certificate is valid.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(2 * 365);

    /// <summary>
    /// Creates a new key pair and a self-signed certificate with subject <c>CN=&lt;code&gt;</c>, usable
    /// both as TLS server and client certificate, valid from a minute ago for <paramref name="validity"/>.
    /// </summary>
    public static X509Certificate2 Create(string code, TimeSpan? validity = null)
    {
        var nation = TypedId.Parse<NationCode>(code);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={nation.Value}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(nation.Value.ToLowerInvariant());
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore + (validity ?? DefaultValidity));

        // Round-trip through PKCS#12 so that the key is usable by TLS on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Loads a certificate and its private key from PEM files (a certificate issued by the nation's own CA).</summary>
    public static X509Certificate2 FromPem(string certificatePemPath, string keyPemPath)
    {
        using var loaded = X509Certificate2.CreateFromPemFile(certificatePemPath, keyPemPath);
        if (!loaded.HasPrivateKey)
        {
            throw new CryptographicException($"{keyPemPath} holds no private key for {certificatePemPath}.");
        }

        return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Loads a nation's <c>.pfx</c> (no password).</summary>
    public static X509Certificate2 LoadPfx(string path) => X509CertificateLoader.LoadPkcs12FromFile(path, null);

    /// <summary>The certificate (without key) as PEM.</summary>
    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem();
}
