using Federation.Contracts.Ids;

namespace Federation.Learning.Protocol;

/// <summary>Which round of which federated job a message belongs to; bound into every signature, key and mask.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RoundKey")]
public readonly record struct RoundKey
{
    /// <summary>Creates a round key, or throws naming the field.</summary>
    public RoundKey(JobRef job, int round)
    {
        if (job.Id is null)
        {
            throw new ArgumentException("Job must be a parsed job reference.", nameof(job));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(round);
        Job = job;
        Round = round;
    }

    /// <summary>The federated job.</summary>
    [Id(0)]
    public JobRef Job { get; }

    /// <summary>The round number, from 0.</summary>
    [Id(1)]
    public int Round { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Job} round {Round}";
}
