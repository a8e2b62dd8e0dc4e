using System.Security.Cryptography;
using Federation.Silo.Jobs.Staging;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Staging;

/// <summary>
/// <see cref="FileDigestCache"/> on real files: a digest is remembered under the file's path, length and
/// modification time and its kernel identity (device, inode, ctime), so other bytes put in place with the old
/// length and modification time are read again, and an unchanged file is not.
/// </summary>
public sealed class FileDigestCacheTests : IDisposable
{
    private static readonly DateTime Stamp = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("file-digests-");

    // Far after any file written here: every file counts as changed long ago, so its digest may be remembered.
    private readonly FakeTimeProvider _later = new(DateTimeOffset.UtcNow.AddDays(1));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Sha256Async_SameLengthWrittenInPlaceAndModificationTimeSetBack_NewDigest()
    {
        var path = Write("set.csv", Bytes('a'));
        var cache = new FileDigestCache(_later);
        Assert.Equal(Sha256(Bytes('a')), await cache.Sha256Async(path, Ct));
        var old = FileDigestCache.Stat(path);

        await File.WriteAllBytesAsync(path, Bytes('b'), Ct);
        File.SetLastWriteTimeUtc(path, Stamp);
        await ChangedSinceAsync(path, old);

        var now = FileDigestCache.Stat(path);
        Assert.Equal((old.Path, old.Length, old.Modified), (now.Path, now.Length, now.Modified));
        Assert.Equal(Sha256(Bytes('b')), await cache.Sha256Async(path, Ct));
        Assert.Equal(Sha256(Bytes('b')), await cache.Sha256Async(now, Ct));
    }

    [Fact]
    public async Task Sha256Async_OtherFileRenamedOverWithSameLengthAndModificationTime_NewDigest()
    {
        var path = Write("set.csv", Bytes('a'));
        var cache = new FileDigestCache(_later);
        Assert.Equal(Sha256(Bytes('a')), await cache.Sha256Async(path, Ct));
        var old = FileDigestCache.Stat(path);

        File.Move(Write("other.csv", Bytes('b')), path, overwrite: true);

        var now = FileDigestCache.Stat(path);
        Assert.Equal((old.Path, old.Length, old.Modified), (now.Path, now.Length, now.Modified));
        Assert.Equal(Sha256(Bytes('b')), await cache.Sha256Async(path, Ct));
    }

    [Fact]
    public async Task Sha256Async_UnchangedFile_NotReadAgain()
    {
        var path = Write("set.csv", Bytes('a'));
        Assert.SkipWhen(FileDigestCache.Stat(path).Identity is null, "no statx here: nothing is remembered");
        var cache = new FileDigestCache(_later);
        Assert.Equal(Sha256(Bytes('a')), await cache.Sha256Async(path, Ct));

        // An exclusive lock (flock) makes every other open of the file fail, so only a remembered digest can be returned.
        await using var locked = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        await AssertLockedAsync(path);

        Assert.Equal(Sha256(Bytes('a')), await cache.Sha256Async(path, Ct));
        Assert.Equal(Sha256(Bytes('a')), await cache.Sha256Async(FileDigestCache.Stat(path), Ct));
    }

    [Fact]
    public async Task Sha256Async_FileChangedJustBeforeTheRead_NotRemembered()
    {
        var path = Write("set.csv", Bytes('a'));
        Assert.SkipWhen(FileDigestCache.Stat(path).Identity is null, "no statx here: nothing is remembered");
        var cache = new FileDigestCache();
        Assert.Equal(Sha256(Bytes('a')), await cache.Sha256Async(path, Ct));

        await using var locked = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        await AssertLockedAsync(path);

        // Written within RecentChange: a write in the same timestamp tick would leave the ctime as it is, so the file is read again.
        await Assert.ThrowsAsync<IOException>(() => cache.Sha256Async(path, Ct));
    }

    [Fact]
    public async Task Sha256Async_MissingFile_ReturnedTaskFails()
    {
        var cache = new FileDigestCache(_later);

        var digest = cache.Sha256Async(Path.Combine(_directory.FullName, "missing.csv"), Ct);

        await Assert.ThrowsAsync<FileNotFoundException>(() => digest);
    }

    [Fact]
    public void Stat_SymbolicLink_TheTargetItself()
    {
        var target = Write("set.csv", Bytes('a'));
        var link = Path.Combine(_directory.FullName, "link.csv");
        File.CreateSymbolicLink(link, target);

        var stat = FileDigestCache.Stat(link);

        Assert.Equal(target, stat.Path);
        Assert.Equal(FileDigestCache.Stat(target), stat);
        Assert.Equal(4096, stat.Length);
        Assert.Equal(Stamp, stat.Modified);
    }

    private static byte[] Bytes(char fill) => Enumerable.Repeat((byte)fill, 4096).ToArray();

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Waits until the file's ctime moved on (timestamps are coarse: a kernel tick), setting its modification time back each time.</summary>
    private static async Task ChangedSinceAsync(string path, FileStat old)
    {
        for (var i = 0; old.Identity is not null && FileDigestCache.Stat(path).Identity == old.Identity; i++)
        {
            Assert.True(i < 500, "the file's ctime did not change in 5 s");
            await Task.Delay(10, Ct);
            File.SetLastWriteTimeUtc(path, Stamp);
        }
    }

    [Fact]
    public async Task Sha256Async_FifoWhereTheFileWas_NotFoundAtOnce()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "FIFOs and statx are Linux's here");
        var path = Path.Combine(_directory.FullName, "set.csv");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            await mkfifo.WaitForExitAsync(Ct);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opened for reading, a FIFO with no writer blocks for ever: on a thread of its own, with a bound.
        var hashed = Task.Run(() => new FileDigestCache(_later).Sha256Async(path, Ct), Ct);

        Assert.Throws<FileNotFoundException>(() => FileDigestCache.Stat(path));
        await Assert.ThrowsAsync<FileNotFoundException>(() => hashed.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    /// <summary>A cache that remembers nothing cannot read <paramref name="path"/>; the test means nothing where locks are off.</summary>
    private async Task AssertLockedAsync(string path)
    {
        try
        {
            await new FileDigestCache(_later).Sha256Async(path, Ct);
        }
        catch (IOException)
        {
            return;
        }

        Assert.Skip("an exclusive FileStream does not lock the file here (DOTNET_SYSTEM_IO_DISABLEFILELOCKING?)");
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, Stamp);
        return path;
    }
}
