using System.Text.Json;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Contracts.Learning;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;

namespace Federation.Silo.Learning;

/// <summary>
/// Where a round message goes in this nation: an invitation to this nation's <see cref="RunInvitationDesk"/>, a kind the aggregator sends (<see cref="RoundRoutes.ToContributor"/>)
/// to the job's participant grain, every other kind to the job's coordinator grain. The federation
/// endpoint and the courier (for a message to this nation itself) both deliver here. The document is
/// read strictly (<see cref="RoundMessageCodec"/>) before any grain sees it.
/// </summary>
public sealed class RoundInbox(IGrainFactory grains, RunInvitationDesk invitations)
{
    /// <summary>The JSON options of round documents on the wire (camelCase).</summary>
    public static JsonSerializerOptions Json => FederationJson.Options;

    /// <summary>Reads <paramref name="document"/> from <paramref name="sender"/>; throws <see cref="RoundMessageRefusedException"/> naming the field.</summary>
    public static (JobRef Job, object Message) Read(NationCode sender, RoundMessageDocument? document)
    {
        var message = RoundMessageCodec.Read(sender, document);
        return (TypedId.Parse<JobRef>(document!.Job), message);
    }

    /// <summary>Hands a read message to the grain it is for.</summary>
    public Task<RoundDelivery> DeliverAsync(NationCode sender, JobRef job, RoundMessageDocument document) =>
        document.Kind == Federation.Grains.Learning.RunInvitations.Kind ? invitations.AnswerAsync(sender, job, document)
        : RoundRoutes.GoesToContributor(document.Kind!)
            ? grains.GetGrain<IRunParticipantGrain>(IRunParticipantGrain.KeyOf(job)).ReceiveAsync(sender, JsonSerializer.Serialize(document, Json))
            : grains.GetGrain<IFederatedRunGrain>(IFederatedRunGrain.KeyOf(job)).ReceiveAsync(sender, JsonSerializer.Serialize(document, Json));
}
