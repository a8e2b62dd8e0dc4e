namespace Federation.Silo.Jobs.Outputs;

/// <summary>One file a job wrote to its outputs directory.</summary>
/// <param name="Name">Its path relative to the outputs directory, with <c>/</c> between directories.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
/// <param name="Modified">When it was last written (UTC).</param>
public sealed record OutputFile(string Name, long SizeBytes, string Sha256, DateTimeOffset Modified);
