namespace Federation.Contracts.Results;

/// <summary>How a grain command ended; the API maps each to one HTTP status.</summary>
public enum CommandStatus
{
    /// <summary>Done; the value is the new state.</summary>
    Ok = 0,

    /// <summary>Created; the value is the new state.</summary>
    Created = 1,

    /// <summary>Nothing to do: the state already was what was asked (idempotent repeat).</summary>
    Unchanged = 2,

    /// <summary>No such entry.</summary>
    NotFound = 3,

    /// <summary>The caller's expected version is not the current one.</summary>
    VersionMismatch = 4,

    /// <summary>The request conflicts with the entry's state (exists already, referenced, ...).</summary>
    Conflict = 5,

    /// <summary>The request breaks a rule that only the grain can check.</summary>
    Invalid = 6,
}
