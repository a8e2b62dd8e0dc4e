namespace Federation.Transparency;

/// <summary>
/// One decision or access, as a leaf of the nation's log. References are identifiers (job, dataset,
/// peer nation), never personal data: the person, if any, is <see cref="Subject"/>, an HMAC under
/// the nation's secret (<see cref="SubjectDigest"/>), so the log can be shared with auditors and an
/// erasure request never breaks the tree. Build through <see cref="Create"/>, which checks every field.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Time">When, in UTC with millisecond precision.</param>
/// <param name="Job">The job (<c>origin/id</c>), if any.</param>
/// <param name="Dataset">The dataset, if any.</param>
/// <param name="Peer">The peer nation involved, if any.</param>
/// <param name="Rule">The rule that decided (for refusals: the rule that refused), if any.</param>
/// <param name="Subject">The person as <c>hmac-sha256:...</c>, if any.</param>
/// <param name="Detail">A few more facts, keys in ordinal order.</param>
public sealed record TransparencyEntry(
    TransparencyEntryKind Kind,
    DateTimeOffset Time,
    string? Job,
    string? Dataset,
    string? Peer,
    string? Rule,
    string? Subject,
    IReadOnlyDictionary<string, string> Detail)
{
    /// <summary>Most detail members.</summary>
    public const int MaxDetail = 16;

    /// <summary>Most characters of a reference, a rule or a detail key.</summary>
    public const int MaxReference = 200;

    /// <summary>Most characters of a detail value.</summary>
    public const int MaxDetailValue = 512;

    /// <summary>Checks every field and builds the entry (time truncated to milliseconds, detail sorted).</summary>
    /// <exception cref="ArgumentException">A field breaks its rule; the message names the field.</exception>
    public static TransparencyEntry Create(
        TransparencyEntryKind kind,
        DateTimeOffset time,
        string? job = null,
        string? dataset = null,
        string? peer = null,
        string? rule = null,
        string? subject = null,
        IEnumerable<KeyValuePair<string, string>>? detail = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"kind: {kind} is not a transparency entry kind.", nameof(kind));
        }

        Text(job, "job", MaxReference);
        Text(dataset, "dataset", MaxReference);
        Text(peer, "peer", MaxReference);
        Text(rule, "rule", MaxReference);
        if (subject is not null && !SubjectDigest.IsDigest(subject))
        {
            throw new ArgumentException("subject: must be an HMAC digest (hmac-sha256:...), never a name or an address.", nameof(subject));
        }

        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in detail ?? [])
        {
            Text(key, "detail key", MaxReference);
            if (key.Length == 0)
            {
                throw new ArgumentException("detail: a key is empty.", nameof(detail));
            }

            Text(value, $"detail.{key}", MaxDetailValue);
            if (value is null || !sorted.TryAdd(key, value))
            {
                throw new ArgumentException($"detail.{key}: null or given twice.", nameof(detail));
            }
        }

        if (sorted.Count > MaxDetail)
        {
            throw new ArgumentException($"detail: at most {MaxDetail} members, not {sorted.Count}.", nameof(detail));
        }

        var utc = time.ToUniversalTime();
        var ms = DateTimeOffset.FromUnixTimeMilliseconds(utc.ToUnixTimeMilliseconds());
        return new TransparencyEntry(kind, ms, job, dataset, peer, rule, subject, sorted);
    }

    private static void Text(string? value, string field, int max)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > max)
        {
            throw new ArgumentException($"{field}: at most {max} characters, not {value.Length}.", field);
        }

        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"{field}: control characters are not allowed.", field);
        }
    }
}
