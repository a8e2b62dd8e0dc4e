using System.Text;
using System.Text.Json;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Learning;
using Federation.Grains.Nations;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;
using Federation.Protocol.Wire;
using Federation.Silo.Peering;

namespace Federation.Silo.Learning;

/// <summary>
/// Carries a run grain's round messages: to another nation as <c>POST /federation/v1/rounds/messages</c>
/// (mutual TLS, the entry id as <c>Federation-Request-Id</c>, so a retry is the same request), to this
/// nation's own grains through <see cref="RoundInbox"/>. An answer of the receiver, accepted or refused,
/// ends the entry (a refusal is final; its detail is the delivery's error); no answer leaves it to the
/// grain's retry. An accepted message that left is an <c>artifact-transfer</c> entry (<see cref="RoundTransferLog"/>).
/// </summary>
public sealed partial class RoundCourier(
    RoundInbox inbox,
    LocalNation local,
    RosterStore roster,
    PeerHttpClientFactory clients,
    RoundTransferLog transfers,
    ILogger<RoundCourier> logger) : IRoundCourier
{
    /// <summary>The route as a client of a peer's federation endpoint addresses it.</summary>
    public const string Route = "federation/v1" + RoundRoutes.MessagesPath;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public void Send(JobRef job, RoundOutboxEntry entry, IOutboxClient replyTo) => _ = Task.Run(async () =>
    {
        Delivery delivery;
        try
        {
            delivery = entry.To == local.Code ? await LocallyAsync(job, entry) : await RemotelyAsync(job, entry);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            delivery = Delivery.Failed(e.GetBaseException().Message);
        }

        if (delivery.Error is { } error)
        {
            LogNotAccepted(logger, entry.Kind, job, entry.To, delivery.Delivered, error);
        }

        try
        {
            await replyTo.DeliveredAsync(entry.Id, delivery);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The grain is gone (its silo stopping); its next activation sends the entry again.
            LogReplyFailed(logger, job, e.Message);
        }
    });

    private async Task<Delivery> LocallyAsync(JobRef job, RoundOutboxEntry entry)
    {
        var document = JsonSerializer.Deserialize<RoundMessageDocument>(entry.Document, FederationJson.Options);
        var answer = await inbox.DeliverAsync(local.Code, job, document!);
        return new Delivery { Delivered = true, Error = answer.Accepted ? null : $"{answer.Reason}: {answer.Detail}" };
    }

    private async Task<Delivery> RemotelyAsync(JobRef job, RoundOutboxEntry entry)
    {
        if (roster.Find(entry.To.Value) is not { } peer)
        {
            return Delivery.Failed($"{entry.To} is not on the federation roster");
        }

        using var client = clients.CreateClient(peer);
        using var timeout = new CancellationTokenSource(s_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, Route)
        {
            Content = new StringContent(entry.Document, Encoding.UTF8, "application/json"),
        }.WithRequestId(entry.Id);
        using var response = await client.SendAsync(request, timeout.Token);
        if ((int)response.StatusCode >= 500 || response.StatusCode is System.Net.HttpStatusCode.RequestTimeout or System.Net.HttpStatusCode.TooManyRequests)
        {
            return Delivery.Failed($"{entry.To} answered HTTP {(int)response.StatusCode}");
        }

        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(timeout.Token);
            return new Delivery { Delivered = true, Error = $"{entry.To} refused it (HTTP {(int)response.StatusCode}): {(detail.Length > 300 ? detail[..300] : detail)}" };
        }

        var document = JsonSerializer.Deserialize<RoundMessageDocument>(entry.Document, FederationJson.Options);
        var message = RoundMessageCodec.Read(local.Code, document);
        _ = transfers.RecordAsync(job, message, entry.Document, entry.To, outbound: true, entry.Id);
        return new Delivery { Delivered = true };
    }

    [LoggerMessage(EventId = 9401, Level = LogLevel.Warning, Message = "Round message {Kind} of {Job} to {To} not accepted (answered: {Answered}): {Error}")]
    private static partial void LogNotAccepted(ILogger logger, string kind, JobRef job, NationCode to, bool answered, string error);

    [LoggerMessage(EventId = 9402, Level = LogLevel.Information, Message = "The run grain of {Job} could not be told how a send ended: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, JobRef job, string reason);
}
