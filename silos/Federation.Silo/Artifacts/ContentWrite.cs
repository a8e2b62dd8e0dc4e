using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>How a write to the <see cref="ContentStore"/> ended.</summary>
public enum ContentWriteOutcome
{
    /// <summary>The bytes matched the declared digest and are stored.</summary>
    Stored,

    /// <summary>The same bytes were stored already: nothing new was written.</summary>
    AlreadyStored,

    /// <summary>The bytes did not hash to the declared digest: nothing stored.</summary>
    DigestMismatch,

    /// <summary>The bytes were not the declared size: nothing stored.</summary>
    SizeMismatch,

    /// <summary>More bytes than the store accepts: nothing stored.</summary>
    TooLarge,
}

/// <summary>The result of <see cref="ContentStore.WriteAsync"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Received">Bytes read from the source (up to the point it stopped).</param>
/// <param name="Actual">The digest of what arrived, when all of it was read.</param>
public sealed record ContentWrite(ContentWriteOutcome Outcome, long Received, Sha256Digest? Actual)
{
    /// <summary>Whether the content is now in the store.</summary>
    public bool Succeeded => Outcome is ContentWriteOutcome.Stored or ContentWriteOutcome.AlreadyStored;
}
