using System.Text.Json;
using Federation.Protocol.Roster;

namespace Federation.Silo.Governance;

/// <summary>
/// Applied roster versions in a JSON file (an array), written whole to a temporary file and renamed
/// over the old one, so a crash leaves either the old or the new chain. By default the file lies
/// beside the roster file, named for the nation (<c>roster.FR.versions.json</c>), since the nations of
/// a local federation share one roster file.
/// </summary>
/// <param name="path">The file.</param>
public sealed class FileRosterVersionStore(string path) : IRosterVersionStore, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The file.</summary>
    public string FilePath { get; } = Path.GetFullPath(path);

    /// <summary>The default file for <paramref name="nation"/> beside <paramref name="rosterPath"/>.</summary>
    public static string Beside(string rosterPath, string nation) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(rosterPath)) ?? ".", $"{Path.GetFileNameWithoutExtension(rosterPath)}.{nation}.versions.json");

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <inheritdoc />
    public async Task<IReadOnlyList<AppliedRosterVersion>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return [];
        }

        await using var stream = File.OpenRead(FilePath);
        try
        {
            return await JsonSerializer.DeserializeAsync<List<AppliedRosterVersion>>(stream, RosterDocument.JsonOptions, cancellationToken) ?? [];
        }
        catch (JsonException e)
        {
            throw new FormatException($"{FilePath} is not a list of applied roster versions: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(AppliedRosterVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var versions = (await LoadAsync(cancellationToken)).ToList();
            versions.Add(version);
            var temporary = FilePath + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(versions, RosterDocument.JsonOptions), cancellationToken);
            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }
}
