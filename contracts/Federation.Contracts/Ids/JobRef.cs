using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A job's global id, <c>&lt;origin&gt;/&lt;id&gt;</c>, such as <c>FR/train-42</c>.</summary>
[GenerateSerializer, Immutable, Alias("fed.JobRef")]
public readonly record struct JobRef : ITypedId<JobRef>
{
    private JobRef(NationCode origin, string id)
    {
        Origin = origin;
        Id = id;
    }

    /// <summary>The nation the job was submitted to.</summary>
    [Id(0)]
    public NationCode Origin { get; }

    /// <summary>The id the client chose, unique per origin.</summary>
    [Id(1)]
    public string Id { get; }

    /// <inheritdoc />
    public static string Kind => "job reference";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out JobRef id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (!QualifiedId.TrySplit(text, Kind, out var nationText, out var localText, out error)
            || !NationCode.TryParse(nationText, out var origin, out error))
        {
            return false;
        }

        if (!IdSyntax.IsSlug(localText))
        {
            error = IdSyntax.Describe("job id", localText, IdSyntax.SlugRule);
            return false;
        }

        id = new JobRef(origin, localText);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Origin}/{Id}";
}
