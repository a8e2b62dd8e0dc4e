namespace Federation.Silo.Options;

/// <summary>
/// The user API's own TLS (section <c>Federation:Hosting:UserTls</c>), used by the <c>https</c> URLs of
/// <c>Federation:Urls</c>. A PKCS#12 file (with <see cref="CertificatePassword"/> if it has one), or a PEM
/// certificate with <see cref="KeyPath"/> (as a Kubernetes TLS secret mounts them).
/// </summary>
public sealed class UserTlsOptions
{
    /// <summary>Path of the certificate: a <c>.pfx</c>/<c>.p12</c> file, or a PEM file when <see cref="KeyPath"/> is set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Path of the PEM private key of a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of the PKCS#12 file; pass it from a secret (environment), never in a committed file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Sends <c>Strict-Transport-Security</c> on HTTPS responses of the user port (on by default with TLS).</summary>
    public bool Hsts { get; set; } = true;

    /// <summary>The HSTS max-age, in days.</summary>
    public int HstsMaxAgeDays { get; set; } = 365;

    /// <summary>Whether a certificate is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
