using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>
/// An identifier that owns its syntax: it is parsed at the boundary, with an error that names the
/// value and the rule, and trusted everywhere after.
/// </summary>
public interface ITypedId<TSelf> where TSelf : struct, ITypedId<TSelf>
{
    /// <summary>What the id is called in messages, e.g. "dataset id".</summary>
    static abstract string Kind { get; }

    /// <summary>Parses <paramref name="text"/>, or explains why it is not valid.</summary>
    static abstract bool TryParse([NotNullWhen(true)] string? text, out TSelf id, [NotNullWhen(false)] out string? error);
}
