using System.Text;
using System.Text.RegularExpressions;

namespace Federation.Docs.Tests;

/// <summary>
/// The links of a Markdown file and the anchors of its headings (as GitHub makes them), and the
/// check that every relative link resolves to a file of the repository and, with <c>#anchor</c>, to
/// one of that file's headings. Links to other sites (any scheme) are not followed: no internet.
/// Text in code blocks and code spans is not Markdown, so its brackets are not links.
/// </summary>
public static partial class MarkdownLinks
{
    /// <summary>Every inline link, image and reference definition outside code, in order.</summary>
    public static IReadOnlyList<MarkdownLink> Links(string markdown)
    {
        var links = new List<MarkdownLink>();
        foreach (var (line, number) in ProseLines(markdown))
        {
            var text = CodeSpan().Replace(line, "");
            foreach (Match match in InlineLink().Matches(text))
            {
                links.Add(new MarkdownLink(match.Groups["target"].Value.Trim('<', '>'), number));
            }

            if (ReferenceDefinition().Match(text) is { Success: true } definition)
            {
                links.Add(new MarkdownLink(definition.Groups["target"].Value.Trim('<', '>'), number));
            }
        }

        return links;
    }

    /// <summary>The anchors of the headings of <paramref name="markdown"/>: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, _) in ProseLines(markdown))
        {
            if (Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var repeat = seen.GetValueOrDefault(slug);
            seen[slug] = repeat + 1;
            anchors.Add(repeat == 0 ? slug : $"{slug}-{repeat}");
        }

        return anchors;
    }

    /// <summary>Every relative link of <paramref name="file"/> that does not resolve inside <paramref name="repositoryRoot"/>, each as a sentence.</summary>
    public static IReadOnlyList<string> Broken(string file, string repositoryRoot)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var here = Path.GetRelativePath(root, file);
        var problems = new List<string>();
        foreach (var link in Links(File.ReadAllText(file)))
        {
            if (Scheme().IsMatch(link.Target))
            {
                continue;
            }

            var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
            var path = Uri.UnescapeDataString(hash < 0 ? link.Target : link.Target[..hash]);
            var anchor = hash < 0 ? null : link.Target[(hash + 1)..];
            var target = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                problems.Add($"{here}:{link.Line}: '{link.Target}' points outside the repository");
            }
            else if (!File.Exists(target) && !Directory.Exists(target))
            {
                problems.Add($"{here}:{link.Line}: '{link.Target}' does not exist ({Path.GetRelativePath(root, target)})");
            }
            else if (anchor is not null && target.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                     && !Anchors(File.ReadAllText(target)).Contains(anchor))
            {
                problems.Add($"{here}:{link.Line}: '{link.Target}': {Path.GetRelativePath(root, target)} has no heading with anchor '#{anchor}'");
            }
        }

        return problems;
    }

    private static string Slug(string heading)
    {
        var slug = new StringBuilder();
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    /// <summary>The lines outside fenced code blocks, with their 1-based numbers.</summary>
    private static IEnumerable<(string Line, int Number)> ProseLines(string markdown)
    {
        string? fence = null;
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (fence is null && Fence().Match(trimmed) is { Success: true } open)
            {
                fence = open.Value;
                continue;
            }

            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.Trim().Trim(fence[0]).Length == 0)
                {
                    fence = null;
                }

                continue;
            }

            yield return (lines[i], i + 1);
        }
    }

    [GeneratedRegex(@"^(```+|~~~+)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"(`+).*?\1")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\]\((?<target><[^>]*>|[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();
}
