namespace Federation.Lifecycle.Shares;

/// <summary>
/// One run's charge to the usage ledger: <see cref="Hours"/> accelerator-hours to <see cref="Account"/>
/// at <see cref="ChargedAt"/> (admission), for a run holding <see cref="Accelerators"/> until
/// <see cref="EndsBy"/>. <see cref="Key"/> (job and epoch) makes a charge count once however often it is delivered.
/// </summary>
/// <param name="Key">The run: <c>job#epoch</c>.</param>
/// <param name="Account">Whose usage it is.</param>
/// <param name="Hours">The estimate charged, accelerator-hours.</param>
/// <param name="Accelerators">Accelerators the run holds.</param>
/// <param name="ChargedAt">When it was admitted and charged.</param>
/// <param name="EndsBy">When its walltime runs out.</param>
public sealed record UsageCharge(string Key, UsageAccount Account, double Hours, int Accelerators, DateTimeOffset ChargedAt, DateTimeOffset EndsBy)
{
    /// <summary>
    /// The part of this charge run in (<paramref name="from"/>, <paramref name="to"/>]: the charge spread evenly over
    /// [<see cref="ChargedAt"/>, <see cref="EndsBy"/>], at most <see cref="Accelerators"/> per hour, so that the runs a
    /// nation holds at once never report more than its accelerators can deliver in the period.
    /// </summary>
    public double DeliveredIn(DateTimeOffset from, DateTimeOffset to)
    {
        var span = (EndsBy - ChargedAt).TotalHours;
        var start = from > ChargedAt ? from : ChargedAt;
        var end = to < EndsBy ? to : EndsBy;
        if (span <= 0 || end <= start || !double.IsFinite(Hours) || Hours <= 0)
        {
            return 0;
        }

        var rate = Math.Min(Hours / span, Math.Max(0, Accelerators));
        return rate * (end - start).TotalHours;
    }

    /// <summary>
    /// This charge settled when its run ended having used <paramref name="usedHours"/> accelerator-hours: at most the
    /// estimate charged, never more and never below zero (not a finite number: the estimate stays). Still spread over
    /// the walltime in reports (<see cref="DeliveredIn"/>), so reports keep their bound.
    /// </summary>
    public UsageCharge Settled(double usedHours) =>
        this with { Hours = double.IsFinite(usedHours) ? Math.Clamp(usedHours, 0, Math.Max(0, Hours)) : Hours };
}
