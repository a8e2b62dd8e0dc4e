using Federation.Contracts.Ids;

namespace Federation.Silo.Routing;

/// <summary>
/// What to tell someone who named a dataset a nation does not have: the few ids of that nation
/// closest to it, and how to search every nation.
/// </summary>
public static class DatasetHints
{
    /// <summary>How many close ids a hint names at most.</summary>
    public const int Count = 3;

    /// <summary>How many ids of a nation are compared with the one asked for.</summary>
    public const int Candidates = 200;

    /// <summary>The hint after "dataset X is not in N's catalogue".</summary>
    /// <param name="missing">The dataset asked for.</param>
    /// <param name="known">Ids of datasets its nation has (the first <see cref="Candidates"/>, or a search's).</param>
    public static string For(DatasetRef missing, IEnumerable<string> known)
    {
        var closest = Closest(missing.Dataset.Value, known);
        var words = string.Join(' ', missing.Dataset.Value.Split('-', StringSplitOptions.RemoveEmptyEntries).Take(2));
        var search = $"search every nation with 'fedctl datasets search --federated --text {words}'";
        return closest.Count == 0
            ? $"; {missing.Nation} has no dataset it could mean; {search}"
            : $"; closest in {missing.Nation}: {string.Join(", ", closest.Select(id => $"{missing.Nation}/{id}"))}; {search}";
    }

    /// <summary>The ids of <paramref name="known"/> closest to <paramref name="wanted"/> (edit distance), nearest first.</summary>
    public static IReadOnlyList<string> Closest(string wanted, IEnumerable<string> known) =>
        [.. known.Distinct(StringComparer.Ordinal)
            .Where(id => id != wanted)
            .Select(id => (Id: id, Distance: Distance(wanted, id), Shared: SharesWord(wanted, id)))
            .Where(c => c.Shared || c.Distance <= Math.Max(3, wanted.Length / 2))
            .OrderBy(c => c.Shared ? 0 : 1)
            .ThenBy(c => c.Distance)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(Count)
            .Select(c => c.Id)];

    private static bool SharesWord(string a, string b)
    {
        var words = a.Split('-', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3).ToHashSet(StringComparer.Ordinal);
        return b.Split('-', StringSplitOptions.RemoveEmptyEntries).Any(words.Contains);
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
