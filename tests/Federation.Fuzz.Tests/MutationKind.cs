namespace Federation.Fuzz.Tests;

/// <summary>What a <see cref="Mutation"/> does to a body.</summary>
public enum MutationKind
{
    /// <summary>A member removed.</summary>
    Remove,

    /// <summary>A member set to null.</summary>
    Null,

    /// <summary>A member's type changed: string for number, number for string, array for object, ...</summary>
    Retype,

    /// <summary>A member set to a string of 8 KiB to 2 MiB.</summary>
    HugeString,

    /// <summary>A member set to an array of 1,000 to 64,000 elements.</summary>
    HugeArray,

    /// <summary>A control character (NUL, ESC, BEL, DEL) or a bidi override appended to a member.</summary>
    ControlCharacter,

    /// <summary>A member (or the whole body) nested 64 to 512 levels deep.</summary>
    DeepNesting,

    /// <summary>A member the schema does not know.</summary>
    UnknownMember,

    /// <summary>The JSON text cut short.</summary>
    Truncate,

    /// <summary>A key written twice in one object.</summary>
    DuplicateKey,

    /// <summary>A null appended inside an array.</summary>
    NullInArray,
}
