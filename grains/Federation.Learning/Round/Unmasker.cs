using System.Collections.Immutable;
using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Crypto;
using Federation.Learning.Protocol;

namespace Federation.Learning.Round;

/// <summary>
/// The aggregator's last step: sums the survivors' masked inputs, removes each survivor's self mask
/// (rebuilt from shares and checked against its commitment) and each survivor's pairwise mask with each
/// dropped nation (from the dropped nation's rebuilt mask key, checked against its advert).
/// </summary>
internal static class Unmasker
{
    public static ImmutableArray<uint> Unmask(
        RoundConfiguration configuration, IReadOnlyDictionary<NationCode, KeyAdvert> adverts,
        IReadOnlyDictionary<NationCode, MaskedInput> inputs, IReadOnlyCollection<NationCode> dropped,
        IReadOnlyCollection<UnmaskingResponse> responses)
    {
        var round = configuration.Round;
        var length = configuration.VectorLength;
        var sum = new uint[length];
        foreach (var input in inputs.Values)
        {
            Masks.Apply(sum, input.Values.AsSpan(), 1);
        }

        foreach (var survivor in inputs.Keys)
        {
            var shares = responses.Select(r => r.SelfMaskShares.First(s => s.Owner == survivor).Share).Take(configuration.Threshold).ToList();
            var seed = ShamirSecretSharing.Combine(shares, MaskGenerator.SeedLength);
            var commitment = KeyDerivation.SelfMaskCommitment(seed, round, survivor);
            if (!CryptographicOperations.FixedTimeEquals(commitment, adverts[survivor].SelfMaskCommitment.AsSpan()))
            {
                throw new CryptographicException($"the self-mask seed rebuilt for {survivor} does not match its SelfMaskCommitment: a share is wrong.");
            }

            Masks.Apply(sum, Masks.Self(seed, round, survivor, length), -1);
            CryptographicOperations.ZeroMemory(seed);
        }

        foreach (var gone in dropped)
        {
            var shares = responses.Select(r => r.MaskKeyShares.First(s => s.Owner == gone).Share).Take(configuration.Threshold).ToList();
            var scalar = ShamirSecretSharing.Combine(shares, 32);
            using var advertised = KeyAdvertSigner.ImportP256(adverts[gone].MaskKey, gone, nameof(KeyAdvert.MaskKey));
            using var goneKey = Masks.ImportPrivate(scalar, advertised, gone);
            CryptographicOperations.ZeroMemory(scalar);
            foreach (var survivor in inputs.Keys)
            {
                using var survivorKey = KeyAdvertSigner.ImportP256(adverts[survivor].MaskKey, survivor, nameof(KeyAdvert.MaskKey));
                var mask = Masks.Pairwise(goneKey, survivorKey.PublicKey, round, gone, survivor, length);
                Masks.Apply(sum, mask, -Masks.Sign(survivor, gone));
            }
        }

        return ImmutableArray.Create(sum);
    }
}
