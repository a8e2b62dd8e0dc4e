using System.Text.RegularExpressions;

namespace Federation.Conventions.Tests;

/// <summary>
/// Grains are adapters: the rules live in the pure deciders and libraries, so no grain class (its
/// partial files summed, abstract grain bases included) grows past <see cref="MaxLines"/> lines (issue 14).
/// </summary>
public sealed partial class GrainSizeConventionsTests
{
    /// <summary>The most lines a grain class may have.</summary>
    public const int MaxLines = 300;

    [Fact]
    public void GrainClasses_SourceLines_AtMostThreeHundred()
    {
        var sources = Path.Combine(RepositoryRoot(), "grains", "Federation.Grains");
        var files = Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .ToList();
        var grains = ConventionTypes.InGrains.Where(t => t.IsClass && typeof(Grain).IsAssignableFrom(t)).ToList();
        Assert.Contains(grains, t => t.Name == "ExecutionGrain");

        var sizes = grains.Select(grain =>
        {
            var name = grain.IsGenericType ? grain.Name[..grain.Name.IndexOf('`', StringComparison.Ordinal)] : grain.Name;
            var declaration = new Regex($@"\bclass\s+{Regex.Escape(name)}\b", RegexOptions.CultureInvariant);
            var declaring = files.Where(f => declaration.IsMatch(f.Text)).ToList();
            return (Grain: name, Lines: declaring.Sum(f => LineBreak().Count(f.Text) + 1), Files: declaring.Count);
        }).ToList();

        Assert.All(sizes, s => Assert.True(s.Files > 0, $"{s.Grain}: its source file was not found under {sources}"));
        var over = sizes.Where(s => s.Lines > MaxLines).Select(s => $"{s.Grain}: {s.Lines} lines in {s.Files} file(s)").ToList();
        Assert.True(over.Count == 0, $"grain classes over {MaxLines} lines (move rules to the pure deciders or small classes):{Environment.NewLine}{string.Join(Environment.NewLine, over)}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Federation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Federation.sln above {AppContext.BaseDirectory}; run the tests from a checkout");
    }

    [GeneratedRegex("\n")]
    private static partial Regex LineBreak();
}
