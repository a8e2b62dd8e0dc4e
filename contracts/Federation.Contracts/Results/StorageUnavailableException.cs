namespace Federation.Contracts.Results;

/// <summary>
/// The nation's durable store could not be reached; nothing was acknowledged. Thrown by grains in
/// place of provider exceptions, which do not cross silo boundaries faithfully.
/// </summary>
[GenerateSerializer, Alias("fed.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
