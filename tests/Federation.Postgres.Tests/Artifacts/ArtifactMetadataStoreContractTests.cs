using Federation.Contracts.Ids;
using Federation.Silo.Artifacts;

namespace Federation.Postgres.Tests.Artifacts;

/// <summary>
/// The semantics documented on <see cref="IArtifactMetadataStore"/>, run against every
/// implementation so that the embedded mode and PostgreSQL answer alike. Each test starts empty.
/// </summary>
public abstract class ArtifactMetadataStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, 123, TimeSpan.Zero);

    private static readonly Sha256Digest s_a = TypedId.Parse<Sha256Digest>(new string('a', 64));
    private static readonly Sha256Digest s_b = TypedId.Parse<Sha256Digest>(new string('b', 64));

    private IArtifactMetadataStore? _store;

    /// <summary>The store under test, empty at the start of each test.</summary>
    protected IArtifactMetadataStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates an empty store of the implementation under test.</summary>
    protected abstract ValueTask<IArtifactMetadataStore> CreateEmptyStoreAsync();

    public async ValueTask InitializeAsync() => _store = await CreateEmptyStoreAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static ArtifactRecord Record(string model, Sha256Digest sha, long size = 42, string by = "uni:alice", string source = "FR") =>
        new(TypedId.Parse<ModelRef>(model), sha, size, "application/octet-stream", by, T0, TypedId.Parse<NationCode>(source));

    [Fact]
    public async Task Add_ThenGet_RoundTripsEveryField()
    {
        var record = Record("tumour-net@1.0.0", s_a, by: "peer:DE", source: "DE");

        Assert.Equal(record, await Store.AddAsync(record, Ct));
        Assert.Equal(record, await Store.GetAsync(record.Model, Ct));
        Assert.Null(await Store.GetAsync(TypedId.Parse<ModelRef>("tumour-net@2.0.0"), Ct));
    }

    [Fact]
    public async Task Add_ForAVersionThatHasOne_KeepsTheFirstAndAnswersIt()
    {
        var first = Record("tumour-net@1.0.0", s_a);
        await Store.AddAsync(first, Ct);

        var answer = await Store.AddAsync(Record("tumour-net@1.0.0", s_b, size: 7, by: "uni:bob"), Ct);

        Assert.Equal(first, answer);
        Assert.Equal(first, await Store.GetAsync(first.Model, Ct));
    }

    [Fact]
    public async Task Count_CountsTheVersionsThatShareBytes()
    {
        await Store.AddAsync(Record("tumour-net@1.0.0", s_a), Ct);
        await Store.AddAsync(Record("tumour-net@1.0.1", s_a), Ct);
        await Store.AddAsync(Record("speech-lm@1", s_b), Ct);

        Assert.Equal(2, await Store.CountAsync(s_a, Ct));
        Assert.Equal(1, await Store.CountAsync(s_b, Ct));
        Assert.Equal(0, await Store.CountAsync(TypedId.Parse<Sha256Digest>(new string('c', 64)), Ct));
    }
}
