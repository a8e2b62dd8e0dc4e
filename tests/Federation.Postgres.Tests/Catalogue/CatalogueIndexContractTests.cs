using System.Text.Json;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Json;
using Federation.Grains.Catalogue.Index;
using static Federation.Postgres.Tests.Catalogue.CatalogueRecords;

namespace Federation.Postgres.Tests.Catalogue;

/// <summary>
/// The semantics documented on <see cref="ICatalogueIndex"/>, run against every implementation so
/// that the embedded mode and PostgreSQL answer alike. Each test starts from an empty index.
/// </summary>
public abstract class CatalogueIndexContractTests : IAsyncLifetime
{
    private ICatalogueIndex? _index;

    /// <summary>The index under test, empty at the start of each test.</summary>
    protected ICatalogueIndex Index => _index ?? throw new InvalidOperationException("InitializeAsync has not run.");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates an empty index of the implementation under test.</summary>
    protected abstract ValueTask<ICatalogueIndex> CreateEmptyIndexAsync();

    public async ValueTask InitializeAsync() => _index = await CreateEmptyIndexAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task UpsertDataset_SameRecordTwice_StoredOnceUnchanged()
    {
        var record = Dataset("cancer-registry", version: 3, title: "Cancer registry", tags: ["health", "oncology"]);

        await Index.UpsertDatasetAsync(record, Ct);
        await Index.UpsertDatasetAsync(record, Ct);

        var page = await Index.QueryDatasetsAsync(new DatasetQuery(), Ct);
        var stored = Assert.Single(page.Items);
        Assert.Equal(Json(record), Json(stored));
        Assert.Null(page.NextAfter);
    }

    [Fact]
    public async Task UpsertDataset_StaleOrEqualVersion_Ignored()
    {
        await Index.UpsertDatasetAsync(Dataset("air-quality", version: 2, title: "Second"), Ct);

        await Index.UpsertDatasetAsync(Dataset("air-quality", version: 1, title: "First (late)"), Ct);
        await Index.UpsertDatasetAsync(Dataset("air-quality", version: 2, title: "Second (other writer)"), Ct);

        var stored = Assert.Single((await Index.QueryDatasetsAsync(new DatasetQuery(), Ct)).Items);
        Assert.Equal(2, stored.Version);
        Assert.Equal("Second", stored.Spec.Title);
    }

    [Fact]
    public async Task UpsertDataset_NewerVersion_Replaces()
    {
        await Index.UpsertDatasetAsync(Dataset("air-quality", version: 1, title: "First"), Ct);

        await Index.UpsertDatasetAsync(Dataset("air-quality", version: 2, title: "Second"), Ct);

        var stored = Assert.Single((await Index.QueryDatasetsAsync(new DatasetQuery(), Ct)).Items);
        Assert.Equal("Second", stored.Spec.Title);
    }

    [Fact]
    public async Task QueryDatasets_Tombstone_NeverReturnedAndNotRevivedByStaleWrite()
    {
        await Index.UpsertDatasetAsync(Dataset("gone", version: 3, status: CatalogueStatus.Deleted), Ct);
        await Index.UpsertDatasetAsync(Dataset("gone", version: 2), Ct);
        await Index.UpsertDatasetAsync(Dataset("kept"), Ct);

        var all = await Index.QueryDatasetsAsync(new DatasetQuery { IncludeWithdrawn = true }, Ct);

        Assert.Equal(["kept"], Ids(all));
    }

    [Fact]
    public async Task QueryNodesAndModels_Tombstones_NeverReturned()
    {
        await Index.UpsertNodeAsync(Node("gpu-01", status: CatalogueStatus.Deleted), Ct);
        await Index.UpsertNodeAsync(Node("gpu-02"), Ct);
        await Index.UpsertModelAsync(Model("llm", "1.0", status: CatalogueStatus.Deleted), Ct);
        await Index.UpsertModelAsync(Model("llm", "2.0"), Ct);

        var nodes = await Index.QueryNodesAsync(new NodeQuery(), Ct);
        var models = await Index.QueryModelsAsync(new ModelQuery { IncludeWithdrawn = true }, Ct);

        Assert.Equal(["gpu-02"], nodes.Items.Select(n => n.Spec.Id.ToString()));
        Assert.Equal(["llm@2.0"], models.Items.Select(m => m.Spec.Ref.ToString()));
    }

    [Fact]
    public async Task QueryDatasets_Withdrawn_HiddenUnlessIncluded()
    {
        await Index.UpsertDatasetAsync(Dataset("active-one"), Ct);
        await Index.UpsertDatasetAsync(Dataset("withdrawn-one", status: CatalogueStatus.Withdrawn), Ct);

        var defaultPage = await Index.QueryDatasetsAsync(new DatasetQuery(), Ct);
        var withWithdrawn = await Index.QueryDatasetsAsync(new DatasetQuery { IncludeWithdrawn = true }, Ct);

        Assert.Equal(["active-one"], Ids(defaultPage));
        Assert.Equal(["active-one", "withdrawn-one"], Ids(withWithdrawn));
    }

    [Fact]
    public async Task QueryDatasets_PublicOnly_LeavesOutPrivate()
    {
        await Index.UpsertDatasetAsync(Dataset("open-data", visibility: Visibility.Public), Ct);
        await Index.UpsertDatasetAsync(Dataset("home-data", visibility: Visibility.Private), Ct);

        var publicOnly = await Index.QueryDatasetsAsync(new DatasetQuery { PublicOnly = true }, Ct);
        var all = await Index.QueryDatasetsAsync(new DatasetQuery(), Ct);

        Assert.Equal(["open-data"], Ids(publicOnly));
        Assert.Equal(["home-data", "open-data"], Ids(all));
    }

    [Fact]
    public async Task QueryDatasets_Tag_MatchesWholeTagOnly()
    {
        await Index.UpsertDatasetAsync(Dataset("genomes", tags: ["genomics", "health"]), Ct);
        await Index.UpsertDatasetAsync(Dataset("genes", tags: ["gen"]), Ct);
        await Index.UpsertDatasetAsync(Dataset("untagged"), Ct);

        var health = await Index.QueryDatasetsAsync(new DatasetQuery { Tag = "health" }, Ct);
        var gen = await Index.QueryDatasetsAsync(new DatasetQuery { Tag = "gen" }, Ct);

        Assert.Equal(["genomes"], Ids(health));
        Assert.Equal(["genes"], Ids(gen));
    }

    [Fact]
    public async Task QueryDatasets_Licence_ExactIgnoringCase()
    {
        await Index.UpsertDatasetAsync(Dataset("by", licence: "CC-BY-4.0"), Ct);
        await Index.UpsertDatasetAsync(Dataset("by-sa", licence: "CC-BY-SA-4.0"), Ct);
        await Index.UpsertDatasetAsync(Dataset("dual", licence: "Apache-2.0 OR MIT"), Ct);

        var byLower = await Index.QueryDatasetsAsync(new DatasetQuery { Licence = "cc-by-4.0" }, Ct);
        var dual = await Index.QueryDatasetsAsync(new DatasetQuery { Licence = "Apache-2.0 OR MIT" }, Ct);
        var prefix = await Index.QueryDatasetsAsync(new DatasetQuery { Licence = "CC-BY" }, Ct);

        Assert.Equal(["by"], Ids(byLower));
        Assert.Equal(["dual"], Ids(dual));
        Assert.Empty(prefix.Items);
    }

    [Fact]
    public async Task QueryDatasets_TextTerms_AllMustOccurIgnoringCaseAcrossFields()
    {
        await Index.UpsertDatasetAsync(Dataset("cancer-registry", title: "National Cancer Registry", description: "Incidence since 1990", tags: ["oncology"]), Ct);
        await Index.UpsertDatasetAsync(Dataset("air-quality", title: "Air quality", description: "Hourly PM2.5 readings", tags: ["environment"]), Ct);

        Assert.Equal(["cancer-registry"], Ids(await Index.QueryDatasetsAsync(new DatasetQuery { Text = "CANCER incidence" }, Ct)));
        Assert.Equal(["cancer-registry"], Ids(await Index.QueryDatasetsAsync(new DatasetQuery { Text = "  onco  registry " }, Ct)));
        Assert.Equal(["air-quality"], Ids(await Index.QueryDatasetsAsync(new DatasetQuery { Text = "pm2.5 air-qual" }, Ct)));
        Assert.Empty((await Index.QueryDatasetsAsync(new DatasetQuery { Text = "cancer hourly" }, Ct)).Items);
        Assert.Equal(2, (await Index.QueryDatasetsAsync(new DatasetQuery { Text = "   " }, Ct)).Items.Count);
    }

    [Fact]
    public async Task QueryDatasets_TextWithLikeWildcards_MatchedLiterally()
    {
        await Index.UpsertDatasetAsync(Dataset("percent", description: "coverage 100% of sites"), Ct);
        await Index.UpsertDatasetAsync(Dataset("underscore", description: "column site_id"), Ct);
        await Index.UpsertDatasetAsync(Dataset("plain", description: "coverage 1000 of sites, column siteXid, back\\slash"), Ct);

        Assert.Equal(["percent"], Ids(await Index.QueryDatasetsAsync(new DatasetQuery { Text = "100%" }, Ct)));
        Assert.Equal(["underscore"], Ids(await Index.QueryDatasetsAsync(new DatasetQuery { Text = "site_id" }, Ct)));
        Assert.Equal(["percent"], Ids(await Index.QueryDatasetsAsync(new DatasetQuery { Text = "%" }, Ct)));
        Assert.Equal(["plain"], Ids(await Index.QueryDatasetsAsync(new DatasetQuery { Text = "back\\slash" }, Ct)));
    }

    [Fact]
    public async Task QueryNodes_AcceleratorAndState_FilterExactly()
    {
        await Index.UpsertNodeAsync(Node("gpu-01", accelerator: "h100-sxm", state: NodeState.Up), Ct);
        await Index.UpsertNodeAsync(Node("gpu-02", accelerator: "h100-sxm", state: NodeState.Down), Ct);
        await Index.UpsertNodeAsync(Node("gpu-03", accelerator: "h100-pcie", state: NodeState.Up), Ct);
        await Index.UpsertNodeAsync(Node("gpu-04", accelerator: "a100-80gb", state: NodeState.Draining), Ct);

        var h100 = await Index.QueryNodesAsync(new NodeQuery { Accelerator = "h100-sxm" }, Ct);
        var up = await Index.QueryNodesAsync(new NodeQuery { State = NodeState.Up }, Ct);
        var both = await Index.QueryNodesAsync(new NodeQuery { Accelerator = "h100-sxm", State = NodeState.Up }, Ct);
        var draining = await Index.QueryNodesAsync(new NodeQuery { State = NodeState.Draining }, Ct);

        Assert.Equal(["gpu-01", "gpu-02"], NodeIds(h100));
        Assert.Equal(["gpu-01", "gpu-03"], NodeIds(up));
        Assert.Equal(["gpu-01"], NodeIds(both));
        Assert.Equal(["gpu-04"], NodeIds(draining));
    }

    [Fact]
    public async Task QueryNodes_Text_SearchesIdSiteAndAccelerator()
    {
        await Index.UpsertNodeAsync(Node("gpu-paris-01", site: "Paris-Saclay", accelerator: "h100-sxm"), Ct);
        await Index.UpsertNodeAsync(Node("gpu-lyon-01", site: "Lyon", accelerator: "a100-80gb"), Ct);

        Assert.Equal(["gpu-paris-01"], NodeIds(await Index.QueryNodesAsync(new NodeQuery { Text = "saclay" }, Ct)));
        Assert.Equal(["gpu-lyon-01"], NodeIds(await Index.QueryNodesAsync(new NodeQuery { Text = "A100 lyon-01" }, Ct)));
        Assert.Equal(["gpu-lyon-01", "gpu-paris-01"], NodeIds(await Index.QueryNodesAsync(new NodeQuery { Text = "gpu" }, Ct)));
    }

    [Fact]
    public async Task QueryModels_NameLicenceWithdrawnAndText_Filter()
    {
        await Index.UpsertModelAsync(Model("sovereign-llm", "1.0", description: "Base model"), Ct);
        await Index.UpsertModelAsync(Model("sovereign-llm", "1.1", description: "Tuned on registry", status: CatalogueStatus.Withdrawn), Ct);
        await Index.UpsertModelAsync(Model("sovereign-llm", "2.0", format: "onnx", licence: "MIT"), Ct);
        await Index.UpsertModelAsync(Model("sovereign-llm-mini", "1.0"), Ct);
        await Index.UpsertModelAsync(Model("vision", "0.9", description: "Image classifier"), Ct);

        var byName = await Index.QueryModelsAsync(new ModelQuery { Name = "sovereign-llm" }, Ct);
        var byNameWithWithdrawn = await Index.QueryModelsAsync(new ModelQuery { Name = "sovereign-llm", IncludeWithdrawn = true }, Ct);
        var mit = await Index.QueryModelsAsync(new ModelQuery { Licence = "mit" }, Ct);
        var onnx = await Index.QueryModelsAsync(new ModelQuery { Text = "ONNX" }, Ct);
        var byVersionText = await Index.QueryModelsAsync(new ModelQuery { Text = "0.9 classifier" }, Ct);

        Assert.Equal(["sovereign-llm@1.0", "sovereign-llm@2.0"], ModelKeys(byName));
        Assert.Equal(["sovereign-llm@1.0", "sovereign-llm@1.1", "sovereign-llm@2.0"], ModelKeys(byNameWithWithdrawn));
        Assert.Equal(["sovereign-llm@2.0"], ModelKeys(mit));
        Assert.Equal(["sovereign-llm@2.0"], ModelKeys(onnx));
        Assert.Equal(["vision@0.9"], ModelKeys(byVersionText));
    }

    [Fact]
    public async Task QueryModels_StaleVersion_Ignored()
    {
        await Index.UpsertModelAsync(Model("llm", "1.0", version: 4, description: "newest"), Ct);
        await Index.UpsertModelAsync(Model("llm", "1.0", version: 3, description: "older"), Ct);
        await Index.UpsertNodeAsync(Node("gpu-01", version: 7, state: NodeState.Down), Ct);
        await Index.UpsertNodeAsync(Node("gpu-01", version: 6, state: NodeState.Up), Ct);

        var model = Assert.Single((await Index.QueryModelsAsync(new ModelQuery(), Ct)).Items);
        var node = Assert.Single((await Index.QueryNodesAsync(new NodeQuery(), Ct)).Items);

        Assert.Equal("newest", model.Spec.Description);
        Assert.Equal(NodeState.Down, node.State);
    }

    [Fact]
    public async Task QueryDatasets_KeysetPaging_VisitsEveryEntryOnceInOrdinalOrder()
    {
        // Ordinal order puts '-' (0x2D) before digits and letters, unlike most cultures.
        string[] ids = ["a", "a-b", "a0", "a1", "ab", "b", "b-2", "b10", "b2", "z", "zz", "0-start", "9"];
        foreach (var id in ids)
        {
            await Index.UpsertDatasetAsync(Dataset(id), Ct);
        }

        await Index.UpsertDatasetAsync(Dataset("deleted-in-the-middle", status: CatalogueStatus.Deleted), Ct);

        var seen = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await Index.QueryDatasetsAsync(new DatasetQuery { Limit = 4, After = after }, Ct);
            Assert.True(page.Items.Count <= 4, $"page {pages} has {page.Items.Count} items for limit 4");
            if (page.NextAfter is not null)
            {
                Assert.Equal(4, page.Items.Count);
                Assert.Equal(page.Items[^1].Spec.Id.ToString(), page.NextAfter);
            }

            seen.AddRange(Ids(page));
            after = page.NextAfter;
            pages++;
        }
        while (after is not null && pages < 20);

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task QueryDatasets_ExactlyFullLastPage_HasNoNextCursor()
    {
        foreach (var id in new[] { "d1", "d2", "d3", "d4" })
        {
            await Index.UpsertDatasetAsync(Dataset(id), Ct);
        }

        var first = await Index.QueryDatasetsAsync(new DatasetQuery { Limit = 2 }, Ct);
        var second = await Index.QueryDatasetsAsync(new DatasetQuery { Limit = 2, After = first.NextAfter }, Ct);

        Assert.Equal(["d1", "d2"], Ids(first));
        Assert.Equal("d2", first.NextAfter);
        Assert.Equal(["d3", "d4"], Ids(second));
        Assert.Null(second.NextAfter);
    }

    [Fact]
    public async Task QueryDatasets_PagingWithFilter_CursorSkipsNonMatches()
    {
        for (var i = 0; i < 10; i++)
        {
            await Index.UpsertDatasetAsync(Dataset($"set-{i}", tags: i % 3 == 0 ? ["pick"] : ["skip"]), Ct);
        }

        var first = await Index.QueryDatasetsAsync(new DatasetQuery { Tag = "pick", Limit = 2 }, Ct);
        var second = await Index.QueryDatasetsAsync(new DatasetQuery { Tag = "pick", Limit = 2, After = first.NextAfter }, Ct);

        Assert.Equal(["set-0", "set-3"], Ids(first));
        Assert.Equal(["set-6", "set-9"], Ids(second));
        Assert.Null(second.NextAfter);
    }

    [Fact]
    public async Task QueryDatasets_AfterUnknownKey_StartsAfterItsPosition()
    {
        foreach (var id in new[] { "alpha", "beta", "gamma" })
        {
            await Index.UpsertDatasetAsync(Dataset(id), Ct);
        }

        var page = await Index.QueryDatasetsAsync(new DatasetQuery { After = "b" }, Ct);

        Assert.Equal(["beta", "gamma"], Ids(page));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-7, 1)]
    [InlineData(1, 1)]
    [InlineData(500, 500)]
    [InlineData(501, 500)]
    [InlineData(int.MaxValue, 500)]
    public async Task QueryNodes_LimitOutOfRange_ClampedTo1Through500(int limit, int expectedCount)
    {
        for (var i = 0; i < 501; i++)
        {
            await Index.UpsertNodeAsync(Node($"gpu-{i:D4}"), Ct);
        }

        var page = await Index.QueryNodesAsync(new NodeQuery { Limit = limit }, Ct);

        Assert.Equal(expectedCount, page.Items.Count);
        Assert.Equal(page.Items[^1].Spec.Id.ToString(), page.NextAfter);
    }

    [Fact]
    public async Task QueryModels_FullRecord_RoundTrips()
    {
        var record = Model("sovereign-llm", "1.2.0-rc.1", version: 5, description: "Tuned") with
        {
            StatusReason = "testing",
            ReferencedBy = ["model:derived@1.0"],
        };

        await Index.UpsertModelAsync(record, Ct);

        var stored = Assert.Single((await Index.QueryModelsAsync(new ModelQuery(), Ct)).Items);
        Assert.Equal(Json(record), Json(stored));
    }

    [Fact]
    public async Task QueryNodes_FullRecord_RoundTrips()
    {
        var record = Node("gpu-paris-01", version: 9) with
        {
            LastHeartbeat = new DateTimeOffset(2025, 3, 1, 12, 30, 15, 123, TimeSpan.Zero),
            Allocations = [],
            StateReason = "heartbeat",
        };

        await Index.UpsertNodeAsync(record, Ct);

        var stored = Assert.Single((await Index.QueryNodesAsync(new NodeQuery(), Ct)).Items);
        Assert.Equal(Json(record), Json(stored));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, FederationJson.Options);

    private static List<string> Ids(CataloguePage<DatasetRecord> page) => [.. page.Items.Select(d => d.Spec.Id.ToString())];

    private static List<string> NodeIds(CataloguePage<GpuNodeRecord> page) => [.. page.Items.Select(n => n.Spec.Id.ToString())];

    private static List<string> ModelKeys(CataloguePage<Contracts.Catalogue.Models.ModelArtifactRecord> page) => [.. page.Items.Select(m => m.Spec.Ref.ToString())];
}
