using System.Security.Cryptography;
using System.Text;

namespace Federation.Transparency;

/// <summary>
/// The person in a log entry as <c>hmac-sha256:&lt;base64url&gt;</c>: HMAC-SHA256 of the subject
/// identifier under a secret only the nation holds. Auditors can see that two entries concern the
/// same person without learning who; the nation can answer "which entries concern X" by computing
/// the digest; forgetting the secret (or the mapping) erases the link without touching the tree.
/// </summary>
public static class SubjectDigest
{
    /// <summary>The prefix of every digest.</summary>
    public const string Prefix = "hmac-sha256:";

    /// <summary>Fewest bytes of a nation secret.</summary>
    public const int MinSecretBytes = 32;

    private const int DigestCharacters = 43;

    private static readonly System.Buffers.SearchValues<char> Base64Url =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The digest of <paramref name="subject"/> under <paramref name="secret"/>.</summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="MinSecretBytes"/> or the subject is empty.</exception>
    public static string Compute(ReadOnlySpan<byte> secret, string subject)
    {
        if (secret.Length < MinSecretBytes)
        {
            throw new ArgumentException($"The nation's subject secret must hold at least {MinSecretBytes} bytes, not {secret.Length}.", nameof(secret));
        }

        ArgumentException.ThrowIfNullOrEmpty(subject);
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(subject));
        return Prefix + Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>True when <paramref name="value"/> has the form of a digest.</summary>
    public static bool IsDigest(string value) =>
        value is not null
        && value.Length == Prefix.Length + DigestCharacters
        && value.StartsWith(Prefix, StringComparison.Ordinal)
        && value.AsSpan(Prefix.Length).IndexOfAnyExcept(Base64Url) < 0;
}
