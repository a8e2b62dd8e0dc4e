namespace Federation.Docs.Tests;

/// <summary>Every relative link of the documentation resolves; the link reader on small samples.</summary>
public sealed class MarkdownLinkTests
{
    public static TheoryData<string> DocumentationFiles()
    {
        var root = RepositoryRoot.Path;
        var files = new TheoryData<string>("README.md", "CONTRIBUTING.md");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(root, file));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(DocumentationFiles))]
    public void RelativeLinks_OfEveryDocumentationFile_ResolveToFilesAndHeadings(string file)
    {
        var path = Path.Combine(RepositoryRoot.Path, file);
        Assert.True(File.Exists(path), $"{file} is missing");

        var broken = MarkdownLinks.Broken(path, RepositoryRoot.Path);

        Assert.True(broken.Count == 0, string.Join(Environment.NewLine, broken));
    }

    [Fact]
    public void DocsIndex_LinksEveryPageOfDocs()
    {
        var root = RepositoryRoot.Path;
        var index = Path.Combine(root, "docs", "README.md");
        var linked = MarkdownLinks.Links(File.ReadAllText(index))
            .Select(l => Path.GetFullPath(Path.Combine(root, "docs", l.Target.Split('#')[0])))
            .ToHashSet(StringComparer.Ordinal);

        var unlinked = Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
            .Where(f => f != index && !linked.Contains(f))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();

        Assert.True(unlinked.Count == 0, "docs/README.md does not link: " + string.Join(", ", unlinked));
    }

    [Fact]
    public void Links_InlineImagesAndReferences_FoundWithLinesSkippingCode()
    {
        const string markdown = """
            See [routing](docs/routing.md#how-the-router-scores) and ![picture](img/a.png "title").
            Not a link: `[x](inside-code.md)`.

            ```bash
            echo "[y](inside-a-block.md)"
            ```

            [licence]: LICENSE
            Mail [us](mailto:a@example.org), read [the site](https://example.org/x).
            """;

        var links = MarkdownLinks.Links(markdown);

        Assert.Equal(
            [
                new MarkdownLink("docs/routing.md#how-the-router-scores", 1),
                new MarkdownLink("img/a.png", 1),
                new MarkdownLink("LICENSE", 8),
                new MarkdownLink("mailto:a@example.org", 9),
                new MarkdownLink("https://example.org/x", 9),
            ],
            links);
    }

    [Fact]
    public void Anchors_Headings_AsGitHubMakesThem()
    {
        const string markdown = """
            # Sovereign AI federation
            ## The user API (`/api/v1`)
            ## Leases, epochs & fencing
            ## Notes
            ## Notes
            ```
            ## not a heading
            ```
            """;

        var anchors = MarkdownLinks.Anchors(markdown);

        Assert.Equal(
            new HashSet<string> { "sovereign-ai-federation", "the-user-api-apiv1", "leases-epochs--fencing", "notes", "notes-1" },
            anchors);
    }

    [Fact]
    public void Broken_MissingFileMissingAnchorAndOutsideTheRepository_EachReported()
    {
        var root = Directory.CreateTempSubdirectory("links-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllText(Path.Combine(root, "docs", "routing.md"), "# Routing\n## Scores\n");
            File.WriteAllText(Path.Combine(root, "README.md"), string.Join('\n',
                "[ok](docs/routing.md#scores) [dir](docs) [self](#top)",
                "[gone](docs/missing.md)",
                "[anchor](docs/routing.md#filters)",
                "[out](../elsewhere.md)",
                "# Top"));

            var broken = MarkdownLinks.Broken(Path.Combine(root, "README.md"), root);

            Assert.Collection(
                broken,
                p => Assert.StartsWith("README.md:2: 'docs/missing.md' does not exist", p, StringComparison.Ordinal),
                p => Assert.StartsWith("README.md:3: 'docs/routing.md#filters': docs/routing.md has no heading with anchor '#filters'", p, StringComparison.Ordinal),
                p => Assert.StartsWith("README.md:4: '../elsewhere.md' points outside the repository", p, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
