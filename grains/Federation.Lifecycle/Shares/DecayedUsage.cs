namespace Federation.Lifecycle.Shares;

/// <summary>
/// Usage that decays exponentially, as Slurm's fair share counts it: with no new charges it halves
/// every half-life, so U(t) = U(t0) · 2^(−(t − t0) / halfLife) + the charges since. Immutable.
/// </summary>
/// <param name="Value">Accelerator-hours as of <paramref name="At"/>.</param>
/// <param name="At">When <paramref name="Value"/> was last brought up to date.</param>
public readonly record struct DecayedUsage(double Value, DateTimeOffset At)
{
    /// <summary>The usage as of <paramref name="now"/> with <paramref name="halfLife"/>; never grows, and a time before <see cref="At"/> reads as <see cref="At"/>.</summary>
    public double ValueAt(DateTimeOffset now, TimeSpan halfLife) =>
        now <= At || Value == 0 ? Value : Value * Math.Pow(2, -(now - At) / halfLife);

    /// <summary>This usage decayed to <paramref name="now"/> plus <paramref name="accelHours"/> (not negative).</summary>
    public DecayedUsage Charge(double accelHours, DateTimeOffset now, TimeSpan halfLife)
    {
        if (!double.IsFinite(accelHours) || accelHours < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(accelHours), accelHours, "a charge is a finite, non-negative number of accelerator-hours");
        }

        var at = now > At ? now : At;
        return new(ValueAt(at, halfLife) + accelHours, at);
    }

    /// <summary>
    /// This usage with <paramref name="accelHours"/> charged at <paramref name="chargedAt"/> taken back (a run settled for less
    /// than its charge): the part of it that is still counted, decayed from <paramref name="chargedAt"/>, is subtracted.
    /// Never below zero.
    /// </summary>
    public DecayedUsage Refund(double accelHours, DateTimeOffset chargedAt, TimeSpan halfLife)
    {
        if (!double.IsFinite(accelHours) || accelHours < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(accelHours), accelHours, "a refund is a finite, non-negative number of accelerator-hours");
        }

        var left = new DecayedUsage(accelHours, chargedAt).ValueAt(At, halfLife);
        return this with { Value = Math.Max(0, Value - left) };
    }
}
