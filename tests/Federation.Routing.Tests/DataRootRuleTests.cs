using CsCheck;

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

    /// <summary>Paths, links, roots and protected paths drawn from a few components, so that links, loops and <c>..</c> meet often.</summary>
    private static readonly Gen<string> s_paths = Gen.OneOf(Gen.Const("data"), Gen.Const("srv"), Gen.Const("fr"), Gen.Const("jobs"), Gen.Const("a"), Gen.Const(".."), Gen.Const("."))
        .Array[1, 5].Select(parts => "/" + string.Join('/', parts));

    /// <summary>Roots and protected paths as configured: mostly absolute, sometimes relative, empty or only slashes (left out by the rule).</summary>
    private static readonly Gen<string> s_entries = Gen.Frequency((6, s_paths), (1, Gen.OneOf(Gen.Const("data"), Gen.Const(""), Gen.Const("//"), Gen.Const("./data"))));

    private static readonly Gen<(string Path, string[] Roots, string[] Guarded, (string Link, string Target)[] Links)> s_cases =
        Gen.Select(
            s_paths,
            s_entries.Array[0, 3],
            s_entries.Array[0, 3],
            Gen.Select(s_paths, Gen.Select(s_paths, Gen.Bool).Select((t, relative) => relative ? t.TrimStart('/') : t)).Array[0, 5]);

    [Fact]
    public void Check_AnyPathRootsAndLinks_SameVerdictAsResolvingEveryPathAtEachCheck() =>
        s_cases.Sample(c =>
        {
            var links = Links([.. c.Links.DistinctBy(l => l.Link)]);
            var expected = ReferenceCheck(c.Path, c.Roots, c.Guarded, links);
            Assert.Equal(expected, DataRootRule.Check(c.Path, c.Roots, c.Guarded, links));
            Assert.Equal(expected, DataRootRule.Check(c.Path, DataRootRule.ResolveRoots(c.Roots, c.Guarded, links), links));
        }, iter: 2_000);

    [Fact]
    public void Resolve_AnyPathAndLinks_MatchesResolvingComponentByComponentFromScratch() =>
        s_cases.Sample(c =>
        {
            var links = Links([.. c.Links.DistinctBy(l => l.Link)]);
            Assert.Equal(Reference(c.Path, links), DataRootRule.Resolve(c.Path, links));
        }, iter: 2_000);

    /// <summary>The rule written plainly: the path, every root and every protected path resolved at each check.</summary>
    private static DataRootVerdict ReferenceCheck(string path, string[] roots, string[] guarded, Func<string, string?> readLink)
    {
        var real = Reference(path, readLink);
        if (real is null)
        {
            return new DataRootVerdict(false, "", $"'{path}' cannot be resolved: more than {DataRootRule.MaxLinks} symbolic links, or longer than {DataRootRule.MaxPath} characters once they are followed");
        }

        var realRoots = roots.Where(r => r.StartsWith('/')).Select(r => Reference(r, readLink)).OfType<string>().ToList();
        if (realRoots.Count == 0)
        {
            return new DataRootVerdict(false, real, "no data root is configured (Federation:Data:Roots), so no file: location can be served or staged");
        }

        foreach (var one in guarded.Where(g => g.StartsWith('/')))
        {
            var normal = Reference(one, _ => null)!;
            var realGuarded = Reference(one, readLink) ?? normal;
            if (DataRootRule.IsInside(real, realGuarded) || DataRootRule.IsInside(real, normal))
            {
                return new DataRootVerdict(false, real, $"'{path}' resolves to {real}, inside {realGuarded}, which holds the silo's own configuration, keys or job files and is never data");
            }
        }

        var root = realRoots.FirstOrDefault(r => DataRootRule.IsInside(real, r));
        return root is not null
            ? new DataRootVerdict(true, real, $"'{path}' resolves to {real}, inside the data root {root}")
            : new DataRootVerdict(false, real, $"'{path}' resolves to {real}, outside every data root ({string.Join(", ", realRoots)}); a file: location must be inside Federation:Data:Roots");
    }

    /// <summary>The resolution written plainly: every candidate joined anew from the components resolved so far.</summary>
    private static string? Reference(string path, Func<string, string?> readLink)
    {
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            if (readLink("/" + string.Join('/', resolved.Append(part))) is { Length: > 0 } target)
            {
                if (++links > DataRootRule.MaxLinks)
                {
                    return null;
                }

                if (target[0] == '/')
                {
                    resolved.Clear();
                }

                foreach (var next in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(next);
                }

                continue;
            }

            resolved.Add(part);
        }

        return "/" + string.Join('/', resolved);
    }

    [Fact]
    public void Check_LinksWhoseTargetsGrowPastPathMax_RefusedWithoutFollowingThemAll()
    {
        // 40 links, each to a relative target of about 4 KB that names the next link: the path to look up outgrows PATH_MAX.
        var padding = string.Join('/', Enumerable.Repeat("a", 2_000));
        var links = Enumerable.Range(0, DataRootRule.MaxLinks).Select(k => ($"/data/l{k}", $"l{k + 1}/{padding}")).ToArray();

        var verdict = Check("/data/l0", Links(links));

        Assert.False(verdict.Allowed);
        Assert.Contains($"longer than {DataRootRule.MaxPath} characters", verdict.Reason, StringComparison.Ordinal);
        Assert.Null(DataRootRule.Resolve("/data/" + new string('x', DataRootRule.MaxPath), Links()));
        Assert.Equal("/data/" + new string('x', DataRootRule.MaxPath - 6), DataRootRule.Resolve("/data/" + new string('x', DataRootRule.MaxPath - 6), Links()));
    }

    [Fact]
    public void ResolveRoots_ProtectedPathBehindALinkThatIsRepointed_NoLongerCurrent()
    {
        // As Kubernetes mounts a secret: the key is a link into '..data', itself a link to the current version.
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { ["/data/keys/fr.pfx"] = "..data/fr.pfx", ["/data/keys/..data"] = "..v1" };
        string? Read(string path) => map.GetValueOrDefault(path);
        var resolved = DataRootRule.ResolveRoots(["/data"], ["/data/keys/fr.pfx"], Read);

        Assert.True(resolved.StillCurrent(Read));
        Assert.False(DataRootRule.Check("/data/keys/..data/fr.pfx", resolved, Read).Allowed);

        map["/data/keys/..data"] = "..v2";

        Assert.False(resolved.StillCurrent(Read));
        Assert.True(DataRootRule.Check("/data/keys/..data/fr.pfx", resolved, Read).Allowed, "the stale resolution no longer covers the key, which is why it must be resolved again");
        Assert.False(DataRootRule.Check("/data/keys/..data/fr.pfx", DataRootRule.ResolveRoots(["/data"], ["/data/keys/fr.pfx"], Read), Read).Allowed);
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
