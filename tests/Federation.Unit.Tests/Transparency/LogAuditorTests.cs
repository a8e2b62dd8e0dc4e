using System.Security.Cryptography.X509Certificates;
using Federation.Protocol;
using Federation.Transparency;

namespace Federation.Unit.Tests.Transparency;

/// <summary>A log checked against its signed heads: sound as written; every kind of tampering named at its first bad entry.</summary>
public sealed class LogAuditorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);
    private readonly X509Certificate2 _fr = NationCertificates.Create("FR");
    private readonly X509Certificate2 _de = NationCertificates.Create("DE");
    private readonly InMemoryTransparencyLog _log = new();

    public void Dispose()
    {
        _fr.Dispose();
        _de.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string[] Pins => [TreeHeadSignature.Pin(_fr)];

    private async Task<(List<LoggedEntry> Rows, List<SignedTreeHead> Heads)> WrittenAsync(int entries = 10, params int[] headSizes)
    {
        var heads = new List<SignedTreeHead>();
        for (var i = 0; i < entries; i++)
        {
            await _log.AppendAsync(TransparencyEntry.Create(TransparencyEntryKind.Admission, Start.AddSeconds(i), job: $"FR/job-{i}", rule: "capacity"), Ct);
            if (headSizes.Contains(i + 1))
            {
                var hashes = await _log.LeafHashesAsync(i + 1, Ct);
                var head = TreeHeadSignature.Sign(new TreeHead("FR", i + 1, MerkleTree.Root(hashes, i + 1), Start.AddSeconds(i + 0.5)), _fr);
                await _log.AddHeadAsync(head, Ct);
                heads.Add(head);
            }
        }

        return ([.. await _log.ReadAsync(0, 1000, Ct)], [.. await _log.HeadsAsync(0, 100, Ct)]);
    }

    [Fact]
    public async Task Verify_UntouchedLog_Sound()
    {
        var (rows, heads) = await WrittenAsync(10, 4, 10);
        var report = LogAuditor.Verify("FR", rows, heads, Pins);
        Assert.True(report.Sound, report.Problem);
        Assert.Equal(10, report.Entries);
        Assert.Equal(2, report.Heads);
    }

    [Fact]
    public async Task Verify_EditedEntry_NamesIt()
    {
        var (rows, heads) = await WrittenAsync(10, 10);
        var edited = TransparencyEntryEncoding.Encode(6, TransparencyEntry.Create(TransparencyEntryKind.Refusal, Start, job: "FR/job-6"));
        rows[6] = rows[6] with { Bytes = edited };
        var report = LogAuditor.Verify("FR", rows, heads, Pins);
        Assert.Equal(6, report.FirstBadEntry);
        Assert.Contains("entry 6 was edited", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EditedEntryAndLeafHash_CaughtByTheHeadThatCoversIt()
    {
        var (rows, heads) = await WrittenAsync(10, 4, 10);
        var edited = TransparencyEntryEncoding.Encode(6, TransparencyEntry.Create(TransparencyEntryKind.Refusal, Start, job: "FR/job-6"));
        rows[6] = new LoggedEntry(6, edited, MerkleHash.Leaf(edited));
        var report = LogAuditor.Verify("FR", rows, heads, Pins);
        Assert.Equal(4, report.FirstBadEntry);
        Assert.Contains("size 10", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DeletedRow_NamesTheMissingEntry()
    {
        var (rows, heads) = await WrittenAsync(10, 10);
        rows.RemoveAt(3);
        var report = LogAuditor.Verify("FR", rows, heads, Pins);
        Assert.Equal(3, report.FirstBadEntry);
        Assert.Contains("entry 3 is missing", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ReorderedRows_NamesTheFirstMovedEntry()
    {
        var (rows, heads) = await WrittenAsync(10, 10);

        // Renumbered as well as swapped, as an UPDATE of the sequence column would leave them.
        (rows[2], rows[5]) = (rows[5] with { Index = 2 }, rows[2] with { Index = 5 });
        var report = LogAuditor.Verify("FR", rows, heads, Pins);
        Assert.Equal(2, report.FirstBadEntry);
        Assert.Contains("holds entry 5", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TruncatedTail_NamesWhereItStarts()
    {
        var (rows, heads) = await WrittenAsync(10, 4, 10);
        rows.RemoveRange(7, 3);
        var report = LogAuditor.Verify("FR", rows, heads, Pins);
        Assert.Equal(7, report.FirstBadEntry);
        Assert.Contains("entries 7 to 9 are gone", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_HeadSignedByAnotherKey_Refused()
    {
        var (rows, heads) = await WrittenAsync(4, 4);
        heads.Add(TreeHeadSignature.Sign(heads[0].Head with { Time = heads[0].Head.Time.AddSeconds(5) }, _de));
        var report = LogAuditor.Verify("FR", rows, heads, Pins);
        Assert.Null(report.FirstBadEntry);
        Assert.Contains("not FR's on the roster", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prover_InclusionAndConsistency_VerifyAgainstSignedHeads()
    {
        var (_, heads) = await WrittenAsync(10, 4, 10);
        var prover = new TransparencyProver(_log);
        var (entry, proof) = await prover.InclusionAsync(6, 10, Ct);
        Assert.Null(MerkleProofs.VerifyInclusion(6, 10, MerkleHash.Leaf(entry.Bytes), proof, heads[1].Head.Root));
        var consistency = await prover.ConsistencyAsync(4, 10, Ct);
        Assert.Null(MerkleProofs.VerifyConsistency(4, 10, heads[0].Head.Root, heads[1].Head.Root, consistency));
    }

    [Fact]
    public async Task Query_ByJobKindAndTime_ReturnsMatchingEntriesInOrder()
    {
        await WrittenAsync(10);
        await _log.AppendAsync(TransparencyEntry.Create(TransparencyEntryKind.Refusal, Start.AddSeconds(20), job: "FR/job-3", rule: "quota"), Ct);
        var forJob = await _log.QueryAsync(new TransparencyQuery(Job: "FR/job-3"), Ct);
        Assert.Equal([3L, 10L], forJob.Select(r => r.Index));
        var refusals = await _log.QueryAsync(new TransparencyQuery(Kind: TransparencyEntryKind.Refusal), Ct);
        Assert.Equal([10L], refusals.Select(r => r.Index));
        var window = await _log.QueryAsync(new TransparencyQuery(Since: Start.AddSeconds(2), Until: Start.AddSeconds(5)), Ct);
        Assert.Equal([2L, 3L, 4L], window.Select(r => r.Index));
    }
}
