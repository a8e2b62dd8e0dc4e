using System.Text.Json;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Protocol.Messages;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// The handler of messages of type <typeparamref name="TMessage"/>, whose receiving grain answers
/// <typeparamref name="TAnswer"/>. Subclasses say which grain receives the message and how its
/// answer is recorded in a <see cref="Delivery"/>; this class does the rest for every message type.
/// </summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <typeparam name="TAnswer">What the receiving grain answers.</typeparam>
/// <param name="grains">Where the receiving grains are found.</param>
public abstract class FederationHandler<TMessage, TAnswer>(IGrainFactory grains) : IFederationHandler
    where TMessage : FederationMessage
{
    /// <inheritdoc />
    public Type MessageType => typeof(TMessage);

    /// <inheritdoc />
    public abstract string Route { get; }

    /// <inheritdoc />
    public abstract string BatchKind { get; }

    /// <inheritdoc />
    public virtual Type? AnswerType => typeof(TAnswer);

    /// <summary>Where the receiving grains are found.</summary>
    protected IGrainFactory Grains => grains;

    /// <summary>Delivers <paramref name="message"/> from <paramref name="sender"/> to its receiving grain and returns the grain's answer.</summary>
    /// <param name="sender">The sending nation, as its certificate (or this silo, for local delivery) identified it.</param>
    /// <param name="message">The message, already checked by the receiver's rules.</param>
    public abstract Task<TAnswer> DeliverAsync(NationCode sender, TMessage message);

    /// <summary>The body that goes on the wire for <paramref name="message"/>.</summary>
    protected abstract object WireBody(TMessage message);

    /// <summary>A successful delivery carrying <paramref name="answer"/> (<see langword="null"/> when the peer sent none).</summary>
    protected abstract Delivery Delivered(TAnswer? answer);

    /// <inheritdoc />
    public object WireBody(FederationMessage message) => WireBody(Cast(message));

    /// <inheritdoc />
    public async Task<Delivery> DeliverAsync(NationCode sender, FederationMessage message) =>
        Delivered(await DeliverAsync(sender, Cast(message)));

    /// <inheritdoc />
    public async Task<Delivery> ReadAnswerAsync(HttpContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return AnswerType is null
            ? Delivered(default)
            : Delivered(await content.ReadFromJsonAsync<TAnswer>(FederationJson.Options, cancellationToken));
    }

    /// <inheritdoc />
    public Delivery ReadAnswer(System.Text.Json.JsonElement? answer) =>
        AnswerType is null || answer is not { ValueKind: not System.Text.Json.JsonValueKind.Null } body
            ? Delivered(default)
            : Delivered(body.Deserialize<TAnswer>(FederationJson.Options));

    private static TMessage Cast(FederationMessage message) => message as TMessage
        ?? throw new ArgumentException($"a {typeof(TMessage).Name} handler cannot deliver a {message?.GetType().Name ?? "null"}", nameof(message));
}
