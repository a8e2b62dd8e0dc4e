namespace Federation.Grains.Catalogue.Index;

/// <summary>
/// The read model refused a record for good (e.g. PostgreSQL's jsonb refusing a NUL character):
/// writing it again cannot succeed, so the index has dead-lettered it with <see cref="Reason"/>
/// and the writer must not retry.
/// </summary>
public sealed class ReadModelRejectedException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public ReadModelRejectedException(string key, string reason, Exception? innerException = null)
        : base($"The read model refused {key} permanently: {reason}", innerException)
    {
        Key = key;
        Reason = reason;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ReadModelRejectedException()
    {
        Key = "";
        Reason = "";
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ReadModelRejectedException(string message)
        : base(message)
    {
        Key = "";
        Reason = message;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReadModelRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = "";
        Reason = message;
    }

    /// <summary>The read-model key of the refused record.</summary>
    public string Key { get; }

    /// <summary>Why the store refused it.</summary>
    public string Reason { get; }
}
