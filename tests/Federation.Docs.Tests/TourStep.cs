namespace Federation.Docs.Tests;

/// <summary>
/// One command of the README tour: the text after <c>$ </c> (with any continuation lines), the line
/// of README.md it starts on, and the exit code the README says it ends with.
/// </summary>
/// <param name="Command">The command as a user would paste it into bash.</param>
/// <param name="Line">The 1-based line of the Markdown file where the command starts.</param>
/// <param name="ExpectedExit">0, or the code a trailing <c># exits N</c> comment names.</param>
public sealed record TourStep(string Command, int Line, int ExpectedExit);
