namespace Federation.Contracts.Results;

/// <summary>The outcome of a grain command: a status, the resulting state, and a reason when refused.</summary>
[GenerateSerializer, Immutable, Alias("fed.CommandResult`1")]
public sealed record CommandResult<T>(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] T? Value,
    [property: Id(2)] string? Reason,
    [property: Id(3)] string? Field)
    where T : class
{
    /// <summary>True for Ok, Created and Unchanged.</summary>
    public bool Succeeded => Status is CommandStatus.Ok or CommandStatus.Created or CommandStatus.Unchanged;
}

/// <summary>Factories for <see cref="CommandResult{T}"/>.</summary>
public static class CommandResult
{
    /// <summary>Success with the new state.</summary>
    public static CommandResult<T> Ok<T>(T value) where T : class => new(CommandStatus.Ok, value, null, null);

    /// <summary>Created with the new state.</summary>
    public static CommandResult<T> Created<T>(T value) where T : class => new(CommandStatus.Created, value, null, null);

    /// <summary>Idempotent repeat.</summary>
    public static CommandResult<T> Unchanged<T>(T value) where T : class => new(CommandStatus.Unchanged, value, null, null);

    /// <summary>Refused with a reason, optionally carrying the current state.</summary>
    public static CommandResult<T> Refused<T>(CommandStatus status, string reason, T? current = null, string? field = null) where T : class =>
        new(status, current, reason, field);
}
