namespace Federation.Grains.Jobs.Leases;

/// <summary>One entry of the lease index: the grain to wake.</summary>
/// <param name="Kind">The grain's kind.</param>
/// <param name="Key">The key within the kind (see <see cref="LeaseKind"/>).</param>
public readonly record struct LeaseKey(LeaseKind Kind, string Key)
{
    /// <summary>The key of a job's entry (the job's global id).</summary>
    public static LeaseKey Job(string job) => new(LeaseKind.Job, Checked(job, nameof(job)));

    /// <summary>The key of an execution's entry (its grain key).</summary>
    public static LeaseKey Execution(string grainKey) => new(LeaseKind.Execution, Checked(grainKey, nameof(grainKey)));

    /// <summary>Throws when <paramref name="key"/> is no valid entry (an unknown kind, an empty key).</summary>
    public static void Validate(LeaseKey key, string parameter)
    {
        if (!Enum.IsDefined(key.Kind))
        {
            throw new ArgumentException($"Lease entry kind {(int)key.Kind} is not a LeaseKind.", parameter);
        }

        Checked(key.Key, parameter);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name(Kind)}:{Key}";

    /// <summary>The kind as stored (<c>job</c>, <c>execution</c>).</summary>
    public static string Name(LeaseKind kind) => kind switch
    {
        LeaseKind.Job => "job",
        LeaseKind.Execution => "execution",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a LeaseKind"),
    };

    /// <summary>The order of entries in pages: by stored kind name, then key, both ordinal (as <c>COLLATE "C"</c>).</summary>
    public static int Compare(LeaseKey a, LeaseKey b)
    {
        var kinds = string.CompareOrdinal(Name(a.Kind), Name(b.Kind));
        return kinds != 0 ? kinds : string.CompareOrdinal(a.Key, b.Key);
    }

    /// <summary>The kind named <paramref name="name"/> as stored.</summary>
    public static LeaseKind Parse(string name) => name switch
    {
        "job" => LeaseKind.Job,
        "execution" => LeaseKind.Execution,
        _ => throw new FormatException($"'{name}' is not a lease entry kind (job, execution)."),
    };

    private static string Checked(string? key, string parameter) =>
        string.IsNullOrWhiteSpace(key) ? throw new ArgumentException("A lease entry's key must not be empty.", parameter) : key;
}
