using Federation.Contracts.Catalogue.Nodes;
using Federation.Reference;

namespace Federation.Routing.Energy;

/// <summary>
/// The electrical power of the accelerators a run holds, before PUE, and where the figure comes
/// from: the accelerator table's board power (TDP) times the count, or a draw the nodes measured.
/// </summary>
/// <param name="Watts">Power, W; finite and not negative.</param>
/// <param name="Source">Whether the figure is a TDP estimate or measured.</param>
public readonly record struct PowerFigure(double Watts, PowerSource Source)
{
    /// <summary>The method name of a TDP estimate, as results and decision records write it.</summary>
    public const string TdpEstimateMethod = "tdp-estimate";

    /// <summary>The method name of a measured figure.</summary>
    public const string MeasuredMethod = "measured";

    /// <summary><see cref="MeasuredMethod"/> or <see cref="TdpEstimateMethod"/>.</summary>
    public string Method => Source == PowerSource.Measured ? MeasuredMethod : TdpEstimateMethod;

    /// <summary>
    /// <paramref name="count"/> accelerators at the table's TDP of <paramref name="spec"/>; 0 W when the model
    /// is not in the table (nothing is known about it, and no figure is invented).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static PowerFigure Tdp(AcceleratorSpec? spec, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new PowerFigure((spec?.TdpWatts ?? 0) * count, PowerSource.TdpEstimate);
    }

    /// <summary>A draw the nodes reported, W.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="watts"/> is negative, infinite or not a number.</exception>
    public static PowerFigure Measured(double watts) =>
        double.IsFinite(watts) && watts >= 0
            ? new PowerFigure(watts, PowerSource.Measured)
            : throw new ArgumentOutOfRangeException(nameof(watts), watts, "a measured power must be a finite number of watts, 0 or more");

    /// <summary>
    /// The part of a node's measured draw that <paramref name="held"/> of its <paramref name="nodeAccelerators"/>
    /// accelerators stand for, W (the draw is shared equally between its accelerators).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The node has no accelerators, or a negative number is held.</exception>
    public static double ShareOf(double nodeWatts, int nodeAccelerators, int held)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodeAccelerators);
        ArgumentOutOfRangeException.ThrowIfNegative(held);
        return nodeWatts * held / nodeAccelerators;
    }
}
