using System.Text;
using Federation.Transparency;

namespace Federation.Unit.Tests.Transparency;

/// <summary>The canonical entry bytes, their strict reading, and the rules on each field.</summary>
public sealed class TransparencyEntryEncodingTests
{
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static TransparencyEntry Admission() => TransparencyEntry.Create(
        TransparencyEntryKind.Admission,
        new DateTimeOffset(2026, 12, 5, 4, 38, 5, 123, TimeSpan.FromHours(1)).AddTicks(4567),
        job: "FR/job-1",
        dataset: "FR/health-cohort",
        peer: "DE",
        rule: "capacity",
        subject: SubjectDigest.Compute(Secret, "alice@example.org"),
        detail: [new("zeta", "2"), new("alpha", "é\"1")]);

    [Fact]
    public void Encode_Entry_FixedOrderUtcMillisecondsSortedDetail()
    {
        var entry = Admission();
        var text = Encoding.UTF8.GetString(TransparencyEntryEncoding.Encode(41, entry));
        Assert.Equal(
            "{\"type\":\"federation.log-entry.v1\",\"index\":41,\"kind\":\"admission\",\"time\":\"2026-12-05T03:38:05.123Z\",\"job\":\"FR/job-1\",\"dataset\":\"FR/health-cohort\",\"peer\":\"DE\",\"rule\":\"capacity\",\"subject\":\""
                + entry.Subject + "\",\"detail\":{\"alpha\":\"\\u00E9\\u00221\",\"zeta\":\"2\"}}",
            text);
        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_AfterAHugeEntryAFailedOneAndOnManyThreads_SameBytes()
    {
        // Encoding keeps a buffer per thread: what came before on the thread never shows in the bytes.
        var expected = TransparencyEntryEncoding.Encode(41, Admission());
        var huge = TransparencyEntry.Create(
            TransparencyEntryKind.Admission,
            DateTimeOffset.UnixEpoch,
            detail: Enumerable.Range(0, TransparencyEntry.MaxDetail).Select(i => new KeyValuePair<string, string>($"k{i}", new string('é', TransparencyEntry.MaxDetailValue))));
        Assert.True(TransparencyEntryEncoding.Encode(0, huge).Length > 40_000, "the largest entry escapes to more than the buffer a thread keeps");
        Assert.Equal(expected, TransparencyEntryEncoding.Encode(41, Admission()));

        // An entry of no known kind (built past Create's checks) fails after "type" and "index" are written.
        var unknown = new TransparencyEntry((TransparencyEntryKind)999, DateTimeOffset.UnixEpoch, null, null, null, null, null, new Dictionary<string, string>());
        Assert.Throws<ArgumentOutOfRangeException>(() => TransparencyEntryEncoding.Encode(1, unknown));
        Assert.Equal(expected, TransparencyEntryEncoding.Encode(41, Admission()));
        var fromThreads = new System.Collections.Concurrent.ConcurrentBag<byte[]>();
        Parallel.For(0, 400, _ => fromThreads.Add(TransparencyEntryEncoding.Encode(41, Admission())));
        Assert.All(fromThreads, bytes => Assert.Equal(expected, bytes));
    }

    [Fact]
    public void Decode_CanonicalBytes_RoundTrips()
    {
        var bytes = TransparencyEntryEncoding.Encode(7, Admission());
        var (index, back) = TransparencyEntryEncoding.Decode(bytes);
        Assert.Equal(7, index);
        Assert.Equal(bytes, TransparencyEntryEncoding.Encode(index, back));
        Assert.Equal("capacity", back.Rule);
    }

    [Theory]
    [InlineData("{\"type\":\"federation.log-entry.v1\",\"index\":0,\"kind\":\"admission\",\"time\":\"2026-12-05T03:38:05.123Z\",\"job\":null,\"dataset\":null,\"peer\":null,\"rule\":null,\"subject\":null,\"detail\":{\"b\":\"1\",\"a\":\"2\"}}", "canonical form")]
    [InlineData("{\"type\":\"federation.log-entry.v1\",\"index\":0,\"kind\":\"admission\", \"time\":\"2026-12-05T03:38:05.123Z\",\"job\":null,\"dataset\":null,\"peer\":null,\"rule\":null,\"subject\":null,\"detail\":{}}", "canonical form")]
    [InlineData("{\"type\":\"federation.log-entry.v1\",\"index\":0,\"kind\":\"coffee\",\"time\":\"2026-12-05T03:38:05.123Z\",\"job\":null,\"dataset\":null,\"peer\":null,\"rule\":null,\"subject\":null,\"detail\":{}}", "unknown kind")]
    [InlineData("{\"type\":\"federation.log-entry.v1\",\"index\":0,\"kind\":\"admission\",\"time\":\"2026-12-05T03:38:05Z\",\"job\":null,\"dataset\":null,\"peer\":null,\"rule\":null,\"subject\":null,\"detail\":{}}", "time")]
    [InlineData("{\"type\":\"federation.log-entry.v1\",\"index\":0,\"kind\":\"admission\",\"time\":\"2026-12-05T03:38:05.123Z\",\"dataset\":null,\"peer\":null,\"rule\":null,\"subject\":null,\"detail\":{}}", "'job' is missing")]
    [InlineData("{\"type\":\"other\"}", "not a federation.log-entry.v1")]
    [InlineData("{\"type\":\"federation.log-entry.v1\",\"index\":-1}", "index")]
    public void Decode_NonCanonicalBytes_RefusedWithReason(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => TransparencyEntryEncoding.Decode(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadFields_NameTheField()
    {
        var now = DateTimeOffset.UnixEpoch;
        Assert.Contains("subject", Assert.Throws<ArgumentException>(() => TransparencyEntry.Create(TransparencyEntryKind.SignIn, now, subject: "alice@example.org")).Message, StringComparison.Ordinal);
        Assert.Contains("job", Assert.Throws<ArgumentException>(() => TransparencyEntry.Create(TransparencyEntryKind.Admission, now, job: "a\u0000b")).Message, StringComparison.Ordinal);
        Assert.Contains("rule", Assert.Throws<ArgumentException>(() => TransparencyEntry.Create(TransparencyEntryKind.Refusal, now, rule: new string('x', 201))).Message, StringComparison.Ordinal);
        Assert.Contains("detail", Assert.Throws<ArgumentException>(() => TransparencyEntry.Create(TransparencyEntryKind.Refusal, now, detail: Enumerable.Range(0, 17).Select(i => new KeyValuePair<string, string>($"k{i}", "v")))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubjectDigest_SameSubjectSameSecret_SameDigestOtherwiseDifferent()
    {
        var one = SubjectDigest.Compute(Secret, "alice");
        Assert.Equal(one, SubjectDigest.Compute(Secret, "alice"));
        Assert.NotEqual(one, SubjectDigest.Compute(Secret, "bob"));
        Assert.NotEqual(one, SubjectDigest.Compute([.. Secret.Select(b => (byte)(b + 1))], "alice"));
        Assert.True(SubjectDigest.IsDigest(one));
        Assert.Throws<ArgumentException>(() => SubjectDigest.Compute(new byte[16], "alice"));
    }

    [Fact]
    public void Kinds_EveryKind_HasADistinctDurableName()
    {
        Assert.Equal(Enum.GetValues<TransparencyEntryKind>().Length, TransparencyEntryKinds.All.Distinct().Count());
        foreach (var kind in Enum.GetValues<TransparencyEntryKind>())
        {
            Assert.True(TransparencyEntryKinds.TryParse(TransparencyEntryKinds.Name(kind), out var back));
            Assert.Equal(kind, back);
        }
    }
}
