using System.Globalization;
using System.Text;

namespace Federation.Workloads.Training.Data;

/// <summary>
/// Rows of the health table ready for the network: standardised features (row-major, one row per
/// sample, <see cref="HealthFeature.All"/> order) and 0/1 outcomes. Read from the CSV contract of
/// docs/workloads.md; several files are pooled in order.
/// </summary>
public sealed class TabularData
{
    private readonly float[] _features;
    private readonly float[] _labels;

    /// <summary>Wraps standardised features (rows × <see cref="FeatureCount"/>) and labels.</summary>
    public TabularData(float[] features, float[] labels)
    {
        if (features.Length != labels.Length * FeatureCount)
        {
            throw new ArgumentException($"features hold {features.Length} values, not {labels.Length} rows × {FeatureCount}", nameof(features));
        }

        _features = features;
        _labels = labels;
    }

    /// <summary>The number of input features.</summary>
    public static int FeatureCount => HealthFeature.All.Count;

    /// <summary>The number of rows.</summary>
    public int Rows => _labels.Length;

    /// <summary>The standardised features, row-major.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The outcomes, 0 or 1.</summary>
    public ReadOnlySpan<float> Labels => _labels;

    /// <summary>The header line of the CSV contract.</summary>
    public static string Header => string.Join(',', HealthFeature.All.Select(f => f.Name).Append(HealthFeature.OutcomeColumn));

    /// <summary>Reads and pools CSV files; <paramref name="field"/> names them in errors (e.g. <c>data[1]</c>).</summary>
    public static TabularData Read(IReadOnlyList<string> paths, string field)
    {
        var features = new List<float>();
        var labels = new List<float>();
        for (var i = 0; i < paths.Count; i++)
        {
            ReadInto(paths[i], $"{field}[{i}]", features, labels);
        }

        if (labels.Count == 0)
        {
            throw new WorkloadInputException(field, "the data files hold no rows");
        }

        return new TabularData([.. features], [.. labels]);
    }

    /// <summary>Pools several tables, in order.</summary>
    public static TabularData Pool(IEnumerable<TabularData> parts)
    {
        var list = parts.ToList();
        return new TabularData(
            [.. list.SelectMany(p => p._features)],
            [.. list.SelectMany(p => p._labels)]);
    }

    /// <summary>Writes raw rows (raw feature values then the outcome) in the CSV contract.</summary>
    public static void WriteCsv(string path, IEnumerable<(double[] Raw, int Outcome)> rows)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (raw, outcome) in rows)
        {
            text.Append(string.Join(',', raw.Select((v, i) => HealthFeature.All[i].Name switch
            {
                "smoker" => v.ToString("0", CultureInfo.InvariantCulture),
                "hba1c" => v.ToString("0.00", CultureInfo.InvariantCulture),
                _ => v.ToString("0.0", CultureInfo.InvariantCulture),
            }))).Append(',').Append(outcome.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static void ReadInto(string path, string field, List<float> features, List<float> labels)
    {
        if (!File.Exists(path))
        {
            throw new WorkloadInputException(field, $"no such file: {path}");
        }

        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header?.Trim() != Header)
        {
            throw new WorkloadInputException(field, $"{path} line 1: the header must be '{Header}'");
        }

        var line = 1;
        var raw = new float[FeatureCount];
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var cells = text.Split(',');
            if (cells.Length != FeatureCount + 1)
            {
                throw new WorkloadInputException(field, $"{path} line {line}: {cells.Length} cells, expected {FeatureCount + 1}");
            }

            for (var c = 0; c < FeatureCount; c++)
            {
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    throw new WorkloadInputException(field, $"{path} line {line}: column '{HealthFeature.All[c].Name}' is not a finite number");
                }

                raw[c] = (float)HealthFeature.All[c].Standardise(value);
            }

            var outcome = cells[FeatureCount].Trim();
            if (outcome is not ("0" or "1"))
            {
                throw new WorkloadInputException(field, $"{path} line {line}: column '{HealthFeature.OutcomeColumn}' must be 0 or 1");
            }

            features.AddRange(raw);
            labels.Add(outcome == "1" ? 1f : 0f);
        }
    }
}
