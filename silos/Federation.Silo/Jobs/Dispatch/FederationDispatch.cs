using System.Collections.Frozen;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// The one dispatch of federation job messages: one handler per message type, registered here once.
/// The courier delivers locally and sends remotely through it; the federation endpoints, once a body
/// has passed their validation and sender checks, hand it to the same handler.
/// </summary>
public sealed class FederationDispatch
{
    private readonly FrozenDictionary<Type, IFederationHandler> _handlers;
    private readonly FrozenDictionary<string, IFederationHandler> _byKind;

    /// <summary>Registers the handler of every message type.</summary>
    /// <param name="grains">Where the receiving grains are found.</param>
    /// <param name="loggers">Where <see cref="Federation.Grains.Jobs.JobStages"/> writes its stage lines (none: not written).</param>
    /// <param name="options">The silo's options: which jobs get stage lines (<c>Federation:Hosting:StageJobs</c>).</param>
    public FederationDispatch(IGrainFactory grains, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null, Microsoft.Extensions.Options.IOptions<Federation.Silo.Options.FederationOptions>? options = null)
    {
        if (loggers is not null)
        {
            Federation.Grains.Jobs.JobStages.Use(loggers, options?.Value.Hosting.StageJobs);
        }

        Offers = new OfferHandler(grains);
        Reports = new ReportHandler(grains);
        Renewals = new RenewalHandler(grains);
        Cancellations = new CancellationHandler(grains);
        Handlers = [Offers, Reports, Renewals, Cancellations];
        _handlers = Handlers.ToFrozenDictionary(h => h.MessageType);
        _byKind = Handlers.ToFrozenDictionary(h => h.BatchKind, StringComparer.Ordinal);
    }

    /// <summary>Offers, to the execution grain.</summary>
    public OfferHandler Offers { get; }

    /// <summary>Reports and give-backs, to the job grain.</summary>
    public ReportHandler Reports { get; }

    /// <summary>Lease renewals, to the job grain.</summary>
    public RenewalHandler Renewals { get; }

    /// <summary>Cancellations and fences, to the execution grain.</summary>
    public CancellationHandler Cancellations { get; }

    /// <summary>Every handler, one per message type.</summary>
    public IReadOnlyList<IFederationHandler> Handlers { get; }

    /// <summary>The handler of <paramref name="message"/>'s type.</summary>
    /// <exception cref="ArgumentException">No handler is registered for the message's type.</exception>
    public IFederationHandler For(FederationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _handlers.TryGetValue(message.GetType(), out var handler)
            ? handler
            : throw new ArgumentException($"no federation handler is registered for a {message.GetType().Name} ({message.Kind})", nameof(message));
    }

    /// <summary>The handler of a batch entry's <paramref name="kind"/>, or <see langword="null"/> for a kind no handler has.</summary>
    public IFederationHandler? ForBatchKind(string kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>Delivers <paramref name="message"/> from <paramref name="sender"/> to its receiving grain in this silo.</summary>
    public Task<Delivery> DeliverAsync(NationCode sender, FederationMessage message) => For(message).DeliverAsync(sender, message);
}
