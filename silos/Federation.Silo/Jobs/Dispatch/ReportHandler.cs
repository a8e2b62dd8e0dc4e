using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>A report (or give-back) goes to the job grain at the origin, which answers with a <see cref="ReportAnswer"/>.</summary>
/// <param name="grains">Where the receiving grains are found.</param>
public sealed class ReportHandler(IGrainFactory grains) : FederationHandler<ReportMessage, ReportAnswer>(grains)
{
    /// <inheritdoc />
    public override string BatchKind => MessageBatchKinds.Report;

    /// <inheritdoc />
    public override string Route => FederationRoutes.Reports;

    /// <inheritdoc />
    public override Task<ReportAnswer> DeliverAsync(NationCode sender, ReportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(message.Job)).ReportAsync(sender, message.Report);
    }

    /// <inheritdoc />
    protected override object WireBody(ReportMessage message) => message.Report;

    /// <inheritdoc />
    protected override Delivery Delivered(ReportAnswer? answer) => new() { Delivered = true, ReportAnswer = answer };
}
