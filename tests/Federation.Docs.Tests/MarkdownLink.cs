namespace Federation.Docs.Tests;

/// <summary>A link target written in a Markdown file, and the 1-based line it is on.</summary>
public sealed record MarkdownLink(string Target, int Line);
