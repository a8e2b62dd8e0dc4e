using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Participant;
using Federation.Learning.Protocol;
using Federation.Learning.Round;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Learning;

/// <summary>
/// Nations with federation keys, their participants and the aggregator's round, wired together the way a
/// relay would: every message the aggregator receives goes through <see cref="Deliver"/> and is kept in
/// <see cref="Received"/>.
/// </summary>
internal sealed class SecAggHarness : IDisposable
{
    public static readonly TimeSpan StageTimeout = TimeSpan.FromMinutes(5);

    public SecAggHarness(string[] nations, string aggregator, int threshold, int length, ShortfallPolicy policy = ShortfallPolicy.Stop, int round = 3)
    {
        Nations = [.. nations.Select(TypedId.Parse<NationCode>)];
        Aggregator = TypedId.Parse<NationCode>(aggregator);
        Round = new RoundKey(TypedId.Parse<JobRef>("FR/train-1"), round);
        foreach (var nation in Nations)
        {
            FederationKeys[nation] = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        }

        Roster = FederationKeys.ToDictionary(p => p.Key, p => p.Value);
        foreach (var nation in Nations)
        {
            Participants[nation] = new SecureAggregationParticipant(Round, nation, FederationKeys[nation], Roster, threshold);
        }

        Server = new SecureAggregationRound(new RoundConfiguration(Round, Aggregator, Roster, threshold, length, StageTimeout, policy), Time);
    }

    public FakeTimeProvider Time { get; } = new();

    public IReadOnlyList<NationCode> Nations { get; }

    public NationCode Aggregator { get; }

    public RoundKey Round { get; }

    public Dictionary<NationCode, ECDsa> FederationKeys { get; } = [];

    public IReadOnlyDictionary<NationCode, ECDsa> Roster { get; }

    public Dictionary<NationCode, SecureAggregationParticipant> Participants { get; } = [];

    public SecureAggregationRound Server { get; }

    public List<object> Received { get; } = [];

    /// <summary>What carries a message between a nation and the aggregator; identity unless a test serialises.</summary>
    public Func<object, object> Wire { get; set; } = m => m;

    private T Carry<T>(T message) where T : notnull => (T)Wire(message);

    public static NationCode N(string code) => TypedId.Parse<NationCode>(code);

    public MessageVerdict Deliver(NationCode sender, object message)
    {
        message = Wire(message);
        Received.Add(message);
        return message switch
        {
            KeyAdvert m => Server.Receive(sender, m),
            ShareKeysMessage m => Server.Receive(sender, m),
            MaskedInput m => Server.Receive(sender, m),
            UnmaskingResponse m => Server.Receive(sender, m),
            _ => throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message)),
        };
    }

    /// <summary>Runs one stage for every nation not in <paramref name="absent"/>, then advances (after the timeout if someone is absent).</summary>
    public RoundStatus Stage(Func<NationCode, object> send, params NationCode[] absent)
    {
        foreach (var nation in Nations.Where(n => !absent.Contains(n)))
        {
            var verdict = Deliver(nation, send(nation));
            Assert.True(verdict.Accepted, $"{Server.Status.Stage}: the message from {nation} was refused: {verdict.Detail}");
        }

        return AdvanceOrTimeOut();
    }

    public RoundStatus AdvanceOrTimeOut()
    {
        var before = Server.Status;
        var status = Server.Advance();
        if (status == before)
        {
            Time.Advance(StageTimeout);
            status = Server.Advance();
        }

        return status;
    }

    public RoundStatus Advertise(params NationCode[] absent) => Stage(n => Participants[n].Advertise(), absent);

    public RoundStatus ShareKeys(params NationCode[] absent) => Stage(n => Participants[n].ShareKeys([.. Server.Adverts.Select(Carry)]), absent);

    public RoundStatus MaskInputs(IReadOnlyDictionary<NationCode, uint[]> inputs, params NationCode[] absent) =>
        Stage(n => Participants[n].MaskInput([.. Server.SharesFor(n).Select(Carry)], inputs[n]), absent);

    public RoundStatus Unmask(params NationCode[] absent) => Stage(n => Participants[n].Unmask(Carry(Server.UnmaskingRequest!)), absent);

    /// <summary>Random quantised inputs of 20-bit levels, one per nation.</summary>
    public Dictionary<NationCode, uint[]> RandomInputs(int length, int seed)
    {
        var random = new Random(seed);
        return Nations.ToDictionary(n => n, _ => Enumerable.Range(0, length).Select(_ => (uint)random.Next(0, 1 << 20)).ToArray());
    }

    public static uint[] PlainSum(IEnumerable<uint[]> inputs, int length)
    {
        var sum = new uint[length];
        foreach (var input in inputs)
        {
            for (var i = 0; i < length; i++)
            {
                sum[i] = unchecked(sum[i] + input[i]);
            }
        }

        return sum;
    }

    public void Dispose()
    {
        foreach (var participant in Participants.Values)
        {
            participant.Dispose();
        }

        foreach (var key in FederationKeys.Values)
        {
            key.Dispose();
        }
    }
}
