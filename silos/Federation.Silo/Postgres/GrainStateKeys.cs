using System.Runtime.CompilerServices;
using Npgsql;

namespace Federation.Silo.Postgres;

/// <summary>
/// Lists the grains that hold state in the ADO.NET grain storage table (migration
/// <c>0001_orleans.sql</c>), so that the read model can be rebuilt from grain state.
/// </summary>
/// <param name="dataSource">The nation's database.</param>
public sealed class GrainStateKeys(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The string keys of grains of service <paramref name="serviceId"/> whose state named
    /// <paramref name="stateName"/> is stored and not cleared, in ordinal order.
    /// </summary>
    /// <remarks>
    /// Only string-keyed grains are listed (the storage gives them <c>GrainIdN0 = GrainIdN1 = 0</c>
    /// and the whole key as <c>GrainIdExtensionString</c>); this project keys every grain that way.
    /// </remarks>
    public async IAsyncEnumerable<string> ListKeysAsync(string serviceId, string stateName, [EnumeratorCancellation] CancellationToken ct)
    {
        const string Sql = """
            SELECT GrainIdExtensionString COLLATE "C" AS grain_key
            FROM OrleansStorage
            WHERE ServiceId = @service_id AND GrainTypeString = @state_name
              AND PayloadBinary IS NOT NULL
              AND GrainIdN0 = 0 AND GrainIdN1 = 0 AND GrainIdExtensionString IS NOT NULL
            ORDER BY grain_key
            """;
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("service_id", serviceId);
        command.Parameters.AddWithValue("state_name", stateName);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return reader.GetString(0);
        }
    }
}
