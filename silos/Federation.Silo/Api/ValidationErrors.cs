namespace Federation.Silo.Api;

/// <summary>Collects validation failures by field path (camelCase JSON paths such as <c>dataUse.modifiers[1]</c>).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when nothing failed.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Records that <paramref name="field"/> breaks <paramref name="rule"/>.</summary>
    public void Add(string field, string rule)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(rule);
    }

    /// <summary>The failures in the shape of ValidationProblemDetails.errors.</summary>
    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>One line naming the first failure, for the problem's detail.</summary>
    public string Summary()
    {
        var first = _errors.First();
        var more = _errors.Count > 1 ? $" (and {_errors.Count - 1} more field(s), see errors)" : "";
        return $"{first.Key}: {first.Value[0]}{more}";
    }
}
