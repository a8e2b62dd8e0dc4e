using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// How one kind of <see cref="FederationMessage"/> travels and lands: its route, its wire body, the
/// grain that receives it and the answer that grain gives. The courier (local delivery, remote send)
/// and the federation endpoints use the same handler, found through <see cref="FederationDispatch"/>.
/// </summary>
public interface IFederationHandler
{
    /// <summary>The message type this handler delivers.</summary>
    Type MessageType { get; }

    /// <summary>The route a sender posts to, relative to the peer's base address.</summary>
    string Route { get; }

    /// <summary>The message's <c>kind</c> in a batch (one of <see cref="Federation.Protocol.Wire.MessageBatchKinds.All"/>).</summary>
    string BatchKind { get; }

    /// <summary>The type of the receiver's answer on the wire; <see langword="null"/> when it answers 204 with no body.</summary>
    Type? AnswerType { get; }

    /// <summary>The body that goes on the wire for <paramref name="message"/>.</summary>
    object WireBody(FederationMessage message);

    /// <summary>Delivers <paramref name="message"/> from <paramref name="sender"/> to its receiving grain, and tells how it ended.</summary>
    Task<Delivery> DeliverAsync(NationCode sender, FederationMessage message);

    /// <summary>Reads the receiver's successful HTTP answer into a delivery.</summary>
    Task<Delivery> ReadAnswerAsync(HttpContent content, CancellationToken cancellationToken);

    /// <summary>Reads the answer of a successful batch entry (<see langword="null"/> when it has none) into a delivery.</summary>
    Delivery ReadAnswer(System.Text.Json.JsonElement? answer);
}
