using System.Text.Json;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Learning;
using Federation.Grains.Nations;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;
using Federation.Routing.Trust;

namespace Federation.Silo.Learning;

/// <summary>
/// A data nation's answer to an invitation to a federated run: every dataset it names must be at home here
/// and active in this nation's catalogue, and the export policy read from that catalogue (never from the
/// message) must allow the run's terms (<c>maskedUpdates</c> with secure aggregation on, or <c>updates</c>), and its
/// data-use conditions must allow the job's declared purpose carried on the invitation (<see cref="InvitationDataUseCheck"/>,
/// processed here, today); then the job's participant grain joins. Otherwise it refuses naming the rule (<c>notHome</c>,
/// <c>notInCatalogue</c>, <c>exports</c>, <c>dataUse</c>), and the aggregator's round policy decides what the run does.
/// </summary>
public sealed class RunInvitationDesk(IGrainFactory grains, LocalNation local, TimeProvider time)
{
    /// <summary>Decides on the invitation <paramref name="document"/> from <paramref name="sender"/> for <paramref name="job"/>.</summary>
    public async Task<RoundDelivery> AnswerAsync(NationCode sender, JobRef job, RoundMessageDocument document)
    {
        if (RoundMessageCodec.Read(sender, document) is not RunInvitation invitation)
        {
            return new RoundDelivery(false, "malformed", "kind: must be invitation.");
        }

        var exports = ExportPolicy.Updates;
        foreach (var dataset in invitation.Datasets)
        {
            if (dataset.Nation != local.Code)
            {
                return new RoundDelivery(false, "notHome", $"dataset {dataset} is not at home in {local.Code}: a nation trains only on its own data.");
            }

            var record = await grains.GetGrain<IDatasetGrain>(dataset.Dataset.GrainKey).GetAsync();
            if (record is not { Status: CatalogueStatus.Active })
            {
                return new RoundDelivery(false, "notInCatalogue", $"dataset {dataset} is not an active dataset of {local.Code}'s catalogue.");
            }

            var refusal = record.Spec.Exports switch
            {
                ExportPolicy.Updates => null,
                ExportPolicy.MaskedUpdates when invitation.Terms.SecureAggregation => null,
                ExportPolicy.MaskedUpdates => $"dataset {dataset} exports 'maskedUpdates' in {local.Code}'s catalogue, and this run turns secure aggregation off.",
                var other => $"dataset {dataset} exports '{Name(other)}' in {local.Code}'s catalogue: no model update derived from it may leave {local.Code}.",
            };
            if (refusal is not null)
            {
                return new RoundDelivery(false, "exports", refusal);
            }

            var unmet = InvitationDataUseCheck.Check(dataset, record.Spec.DataUse, invitation.Purpose, invitation.Owner, local.Code, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            if (unmet.Length > 0)
            {
                return new RoundDelivery(false, "dataUse", $"{string.Join("; ", unmet)} (the job's purpose, checked by {local.Code} against its own catalogue)");
            }

            exports = record.Spec.Exports < exports ? record.Spec.Exports : exports;
        }

        // Every input at home here goes into the local step (the workload trains on several files of its schema).
        var participation = new RunParticipation(job, sender, invitation.Datasets[0], exports, invitation.Terms) { Datasets = invitation.Datasets };
        await grains.GetGrain<IRunParticipantGrain>(IRunParticipantGrain.KeyOf(job)).JoinAsync(participation);
        return RoundDelivery.Ok;
    }

    private static string Name(ExportPolicy policy) => JsonNamingPolicy.CamelCase.ConvertName(policy.ToString());
}
