using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A dataset anywhere in the federation, written <c>FR/cancer-registry</c>.</summary>
[GenerateSerializer, Immutable, Alias("fed.DatasetRef")]
public readonly record struct DatasetRef : ITypedId<DatasetRef>
{
    /// <summary>Creates a reference from its parts.</summary>
    public DatasetRef(NationCode nation, DatasetId dataset)
    {
        Nation = nation;
        Dataset = dataset;
    }

    /// <summary>The dataset's home nation.</summary>
    [Id(0)]
    public NationCode Nation { get; }

    /// <summary>The dataset's id in its home nation.</summary>
    [Id(1)]
    public DatasetId Dataset { get; }

    /// <inheritdoc />
    public static string Kind => "dataset reference";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out DatasetRef id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (!QualifiedId.TrySplit(text, Kind, out var nationText, out var localText, out error))
        {
            return false;
        }

        if (!NationCode.TryParse(nationText, out var nation, out error) || !DatasetId.TryParse(localText, out var dataset, out error))
        {
            return false;
        }

        id = new DatasetRef(nation, dataset);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Nation}/{Dataset}";
}
