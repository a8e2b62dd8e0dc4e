namespace Federation.Benchmarks;

/// <summary>One silo process of the throughput benchmark's federation.</summary>
/// <param name="Nation">Its nation's code.</param>
/// <param name="Label">How the output names it: the nation's code for the first silo, <c>FR#2</c> for the second.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="ApiUrl">Its user API.</param>
/// <param name="Log">Its log file.</param>
internal sealed record ThroughputSilo(string Nation, string Label, int Pid, string ApiUrl, string Log);
