using System.Collections.Immutable;

namespace Federation.Silo.Auth;

/// <summary>What a subject was last seen to hold when it authenticated here (<see cref="SignIns"/>).</summary>
/// <param name="Roles">Its roles.</param>
/// <param name="Consortia">Consortia it is a member or lead of.</param>
/// <param name="Courses">Courses it studies in.</param>
/// <param name="At">When it was seen.</param>
public sealed record SeenIdentity(ImmutableArray<string> Roles, ImmutableArray<string> Consortia, ImmutableArray<string> Courses, DateTimeOffset At);
