using System.Collections.Concurrent;
using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Grains.Jobs;
using Federation.Protocol.Terms;
using Federation.Routing.Trust;
using Federation.Silo.Peering;

namespace Federation.Silo.Trust;

/// <summary>
/// The receiver's side: the signed terms an offer carries for another nation's dataset, verified
/// against the roster's pins of that home. Verified terms are kept by dataset and version, so a
/// stream of offers costs no call to the home and one signature check per version; terms older than
/// a version already verified are refused as superseded.
/// </summary>
public sealed class OfferInputVerifier(RosterStore roster) : IInputTermsVerifier
{
    /// <summary>Most signed terms one offer may carry.</summary>
    public const int MaxTerms = 256;

    private readonly ConcurrentDictionary<(DatasetRef Dataset, int Version), SignedDatasetTerms> _verified = new();
    private readonly ConcurrentDictionary<DatasetRef, int> _newest = new();

    /// <inheritdoc />
    public InputTerms Verify(DatasetRef input, ImmutableArray<SignedDatasetTerms> attached)
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
}
