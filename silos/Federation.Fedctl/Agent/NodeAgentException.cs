namespace Federation.Fedctl.Agent;

/// <summary>A node agent's request the silo refused or could not answer; the message says which and what to do.</summary>
public sealed class NodeAgentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NodeAgentException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public NodeAgentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public NodeAgentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
