using System.Collections.Immutable;
using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Crypto;
using Federation.Learning.Protocol;

namespace Federation.Learning.Participant;

/// <summary>
/// One nation's side of one secure-aggregation round: fresh ECDH key pairs and a self-mask seed per
/// round, the signed advert, the encrypted shares, the masked input and the unmasking answer. It refuses
/// adverts that do not verify, and any unmasking request that would reveal both secrets of one nation.
/// </summary>
public sealed class SecureAggregationParticipant : IDisposable
{
    private readonly RoundKey _round;
    private readonly NationCode _self;
    private readonly ECDsa _federationKey;
    private readonly IReadOnlyDictionary<NationCode, ECDsa> _roster;
    private readonly int _threshold;
    private readonly ECDiffieHellman _encryption = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDiffieHellman _mask = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _selfMaskSeed = RandomNumberGenerator.GetBytes(MaskGenerator.SeedLength);
    private readonly Dictionary<NationCode, ECDiffieHellman> _peerEncryption = [];
    private readonly Dictionary<NationCode, ECDiffieHellman> _peerMask = [];
    private readonly Dictionary<NationCode, (SecretShare SelfMask, SecretShare MaskKey)> _held = [];
    private ImmutableArray<NationCode> _sharedKeys = [];
    private UnmaskingResponse? _answered;
    private UnmaskingRequest? _answeredRequest;

    /// <summary>Starts a round for <paramref name="self"/>, signing with its federation key; <paramref name="roster"/> maps every nation to its federation public key.</summary>
    public SecureAggregationParticipant(RoundKey round, NationCode self, ECDsa federationKey, IReadOnlyDictionary<NationCode, ECDsa> roster, int threshold)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        _round = round;
        _self = self;
        _federationKey = federationKey ?? throw new ArgumentNullException(nameof(federationKey));
        _roster = roster;
        _threshold = threshold;
    }

    /// <summary>Round 0: this round's public keys and self-mask commitment, signed.</summary>
    public KeyAdvert Advertise() =>
        KeyAdvertSigner.Sign(_round, _self, _encryption.ExportSubjectPublicKeyInfo(), _mask.ExportSubjectPublicKeyInfo(),
            KeyDerivation.SelfMaskCommitment(_selfMaskSeed, _round, _self), _federationKey);

    /// <summary>Round 1: verifies every advert the aggregator relayed and seals shares of this nation's secrets for each advertiser.</summary>
    public ShareKeysMessage ShareKeys(IReadOnlyList<KeyAdvert> adverts)
    {
        ArgumentNullException.ThrowIfNull(adverts);
        var others = new List<KeyAdvert>();
        foreach (var advert in adverts)
        {
            if (advert.Participant == _self)
            {
                continue;
            }

            if (!_roster.TryGetValue(advert.Participant, out var key))
            {
                throw new RoundMessageRefusedException(RefusalReason.NotInRound, $"Key advert from {advert.Participant}: not in the roster of {_round}.");
            }

            KeyAdvertSigner.Verify(advert, _round, key);
            if (_peerEncryption.ContainsKey(advert.Participant))
            {
                throw new RoundMessageRefusedException(RefusalReason.Duplicate, $"Two key adverts from {advert.Participant} in {_round}.");
            }

            _peerEncryption[advert.Participant] = KeyAdvertSigner.ImportP256(advert.EncryptionKey, advert.Participant, nameof(KeyAdvert.EncryptionKey));
            _peerMask[advert.Participant] = KeyAdvertSigner.ImportP256(advert.MaskKey, advert.Participant, nameof(KeyAdvert.MaskKey));
            others.Add(advert);
        }

        var everyone = others.Select(a => a.Participant).Append(_self).Order(Comparer<NationCode>.Create(Masks.Compare)).ToList();
        if (everyone.Count < _threshold)
        {
            throw new RoundMessageRefusedException(RefusalReason.Unsafe, $"Only {everyone.Count} nations advertised keys in {_round}; the threshold is {_threshold}.");
        }

        var selfMaskShares = ShamirSecretSharing.Split(_selfMaskSeed, _threshold, everyone.Count);
        var scalar = _mask.ExportParameters(true).D!;
        var maskKeyShares = ShamirSecretSharing.Split(scalar, _threshold, everyone.Count);
        CryptographicOperations.ZeroMemory(scalar);
        var sealedShares = ImmutableArray.CreateBuilder<EncryptedShare>();
        for (var i = 0; i < everyone.Count; i++)
        {
            var to = everyone[i];
            if (to == _self)
            {
                _held[_self] = (selfMaskShares[i], maskKeyShares[i]);
                continue;
            }

            sealedShares.Add(ShareEnvelope.Seal(_round, _self, to, _encryption, _peerEncryption[to].PublicKey, selfMaskShares[i], maskKeyShares[i]));
        }

        return new ShareKeysMessage(_round, _self, sealedShares.ToImmutable());
    }

    /// <summary>
    /// Round 2: opens the shares addressed to this nation (their senders are the nations that shared keys)
    /// and masks <paramref name="quantised"/> with the self mask and a pairwise mask per sender.
    /// </summary>
    public MaskedInput MaskInput(IReadOnlyList<EncryptedShare> received, ReadOnlySpan<uint> quantised)
    {
        ArgumentNullException.ThrowIfNull(received);
        foreach (var share in received)
        {
            if (share.To != _self || !_peerEncryption.TryGetValue(share.From, out var sender))
            {
                throw new RoundMessageRefusedException(RefusalReason.Malformed, $"Encrypted share from {share.From} to {share.To}: not addressed to {_self} by an advertiser.");
            }

            if (_held.ContainsKey(share.From))
            {
                throw new RoundMessageRefusedException(RefusalReason.Duplicate, $"Two encrypted shares from {share.From} in {_round}.");
            }

            _held[share.From] = ShareEnvelope.Open(_round, share, _encryption, sender.PublicKey);
        }

        _sharedKeys = [.. _held.Keys.Order(Comparer<NationCode>.Create(Masks.Compare))];
        if (_sharedKeys.Length < _threshold)
        {
            throw new RoundMessageRefusedException(RefusalReason.Unsafe, $"Only {_sharedKeys.Length} nations shared keys in {_round}; the threshold is {_threshold}.");
        }

        var masked = quantised.ToArray();
        Masks.Apply(masked, Masks.Self(_selfMaskSeed, _round, _self, masked.Length), 1);
        foreach (var peer in _sharedKeys.Where(p => p != _self))
        {
            Masks.Apply(masked, Masks.Pairwise(_mask, _peerMask[peer].PublicKey, _round, _self, peer, masked.Length), Masks.Sign(_self, peer));
        }

        return new MaskedInput(_round, _self, ImmutableArray.Create(masked));
    }

    /// <summary>
    /// Round 3: self-mask shares for survivors and mask-key shares for the dropped. Refused unless the two
    /// lists split exactly the nations that shared keys, include this nation among the survivors, number at
    /// least the threshold of survivors, and match any earlier request of this round.
    /// </summary>
    public UnmaskingResponse Unmask(UnmaskingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Round != _round)
        {
            throw new RoundMessageRefusedException(request.Round.Job == _round.Job ? RefusalReason.WrongRound : RefusalReason.WrongJob,
                $"Unmasking request for {request.Round}, not {_round}.");
        }

        if (_answered is not null)
        {
            return _answeredRequest!.Survivors.SequenceEqual(request.Survivors) && _answeredRequest.Dropped.SequenceEqual(request.Dropped)
                ? _answered
                : throw new RoundMessageRefusedException(RefusalReason.Unsafe, $"A second, different unmasking request in {_round}: answering it could reveal both secrets of a nation.");
        }

        var survivors = request.Survivors.ToHashSet();
        var dropped = request.Dropped.ToHashSet();
        if (_sharedKeys.IsDefaultOrEmpty || survivors.Overlaps(dropped) || survivors.Count + dropped.Count != _sharedKeys.Length
            || !_sharedKeys.All(n => survivors.Contains(n) || dropped.Contains(n)))
        {
            throw new RoundMessageRefusedException(RefusalReason.Unsafe,
                $"Unmasking request in {_round}: Survivors and Dropped must split exactly the nations that shared keys, with none in both.");
        }

        if (!survivors.Contains(_self))
        {
            throw new RoundMessageRefusedException(RefusalReason.Unsafe, $"Unmasking request in {_round} lists {_self} as dropped; it sent its masked input.");
        }

        if (survivors.Count < _threshold)
        {
            throw new RoundMessageRefusedException(RefusalReason.Unsafe, $"Unmasking request in {_round} has {survivors.Count} survivors; the threshold is {_threshold}.");
        }

        _answeredRequest = request;
        _answered = new UnmaskingResponse(_round, _self,
            [.. request.Survivors.Select(n => new OwnedShare(n, _held[n].SelfMask))],
            [.. request.Dropped.Select(n => new OwnedShare(n, _held[n].MaskKey))]);
        return _answered;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _encryption.Dispose();
        _mask.Dispose();
        foreach (var key in _peerEncryption.Values.Concat(_peerMask.Values))
        {
            key.Dispose();
        }

        CryptographicOperations.ZeroMemory(_selfMaskSeed);
    }
}
