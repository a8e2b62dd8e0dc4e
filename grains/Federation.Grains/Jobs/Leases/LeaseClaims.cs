namespace Federation.Grains.Jobs.Leases;

/// <summary>The arguments every <see cref="ILeaseIndex.ClaimDueAsync"/> checks, with the same messages.</summary>
public static class LeaseClaims
{
    /// <summary>Throws when <paramref name="limit"/> is not positive or <paramref name="next"/> is not after <paramref name="now"/>.</summary>
    public static void Validate(DateTimeOffset now, DateTimeOffset next, int limit)
    {
        if (limit <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "A claim takes at least one entry.");
        }

        if (next <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(next), next, $"A claimed entry must be due again after the claim ({now:O}), or the next sweep takes it again at once.");
        }
    }
}
