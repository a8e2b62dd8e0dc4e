namespace Federation.Conventions.Tests;

/// <summary>A populated instance of a wire type.</summary>
/// <param name="Name">Test-case name.</param>
/// <param name="Value">The instance.</param>
/// <param name="HasValueEquality">
/// True when the type's own Equals compares values; records that hold an ImmutableArray with
/// compiler-generated equality compare the array by reference, so they are compared through JSON.
/// </param>
internal sealed record WireSample(string Name, object Value, bool HasValueEquality);
