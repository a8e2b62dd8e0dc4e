using System.Collections.Concurrent;
using System.Collections.Immutable;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Nations;
using Federation.Protocol.Terms;
using Federation.Routing.Trust;
using Federation.Silo.Peering;

namespace Federation.Silo.Trust;

/// <summary>
/// The receiver's side: before admitting an offer, each input's terms — this nation's own catalogue
/// for its own datasets, the signed terms that came with the offer for the others, verified against
/// the roster's pins of their home — are checked by <see cref="OfferInputCheck"/>. Verified terms are
/// kept by dataset and version, so a stream of offers costs no call to the home and one signature
/// check per version; terms older than a version already verified are refused as superseded.
/// </summary>
public sealed partial class OfferInputVerifier(IGrainFactory grains, LocalNation local, RosterStore roster, TimeProvider time, ILogger<OfferInputVerifier> logger)
{
    /// <summary>Most signed terms one offer may carry.</summary>
    public const int MaxTerms = 256;

    private readonly ConcurrentDictionary<(DatasetRef Dataset, int Version), SignedDatasetTerms> _verified = new();
    private readonly ConcurrentDictionary<DatasetRef, int> _newest = new();

    /// <summary>Every reason to refuse <paramref name="spec"/> here because of its inputs; empty when they allow it.</summary>
    public async Task<ImmutableArray<string>> CheckAsync(JobRef job, JobSpec spec, IReadOnlyList<SignedDatasetTerms?> attached)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(attached);
        var terms = new Dictionary<DatasetRef, InputTerms>();
        foreach (var input in spec.Inputs.IsDefault ? [] : spec.Inputs)
        {
            if (!terms.ContainsKey(input))
            {
                terms[input] = input.Nation == local.Code ? await OwnAsync(input) : Foreign(input, attached);
            }
        }

        var reasons = OfferInputCheck.Check(spec, local.Code, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), terms);
        if (!reasons.IsEmpty)
        {
            LogRefused(logger, job, string.Join("; ", reasons));
        }

        return reasons;
    }

    private async Task<InputTerms> OwnAsync(DatasetRef input)
    {
        var record = await grains.GetGrain<IDatasetGrain>(input.Dataset.GrainKey).GetAsync();
        return record switch
        {
            null or { Status: CatalogueStatus.Deleted } => InputTerms.Unknown($"dataset {input} is not in {local.Code}'s catalogue"),
            { Status: CatalogueStatus.Withdrawn } => InputTerms.Unknown($"dataset {input} is withdrawn ({record.StatusReason})"),
            _ => InputTerms.Known(TermsSigner.Statement(record)),
        };
    }

    private InputTerms Foreign(DatasetRef input, IReadOnlyList<SignedDatasetTerms?> attached)
    {
        var signed = attached.FirstOrDefault(t => t?.Terms is not null && t.Terms.Dataset == input);
        if (signed is null)
        {
            return InputTerms.Unknown($"dataset {input}: no terms signed by {input.Nation} came with the offer (unknown dataset, private to {input.Nation}, or not vouched for)");
        }

        if (roster.Find(input.Nation.Value) is not { } home)
        {
            return InputTerms.Unknown($"dataset {input}: {input.Nation} is not on the federation roster");
        }

        var key = (input, signed.Terms.Version);
        if (!(_verified.TryGetValue(key, out var known) && Same(known, signed)))
        {
            if (DatasetTermsSignature.Verify(signed, home.Pins) is { } failure)
            {
                return InputTerms.Unknown($"dataset {input}: {failure}");
            }

            _verified[key] = signed;
            _newest.AddOrUpdate(input, signed.Terms.Version, (_, v) => Math.Max(v, signed.Terms.Version));
        }

        return _newest.TryGetValue(input, out var newest) && newest > signed.Terms.Version
            ? InputTerms.Unknown($"dataset {input}: the terms are version {signed.Terms.Version}, superseded by version {newest} signed by {input.Nation}")
            : InputTerms.Known(signed.Terms);
    }

    private static bool Same(SignedDatasetTerms a, SignedDatasetTerms b) =>
        a.Signature == b.Signature && a.SignerKey == b.SignerKey && a.Terms == b.Terms;

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Offer of {Job} refused for its inputs: {Reasons}")]
    private static partial void LogRefused(ILogger logger, JobRef job, string reasons);
}
