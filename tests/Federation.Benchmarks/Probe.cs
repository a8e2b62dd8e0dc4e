namespace Federation.Benchmarks;

/// <summary>
/// One query to time. <see cref="RunAsync"/> runs it once and returns the time of the request
/// alone (checks of the answer come after the clock stops) and how many rows came back.
/// </summary>
internal sealed record Probe(string Name, Func<Task<(TimeSpan Elapsed, int Rows)>> RunAsync, int ExpectedRows);
