using Federation.Silo.Jobs.Staging;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Staging;

/// <summary>
/// <see cref="DataRoots"/> on the real file system: the roots' and protected paths' links are resolved
/// once per <see cref="DataRoots.Refresh"/>, a location's own links on every check.
/// </summary>
public sealed class DataRootsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("data-roots-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private string At(string relative) => Path.Combine(_directory.FullName, relative);

    private string File(string relative)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(At(relative))!);
        System.IO.File.WriteAllText(At(relative), "x");
        return At(relative);
    }

    [Fact]
    public void Check_RootLinkRepointed_SeenAfterTheRefreshNotBefore()
    {
        var first = File("disk1/set.csv");
        var second = File("disk2/set.csv");
        Directory.CreateSymbolicLink(At("root"), At("disk1"));
        var roots = new DataRoots([At("root")], [At("keys")], _time);

        Assert.True(roots.Check(new Uri(first)).Allowed);
        Assert.False(roots.Check(new Uri(second)).Allowed);

        Directory.Delete(At("root"));
        Directory.CreateSymbolicLink(At("root"), At("disk2"));
        _time.Advance(DataRoots.Refresh - TimeSpan.FromMilliseconds(1));
        Assert.True(roots.Check(new Uri(first)).Allowed, "the roots resolved before are used until the refresh");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(roots.Check(new Uri(first)).Allowed, "after the refresh the root is resolved again");
        var now = roots.Check(new Uri(second));
        Assert.True(now.Allowed, now.Reason);
    }

    [Fact]
    public void Check_LocationLinkRepointedAtTheKey_RefusedAtOnce()
    {
        File("data/sets/fr.pfx");
        var key = File("data/keys/fr.pfx");
        Directory.CreateSymbolicLink(At("data/current"), At("data/sets"));
        var roots = new DataRoots([At("data")], [At("data/keys")], _time);
        var location = new Uri(At("data/current/fr.pfx"));
        Assert.True(roots.Check(location).Allowed);

        Directory.Delete(At("data/current"));
        Directory.CreateSymbolicLink(At("data/current"), At("data/keys"));
        var verdict = roots.Check(location);

        Assert.False(verdict.Allowed);
        Assert.Equal(key, verdict.RealPath);
        Assert.Contains("never data", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_KeyMountedLikeAKubernetesSecretAndRotated_StillRefusedInsideTheRefresh()
    {
        // The key is a link into '..data', itself a link to the current version; rotation re-points '..data'.
        File("data/keys/..v1/fr.pfx");
        File("data/keys/..v2/fr.pfx");
        Directory.CreateSymbolicLink(At("data/keys/..data"), "..v1");
        System.IO.File.CreateSymbolicLink(At("data/keys/fr.pfx"), "..data/fr.pfx");
        var roots = new DataRoots([At("data")], [At("data/keys/fr.pfx")], _time);
        var location = new Uri(At("data/keys/..data/fr.pfx"));
        Assert.False(roots.Check(location).Allowed);

        Directory.Delete(At("data/keys/..data"));
        Directory.CreateSymbolicLink(At("data/keys/..data"), "..v2");
        var verdict = roots.Check(location);

        Assert.False(verdict.Allowed, verdict.Reason);
        Assert.Equal(At("data/keys/..v2/fr.pfx"), verdict.RealPath);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
