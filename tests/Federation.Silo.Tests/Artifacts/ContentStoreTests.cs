using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Silo.Artifacts;

namespace Federation.Silo.Tests.Artifacts;

/// <summary>The content-addressed artifact store on a directory of its own.</summary>
public sealed class ContentStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("artifact-store-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("artifact-outside-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private static Sha256Digest DigestOf(byte[] bytes) => TypedId.Parse<Sha256Digest>(Convert.ToHexStringLower(SHA256.HashData(bytes)));

    private string[] FilesUnderRoot() => Directory.GetFiles(_root, "*", SearchOption.AllDirectories);

    [Fact]
    public async Task Write_MatchingBytes_StoredUnderTheirDigest_ReadBack()
    {
        var store = new ContentStore(_root);
        byte[] bytes = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i * 13))];
        var digest = DigestOf(bytes);

        var written = await store.WriteAsync(new MemoryStream(bytes), digest, bytes.Length, 1 << 20, Ct);

        Assert.Equal(ContentWriteOutcome.Stored, written.Outcome);
        Assert.Equal(Path.Combine(_root, "sha256", digest.Value[..2], digest.Value[2..]), store.PathOf(digest));
        Assert.Equal(bytes.Length, store.SizeOf(digest));
        await using var read = store.OpenRead(digest)!;
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Sweep_OrphanedAndStalePartial_RemovedNamedAndFreshKept()
    {
        var store = new ContentStore(_root);
        byte[] named = [1, 2, 3, 4];
        byte[] orphan = [5, 6, 7, 8];
        byte[] fresh = [9, 10, 11];
        foreach (var bytes in new[] { named, orphan, fresh })
        {
            Assert.True((await store.WriteAsync(new MemoryStream(bytes), DigestOf(bytes), bytes.Length, 100, Ct)).Succeeded);
        }

        var now = DateTimeOffset.UtcNow;
        var old = now.UtcDateTime.AddHours(-2);
        File.SetLastWriteTimeUtc(store.PathOf(DigestOf(named)), old);
        File.SetLastWriteTimeUtc(store.PathOf(DigestOf(orphan)), old);
        var stalePartial = Path.Combine(_root, "incoming", ".partial-stale");
        var livePartial = Path.Combine(_root, "incoming", ".partial-live");
        await File.WriteAllBytesAsync(stalePartial, new byte[10], Ct);
        await File.WriteAllBytesAsync(livePartial, new byte[20], Ct);
        File.SetLastWriteTimeUtc(stalePartial, old);
        var asked = new List<Sha256Digest>();

        var (files, bytesRemoved) = await store.SweepAsync(
            (digest, _) => { asked.Add(digest); return Task.FromResult(digest == DigestOf(named)); }, TimeSpan.FromHours(1), now, Ct);

        Assert.Equal((2, 14L), (files, bytesRemoved));
        Assert.Null(store.SizeOf(DigestOf(orphan)));
        Assert.Equal(named.Length, store.SizeOf(DigestOf(named)));
        Assert.Equal(fresh.Length, store.SizeOf(DigestOf(fresh)));
        Assert.False(File.Exists(stalePartial), "a partial write older than the bound is swept");
        Assert.True(File.Exists(livePartial), "a partial write younger than the bound may be live");
        Assert.DoesNotContain(DigestOf(fresh), asked);
    }

    [Fact]
    public async Task Write_BytesThatDoNotHashToTheDeclaredDigest_StoresNothing()
    {
        var store = new ContentStore(_root);
        var declared = DigestOf([1, 2, 3]);

        var written = await store.WriteAsync(new MemoryStream([1, 2, 4]), declared, 3, 1 << 20, Ct);

        Assert.Equal(ContentWriteOutcome.DigestMismatch, written.Outcome);
        Assert.Equal(DigestOf([1, 2, 4]), written.Actual);
        Assert.Null(store.SizeOf(declared));
        Assert.Empty(FilesUnderRoot());
    }

    [Fact]
    public async Task Write_MoreThanTheLimitOrTheDeclaredSize_StoresNothing()
    {
        var store = new ContentStore(_root);
        byte[] bytes = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];

        var tooLarge = await store.WriteAsync(new MemoryStream(bytes), DigestOf(bytes), null, 4096, Ct);
        var wrongSize = await store.WriteAsync(new MemoryStream(bytes), DigestOf(bytes), 4999, 1 << 20, Ct);

        Assert.Equal(ContentWriteOutcome.TooLarge, tooLarge.Outcome);
        Assert.Equal(ContentWriteOutcome.SizeMismatch, wrongSize.Outcome);
        Assert.Empty(FilesUnderRoot());
    }

    [Fact]
    public async Task Write_TheSameBytesTwice_IsOneFile()
    {
        var store = new ContentStore(_root);
        byte[] bytes = [9, 8, 7, 6];
        var digest = DigestOf(bytes);

        var first = await store.WriteAsync(new MemoryStream(bytes), digest, 4, 1 << 20, Ct);
        var second = await store.WriteAsync(new MemoryStream(bytes), digest, 4, 1 << 20, Ct);

        Assert.Equal(ContentWriteOutcome.Stored, first.Outcome);
        Assert.Equal(ContentWriteOutcome.AlreadyStored, second.Outcome);
        Assert.Equal([store.PathOf(digest)], FilesUnderRoot());
    }

    [Fact]
    public async Task ASymbolicLinkBelowTheRoot_IsNeverFollowed()
    {
        var store = new ContentStore(_root);
        byte[] bytes = [1, 1, 2, 3, 5, 8];
        var digest = DigestOf(bytes);
        var secret = Path.Combine(_outside, digest.Value[2..]);
        await File.WriteAllBytesAsync(secret, bytes, Ct);
        Directory.CreateSymbolicLink(Path.Combine(_root, "sha256", digest.Value[..2]), _outside);

        Assert.Null(store.OpenRead(digest));
        Assert.Null(store.SizeOf(digest));
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(new MemoryStream(bytes), digest, bytes.Length, 1 << 20, Ct));
        Assert.Equal([secret], Directory.GetFiles(_outside));
    }

    [Fact]
    public void ARelativeRoot_IsRefused() =>
        Assert.Contains("Federation:Artifacts:Root", Assert.Throws<InvalidOperationException>(() => new ContentStore("artifacts")).Message, StringComparison.Ordinal);
}
