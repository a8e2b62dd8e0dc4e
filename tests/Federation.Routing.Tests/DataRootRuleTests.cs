
namespace Federation.Routing.Tests;

public sealed class DataRootRuleTests
{
    private static readonly string[] s_roots = ["/data"];
    private static readonly string[] s_protected = ["/etc/federation", "/srv/fr/fr.pfx", "/srv/fr/jobs"];

    private static Func<string, string?> Links(params (string Link, string Target)[] links)
    {
        var map = links.ToDictionary(l => l.Link, l => l.Target, StringComparer.Ordinal);
        return path => map.GetValueOrDefault(path);
    }

    private static DataRootVerdict Check(string path, Func<string, string?>? links = null, string[]? roots = null) =>
        DataRootRule.Check(path, roots ?? s_roots, s_protected, links ?? Links());

    [Fact]
    public void Check_FileInsideRoot_Allowed()
    {
        var verdict = Check("/data/health/registry.csv");

        Assert.True(verdict.Allowed, verdict.Reason);
        Assert.Equal("/data/health/registry.csv", verdict.RealPath);
    }

    [Fact]
    public void Check_PrefixTrick_SiblingDirectoryWithTheRootsNameAsPrefix_Refused()
    {
        var verdict = Check("/data-evil/secrets.csv");

        Assert.False(verdict.Allowed);
        Assert.Contains("outside every data root", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/../srv/fr/fr.pfx")]
    [InlineData("/data/health/../../etc/passwd")]
    [InlineData("/data/./../data-evil/x")]
    public void Check_DotDotOutOfTheRoot_Refused(string path) => Assert.False(Check(path).Allowed, Check(path).Reason);

    [Fact]
    public void Check_DotDotStayingInside_Allowed() => Assert.True(Check("/data/a/../b/file.csv").Allowed);

    [Fact]
    public void Check_SymlinkInsideRootPointingOutside_RefusedWithTheRealPath()
    {
        var verdict = Check("/data/innocent.csv", Links(("/data/innocent.csv", "/srv/fr/fr.pfx")));

        Assert.False(verdict.Allowed);
        Assert.Equal("/srv/fr/fr.pfx", verdict.RealPath);
        Assert.Contains("never data", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RelativeSymlinkedDirectoryEscaping_Refused()
    {
        var verdict = Check("/data/share/passwd", Links(("/data/share", "../etc")));

        Assert.False(verdict.Allowed);
        Assert.Equal("/etc/passwd", verdict.RealPath);
    }

    [Fact]
    public void Check_SymlinkThenDotDot_AppliesDotDotToTheTarget()
    {
        // /data/link -> /srv/fr/jobs/run, so /data/link/../x is /srv/fr/jobs/x, not /data/x.
        var verdict = Check("/data/link/../x", Links(("/data/link", "/srv/fr/jobs/run")));

        Assert.False(verdict.Allowed);
        Assert.Equal("/srv/fr/jobs/x", verdict.RealPath);
    }

    [Fact]
    public void Check_SymlinkFromOutsideIntoTheRoot_Allowed()
    {
        var verdict = Check("/mnt/alias/set.csv", Links(("/mnt/alias", "/data/sets")));

        Assert.True(verdict.Allowed, verdict.Reason);
        Assert.Equal("/data/sets/set.csv", verdict.RealPath);
    }

    [Fact]
    public void Check_RootThatIsASymlink_ComparedByItsRealPath()
    {
        var links = Links(("/data", "/mnt/disk1/data"));

        Assert.True(Check("/mnt/disk1/data/set.csv", links).Allowed);
        Assert.True(Check("/data/set.csv", links).Allowed);
    }

    [Fact]
    public void Check_ProtectedPathInsideARoot_StillRefused()
    {
        var verdict = Check("/srv/fr/fr.pfx", roots: ["/srv/fr"]);

        Assert.False(verdict.Allowed);
        Assert.Contains("/srv/fr/fr.pfx", verdict.Reason, StringComparison.Ordinal);
        Assert.True(Check("/srv/fr/data/set.csv", roots: ["/srv/fr"]).Allowed);
        Assert.False(Check("/srv/fr/jobs/DE/x/1/outputs/model.bin", roots: ["/srv/fr"]).Allowed);
    }

    [Fact]
    public void Check_LinkLoop_Refused()
    {
        var verdict = Check("/data/a", Links(("/data/a", "/data/b"), ("/data/b", "/data/a")));

        Assert.False(verdict.Allowed);
        Assert.Contains("symbolic links", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoRootsOrRelativePath_Refused()
    {
        Assert.Contains("no data root", Check("/data/x", roots: []).Reason, StringComparison.Ordinal);
        Assert.False(Check("data/x").Allowed);
    }

    [Theory]
    [InlineData("/data", "/data", true)]
    [InlineData("/data/x", "/data", true)]
    [InlineData("/data-evil", "/data", false)]
    [InlineData("/dat", "/data", false)]
    [InlineData("/anything", "/", true)]
    public void IsInside_ComparesWholeComponents(string path, string directory, bool expected) =>
        Assert.Equal(expected, DataRootRule.IsInside(path, directory));
}
