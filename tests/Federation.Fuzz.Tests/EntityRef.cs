namespace Federation.Fuzz.Tests;

/// <summary>
/// A fuzz-pool catalogue entry or job a request would create (<see cref="Creates"/>) or delete: its
/// listing (<c>datasets</c>, <c>nodes</c>, <c>models</c>, <c>jobs</c>) and its key as listed
/// (id, <c>name@version</c>, or <c>ORIGIN/id</c>).
/// </summary>
public sealed record EntityRef(string Listing, string Key, bool Creates);
