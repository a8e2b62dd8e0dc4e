using System.Data;
using Federation.Postgres.Tests.Fixtures;
using Npgsql;

namespace Federation.Postgres.Tests.OrleansSql;

/// <summary>
/// The stored query texts run directly, with parameters typed as the ADO.NET providers type them,
/// for the failure paths a healthy silo rarely takes: stale versions, duplicate members, write races.
/// </summary>
public sealed class OrleansQueryTextTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTime s_now = new(2025, 3, 1, 12, 0, 0, 123, DateTimeKind.Utc);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InsertMembershipVersion_Twice_OneColumnCreatedThenNotCreated()
    {
        var deployment = NewDeployment();

        var created = await RunAsync("InsertMembershipVersionKey", ("DeploymentId", deployment));
        var again = await RunAsync("InsertMembershipVersionKey", ("DeploymentId", deployment));

        Assert.Equal([1], Scalars(created));
        Assert.Equal([0], Scalars(again));
    }

    [Fact]
    public async Task MembershipReads_NoMembers_ReturnTheVersionRow()
    {
        var deployment = await NewVersionRowAsync();

        var all = await RunAsync("MembershipReadAllKey", ("DeploymentId", deployment));
        var one = await RunAsync("MembershipReadRowKey", MemberKey(deployment));

        foreach (var rows in new[] { all, one })
        {
            var row = Assert.Single(rows);
            Assert.Equal(0, row["version"]);
            Assert.Equal(DBNull.Value, row["starttime"]);
        }
    }

    [Fact]
    public async Task InsertMembership_StaleVersion_ReturnsZeroAndInsertsNothing()
    {
        var deployment = await NewVersionRowAsync();

        var result = await RunAsync("InsertMembershipKey", InsertMember(deployment, version: 5));

        Assert.Equal([0], Scalars(result));
        Assert.Equal(0, await VersionAsync(deployment));
        Assert.Equal(DBNull.Value, Assert.Single(await RunAsync("MembershipReadAllKey", ("DeploymentId", deployment)))["address"]);
    }

    [Fact]
    public async Task InsertMembership_ExistingMember_ReturnsZeroAndVersionUnchanged()
    {
        var deployment = await NewVersionRowAsync();
        Assert.Equal([1], Scalars(await RunAsync("InsertMembershipKey", InsertMember(deployment, version: 0))));

        var duplicate = await RunAsync("InsertMembershipKey", InsertMember(deployment, version: 1));

        Assert.Equal([0], Scalars(duplicate));
        Assert.Equal(1, await VersionAsync(deployment));
    }

    [Fact]
    public async Task UpdateMembership_MissingMemberOrStaleVersion_ReturnsZeroAndChangesNothing()
    {
        var deployment = await NewVersionRowAsync();
        Assert.Equal([1], Scalars(await RunAsync("InsertMembershipKey", InsertMember(deployment, version: 0))));

        var missing = await RunAsync("UpdateMembershipKey", UpdateMember(deployment, generation: 999, version: 1));
        var stale = await RunAsync("UpdateMembershipKey", UpdateMember(deployment, generation: 1, version: 0));
        var current = await RunAsync("UpdateMembershipKey", UpdateMember(deployment, generation: 1, version: 1));

        Assert.Equal([0], Scalars(missing));
        Assert.Equal([0], Scalars(stale));
        Assert.Equal([1], Scalars(current));
        Assert.Equal(2, await VersionAsync(deployment));
        var row = Assert.Single(await RunAsync("MembershipReadRowKey", MemberKey(deployment)));
        Assert.Equal(3, row["status"]);
        Assert.Equal(DBNull.Value, row["suspecttimes"]);
        Assert.Equal(s_now.AddSeconds(30), row["iamalivetime"]);
        Assert.Equal(s_now, row["starttime"]);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntry_CapturedValuesChanged_KeepsRow()
    {
        var deployment = await NewVersionRowAsync();
        Assert.Equal([1], Scalars(await RunAsync("InsertMembershipKey", InsertMember(deployment, version: 0))));
        var dead = UpdateMember(deployment, generation: 1, version: 1);
        dead[4] = ("Status", 6);
        Assert.Equal([1], Scalars(await RunAsync("UpdateMembershipKey", dead)));

        await RunAsync("CleanupDefunctSiloEntryKey", [.. MemberKey(deployment), ("SuspectTimes", null), ("StartTime", s_now), ("IAmAliveTime", s_now)]);
        var afterStaleCapture = await RunAsync("MembershipReadAllKey", ("DeploymentId", deployment));
        await RunAsync("CleanupDefunctSiloEntryKey", [.. MemberKey(deployment), ("SuspectTimes", null), ("StartTime", s_now), ("IAmAliveTime", s_now.AddSeconds(30))]);
        var afterMatchingCapture = await RunAsync("MembershipReadAllKey", ("DeploymentId", deployment));

        Assert.Equal(6, Assert.Single(afterStaleCapture)["status"]);
        Assert.Equal(DBNull.Value, Assert.Single(afterMatchingCapture)["status"]);
    }

    [Fact]
    public async Task WriteToStorage_ConcurrentFirstWrites_OneWinsOtherGetsNullNeverNoRow()
    {
        const int Writers = 8;
        var key = $"ds-race-{Guid.NewGuid():N}";

        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            Task.Run(() => RunAsync("WriteToStorageKey", [.. StorageKey(key), ("GrainStateVersion", null), ("PayloadBinary", new byte[] { (byte)i })]), Ct)));

        var versions = results.Select(rows => Assert.Single(rows)["newgrainstateversion"]).ToList();
        Assert.Single(versions, v => Equals(v, 1));
        Assert.Equal(Writers - 1, versions.Count(v => v is DBNull));
    }

    [Fact]
    public async Task WriteToStorage_WithVersion_UpdatesOnlyMatchingVersion()
    {
        var key = $"ds-versioned-{Guid.NewGuid():N}";
        await RunAsync("WriteToStorageKey", [.. StorageKey(key), ("GrainStateVersion", null), ("PayloadBinary", new byte[] { 1 })]);

        var stale = await RunAsync("WriteToStorageKey", [.. StorageKey(key), ("GrainStateVersion", 7), ("PayloadBinary", new byte[] { 2 })]);
        var current = await RunAsync("WriteToStorageKey", [.. StorageKey(key), ("GrainStateVersion", 1), ("PayloadBinary", new byte[] { 3 })]);
        var read = await RunAsync("ReadFromStorageKey", StorageKey(key));

        Assert.Equal(DBNull.Value, Assert.Single(stale)["newgrainstateversion"]);
        Assert.Equal(2, Assert.Single(current)["newgrainstateversion"]);
        Assert.Equal(new byte[] { 3 }, Assert.Single(read)["payloadbinary"]);
        Assert.Equal(2, Assert.Single(read)["version"]);
    }

    [Fact]
    public async Task DeleteStorage_MatchingVersion_RemovesRowAndReturnsNextVersion()
    {
        var key = $"ds-delete-{Guid.NewGuid():N}";
        await RunAsync("WriteToStorageKey", [.. StorageKey(key), ("GrainStateVersion", null), ("PayloadBinary", new byte[] { 1 })]);

        var stale = await RunAsync("DeleteStorageKey", [.. StorageKey(key), ("GrainStateVersion", 4)]);
        var deleted = await RunAsync("DeleteStorageKey", [.. StorageKey(key), ("GrainStateVersion", 1)]);

        Assert.Equal(DBNull.Value, Assert.Single(stale).Values.First());
        Assert.Equal(2, Assert.Single(deleted).Values.First());
        Assert.Empty(await RunAsync("ReadFromStorageKey", StorageKey(key)));
    }

    private static string NewDeployment() => $"nation-sql-{Guid.NewGuid():N}";

    private async Task<string> NewVersionRowAsync()
    {
        var deployment = NewDeployment();
        await RunAsync("InsertMembershipVersionKey", ("DeploymentId", deployment));
        return deployment;
    }

    private async Task<int> VersionAsync(string deployment) =>
        (int)(await RunAsync("MembershipReadAllKey", ("DeploymentId", deployment)))[0]["version"];

    private static (string, object?)[] MemberKey(string deployment, int generation = 1) =>
        [("DeploymentId", deployment), ("Address", "127.0.0.1"), ("Port", 11111), ("Generation", generation)];

    private static (string, object?)[] InsertMember(string deployment, int version) =>
        [.. MemberKey(deployment), ("SiloName", "silo-1"), ("HostName", "host-1"), ("Status", 1), ("ProxyPort", 30000),
         ("StartTime", s_now), ("IAmAliveTime", s_now), ("Version", version)];

    private static (string, object?)[] UpdateMember(string deployment, int generation, int version) =>
        [.. MemberKey(deployment, generation), ("Status", 3), ("SuspectTimes", null), ("IAmAliveTime", s_now.AddSeconds(30)), ("Version", version)];

    private static (string, object?)[] StorageKey(string key) =>
        [("GrainIdHash", -12345), ("GrainIdN0", 0L), ("GrainIdN1", 0L), ("GrainTypeHash", 42), ("GrainTypeString", "alpha-note"),
         ("GrainIdExtensionString", key), ("ServiceId", "service-sql")];

    private static List<int> Scalars(List<Dictionary<string, object>> rows) =>
        [.. rows.Select(r => (int)Assert.Single(r.Values))];

    /// <summary>Runs a stored query with parameters typed like the providers' (Int32, Int64, String, AnsiString, DateTime, Binary, untyped NULL).</summary>
    private async Task<List<Dictionary<string, object>>> RunAsync(string queryKey, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(Ct);
        string text;
        await using (var load = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key", connection))
        {
            load.Parameters.AddWithValue("key", queryKey);
            text = (string)(await load.ExecuteScalarAsync(Ct) ?? throw new InvalidOperationException($"No query {queryKey}."));
        }

        await using var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            if (value is not null)
            {
                parameter.DbType = value switch
                {
                    int => DbType.Int32,
                    long => DbType.Int64,
                    DateTime => DbType.DateTime,
                    byte[] => DbType.Binary,
                    string when name == "Address" => DbType.AnsiString,
                    _ => DbType.String,
                };
            }

            command.Parameters.Add(parameter);
        }

        var rows = new List<Dictionary<string, object>>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        do
        {
            while (await reader.ReadAsync(Ct))
            {
                var row = new Dictionary<string, object>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.GetValue(i);
                }

                rows.Add(row);
            }
        }
        while (await reader.NextResultAsync(Ct));

        return rows;
    }
}
