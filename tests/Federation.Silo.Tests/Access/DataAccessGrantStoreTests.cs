using System.Security.Cryptography;
using Federation.Contracts.Access;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Silo.Access;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Access;

/// <summary>
/// The same answers from both grant stores: the one an embedded nation gets (in memory) and the one
/// a PostgreSQL nation gets (migration 0008), each taken from a silo's own services.
/// </summary>
public abstract class DataAccessGrantStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private PostgresTestDatabase? _database;
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IDataAccessGrantStore Store => _silo.Services.GetRequiredService<IDataAccessGrantStore>();

    protected abstract Type ExpectedStore { get; }

    protected abstract bool OnPostgres { get; }

    public async ValueTask InitializeAsync()
    {
        if (OnPostgres)
        {
            _database = await PostgresTestDatabase.CreateAsync("grantstore");
            _silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString);
        }
        else
        {
            _silo = await SiloUnderTest.StartEmbeddedAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static DataAccessGrant Grant(string id, string dataset, string? user = "uni:alice", string? consortium = null) => new()
    {
        Id = id,
        Dataset = TypedId.Parse<DatasetRef>($"FR/{dataset}"),
        User = user,
        Consortium = consortium,
        Nation = TypedId.Parse<NationCode>("DE"),
        Purpose = ResearchCategory.DiseaseSpecific,
        DiseaseTerm = "MONDO:0004992",
        Justification = "cohort study",
        Status = DataAccessGrantStatus.Requested,
        RequestedBy = "uni:alice",
        RequestedAt = s_at,
    };

    [Fact]
    public void Store_IsTheOneForThisKindOfNation() => Assert.IsType(ExpectedStore, Store);

    [Fact]
    public async Task Add_Get_List_RoundTripEveryField_OrderedByDatasetAndId()
    {
        Assert.True(await Store.AddAsync(Grant("dag-b", "registry"), Ct));
        Assert.True(await Store.AddAsync(Grant("dag-a", "registry", user: null, consortium: "c1"), Ct));
        Assert.True(await Store.AddAsync(Grant("dag-c", "cohort"), Ct));
        Assert.False(await Store.AddAsync(Grant("dag-b", "cohort", user: "uni:bob"), Ct));

        Assert.Equal(Grant("dag-b", "registry"), await Store.GetAsync("dag-b", Ct));
        Assert.Null(await Store.GetAsync("dag-missing", Ct));
        Assert.Equal(["dag-c", "dag-a", "dag-b"], (await Store.ListAsync(null, Ct)).Select(g => g.Id));
        Assert.Equal(["dag-a", "dag-b"], (await Store.ListAsync(TypedId.Parse<DatasetId>("registry"), Ct)).Select(g => g.Id));
        Assert.Equal("c1", (await Store.GetAsync("dag-a", Ct))!.Consortium);
    }

    [Fact]
    public async Task Update_OnlyFromTheExpectedStatus()
    {
        var grant = Grant("dag-u", "registry");
        await Store.AddAsync(grant, Ct);
        var approved = grant with { Status = DataAccessGrantStatus.Approved, ApprovedBy = "uni:ada", ApprovedAt = s_at.AddDays(1), ExpiresAt = s_at.AddDays(366), SignerKey = "k", Signature = "s" };

        Assert.False(await Store.UpdateAsync(approved, DataAccessGrantStatus.Approved, Ct));
        Assert.Equal(DataAccessGrantStatus.Requested, (await Store.GetAsync("dag-u", Ct))!.Status);
        Assert.True(await Store.UpdateAsync(approved, DataAccessGrantStatus.Requested, Ct));
        Assert.Equal(approved, await Store.GetAsync("dag-u", Ct));
        Assert.False(await Store.UpdateAsync(approved with { Status = DataAccessGrantStatus.Revoked }, DataAccessGrantStatus.Requested, Ct));
        Assert.False(await Store.UpdateAsync(Grant("dag-none", "registry"), DataAccessGrantStatus.Requested, Ct));
    }

    [Fact]
    public async Task CommitteeKey_TheFirstStoredStays()
    {
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kept = await Store.CommitteeKeyAsync(first.ExportPkcs8PrivateKey(), s_at, Ct);
        Assert.Equal(kept, await Store.CommitteeKeyAsync(second.ExportPkcs8PrivateKey(), s_at, Ct));
    }
}

/// <summary><see cref="DataAccessGrantStoreTests"/> on an embedded nation.</summary>
public sealed class InMemoryDataAccessGrantStoreTests : DataAccessGrantStoreTests
{
    protected override Type ExpectedStore => typeof(InMemoryDataAccessGrantStore);

    protected override bool OnPostgres => false;
}

/// <summary><see cref="DataAccessGrantStoreTests"/> on a PostgreSQL nation.</summary>
public sealed class PostgresDataAccessGrantStoreTests : DataAccessGrantStoreTests
{
    protected override Type ExpectedStore => typeof(PostgresDataAccessGrantStore);

    protected override bool OnPostgres => true;
}
