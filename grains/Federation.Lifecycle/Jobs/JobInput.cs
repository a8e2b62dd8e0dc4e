namespace Federation.Lifecycle.Jobs;

/// <summary>Something that happens to a job in its origin: a command, a message from a peer, an answer, or a tick of time.</summary>
public abstract record JobInput;
