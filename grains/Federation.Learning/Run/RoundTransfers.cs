using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>
/// What a round message is, for the transparency log's artifact-transfer entry of the bytes that carry
/// it across a border: an artifact class and a sentence ("masked update round 3", "aggregated model
/// round 2", "metrics round 3"). Only these classes ever cross: the global model, masked updates,
/// metrics, secure-aggregation key material and control messages; never a plain update.
/// </summary>
public static class RoundTransfers
{
    /// <summary>The global model (initial, or the previous round's aggregate).</summary>
    public const string AggregatedModel = "aggregated-model";

    /// <summary>A masked update.</summary>
    public const string MaskedUpdate = "masked-update";

    /// <summary>Metrics a dataset's export policy lets out.</summary>
    public const string Metrics = "metrics";

    /// <summary>Adverts, sealed shares and released shares of the secure aggregation.</summary>
    public const string KeyMaterial = "secagg-keys";

    /// <summary>A participant's ready signal, the aggregator's invitation to take part, or its notice that the run ended.</summary>
    public const string Control = "control";

    /// <summary>The artifact class and the sentence for <paramref name="message"/>.</summary>
    public static (string Artifact, string What) Describe(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        static int R(RoundKey session) => RunTerms.OfSession(session).Round;
        return message switch
        {
            RoundStart m => (AggregatedModel, m.Round == 1 ? "initial model for round 1" : $"aggregated model round {m.Round - 1}"),
            MaskedInput m => (MaskedUpdate, $"masked update round {R(m.Round)}"),
            RoundMetrics m => (Metrics, $"metrics round {R(m.Session)}"),
            KeyAdvert m => (KeyMaterial, $"key advert round {R(m.Round)}"),
            RelayedAdverts m => (KeyMaterial, $"key adverts round {R(m.Session)}"),
            ShareKeysMessage m => (KeyMaterial, $"sealed key shares round {R(m.Round)}"),
            RelayedShares m => (KeyMaterial, $"sealed key shares round {R(m.Session)}"),
            UnmaskingRequest m => (KeyMaterial, m.Dropped.IsDefaultOrEmpty
                ? $"unmasking request round {R(m.Round)}"
                : $"unmasking request round {R(m.Round)}, masks of dropped {string.Join(", ", m.Dropped.Select(n => n.Value))} rebuilt from shares"),
            UnmaskingResponse m => (KeyMaterial, $"unmasking shares round {R(m.Round)}"),
            ParticipantReady => (Control, "ready"),
            RunInvitation => (Control, "invitation"),
            RunEnded m => (Control, $"run ended: {m.Outcome}"),
            _ => throw new ArgumentException($"A {message.GetType().Name} is not a round message.", nameof(message)),
        };
    }
}
