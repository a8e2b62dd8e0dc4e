using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Protocol.Messages;
using Federation.Contracts.Json;
using Federation.Grains;
using Federation.Grains.Jobs;
using Federation.Postgres.Tests.Fixtures;
using Federation.Postgres.Tests.Jobs;
using Federation.Postgres.Tests.OrleansSql.Grains;
using Federation.Silo.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Storage;

namespace Federation.Postgres.Tests.OrleansSql;

/// <summary>
/// The job grains' storage as the host configures it in PostgreSQL mode: a second ADO.NET grain
/// storage provider, "jobs", on the same OrleansStorage table as "catalogue", with the Orleans
/// binary serializer. Rows carry no provider name, so the state name keeps providers apart.
/// </summary>
public sealed class JobsGrainStorageTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly NationCode s_germany = TypedId.Parse<NationCode>("DE");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task JobAndExecutionState_WrittenThroughJobsProvider_ReadBackAfterRestart()
    {
        var serviceId = $"fedtest-jobs-{Guid.NewGuid():N}";
        var job = JobRecords.FullJob("train-1");
        var jobId = GrainId.Create("job", "job-" + job.Ref);
        var executionId = GrainId.Create("execution", $"exec-{job.Ref}/2");
        // As many events as a job grain keeps, and an outbox message carrying the whole spec.
        var jobState = new JobGrainState
        {
            Record = job,
            Events = [.. Enumerable.Range(1, 2000).Select(i => new JobEvent(i, job.UpdatedAt, JobState.Running, 2, s_germany, $"DE: running: {i / 20} %", i / 2000.0))],
            Outbox = [OutboxMessage.Create(s_germany, new OfferMessage(new JobOffer { Job = job.Ref, Epoch = 2, Spec = job.Spec, LeaseSeconds = 30 }), job.UpdatedAt)],
            PlanAttempt = 3,
            RefusedUnderDecision = [TypedId.Parse<NationCode>("SE")],
            LastReportSequence = 12,
            NextPlanAt = job.UpdatedAt.AddHours(5),
            Deferral = new TimeShift
            {
                Deferred = true, StartAt = job.UpdatedAt.AddHours(5), FinishBy = job.UpdatedAt.AddHours(7), Nation = s_germany, NowNation = s_germany,
                NowGco2e = 300, WindowGco2e = 100, AvoidedGco2e = 200, WindowsCompared = 30, Reason = "deferred to the cleaner window",
            },
        };
        var executionState = new ExecutionGrainState
        {
            Record = new ExecutionRecord { Job = job.Ref, Epoch = 2, Spec = job.Spec, Admission = job.Admissions[^1], State = JobState.Running, Progress = 0.4, Version = 4 },
            ReportSequence = 7,
        };

        await using (var first = await StartAsync(serviceId))
        {
            var jobs = first.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Jobs);
            await jobs.WriteStateAsync("job", jobId, new GrainState<JobGrainState> { State = jobState });
            await jobs.WriteStateAsync("execution", executionId, new GrainState<ExecutionGrainState> { State = executionState });
        }

        await using var second = await StartAsync(serviceId);
        var storage = second.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Jobs);
        var readJob = new GrainState<JobGrainState> { State = new JobGrainState() };
        var readExecution = new GrainState<ExecutionGrainState> { State = new ExecutionGrainState() };
        await storage.ReadStateAsync("job", jobId, readJob);
        await storage.ReadStateAsync("execution", executionId, readExecution);

        Assert.True(readJob.RecordExists);
        Assert.Equal("1", readJob.ETag);
        Assert.Equal(JobRecords.Json(job), JobRecords.Json(readJob.State.Record!));
        Assert.Equal(jobState.Events, readJob.State.Events);
        Assert.Equal(((OfferMessage)jobState.Outbox[0].Message).Offer.Spec, ((OfferMessage)readJob.State.Outbox[0].Message).Offer.Spec);
        Assert.Equal([TypedId.Parse<NationCode>("SE")], readJob.State.RefusedUnderDecision);
        Assert.Equal(12, readJob.State.LastReportSequence);
        Assert.Equal((jobState.NextPlanAt, jobState.Deferral), (readJob.State.NextPlanAt, readJob.State.Deferral));
        Assert.Equal(JsonSerializer.Serialize(executionState.Record, FederationJson.Options), JsonSerializer.Serialize(readExecution.State.Record, FederationJson.Options));
        Assert.Equal(7, readExecution.State.ReportSequence);
        Assert.Equal(["job-FR/train-1"], await ListKeysAsync(serviceId, "job"));
        Assert.Equal(["exec-FR/train-1/2"], await ListKeysAsync(serviceId, "execution"));
    }

    [Fact]
    public async Task TwoProvidersOneTable_SameKeyDistinctStateNames_KeptApartWithOwnVersions()
    {
        var serviceId = $"fedtest-jobs-{Guid.NewGuid():N}";
        var grainId = GrainId.Create("job", "shared-key");
        await using var host = await StartAsync(serviceId);
        var jobs = host.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Jobs);
        var catalogue = host.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Catalogue);

        var job = new GrainState<JobGrainState> { State = new JobGrainState { PlanAttempt = 1 } };
        await jobs.WriteStateAsync("job", grainId, job);
        job.State.PlanAttempt = 2;
        await jobs.WriteStateAsync("job", grainId, job);
        await catalogue.WriteStateAsync("dataset", grainId, new GrainState<NoteState> { State = new NoteState { Text = "catalogue" } });

        var readJob = new GrainState<JobGrainState> { State = new JobGrainState() };
        var readNote = new GrainState<NoteState> { State = new NoteState() };
        await jobs.ReadStateAsync("job", grainId, readJob);
        await catalogue.ReadStateAsync("dataset", grainId, readNote);
        var noJob = new GrainState<JobGrainState> { State = new JobGrainState() };
        await jobs.ReadStateAsync("execution", grainId, noJob);

        Assert.Equal(("2", 2), (readJob.ETag, readJob.State.PlanAttempt));
        Assert.Equal(("1", "catalogue"), (readNote.ETag, readNote.State.Text));
        Assert.False(noJob.RecordExists);
        Assert.Equal(["shared-key"], await ListKeysAsync(serviceId, "job"));
        Assert.Equal(["shared-key"], await ListKeysAsync(serviceId, "dataset"));
    }

    [Fact]
    public async Task GroupCommitStorage_ManyReadsAtOnce_LeaveInBatches_AndEachReadsItsOwnRowAsTheProviderDoes()
    {
        var serviceId = $"fedtest-reads-{Guid.NewGuid():N}";
        await using var host = await StartAsync(serviceId, groupCommit: true);
        var storage = Assert.IsType<GroupCommitGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Jobs));
        Assert.NotNull(storage.Reads);
        var provider = host.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Catalogue); // the ADO.NET provider's own reads

        // String keys (some hex-looking), GUID and integer keys with and without extensions; a third never written.
        var ids = Enumerable.Range(0, 300).Select(i => (i % 5) switch
        {
            0 => GrainId.Create("job", $"job-FR/read-{i}"),
            1 => GrainId.Create("job", $"{i:x8}deadbeef"),
            2 => GrainId.Create(GrainType.Create("job"), GrainIdKeyExtensions.CreateGuidKey(new Guid(i, 7, 7, [1, 2, 3, 4, 5, 6, 7, 8]), i % 2 == 0 ? null : $"ext-{i}")),
            3 => GrainId.Create(GrainType.Create("job"), GrainIdKeyExtensions.CreateIntegerKey(i, $"ext-{i}")),
            _ => GrainId.Create(GrainType.Create("job"), GrainIdKeyExtensions.CreateIntegerKey(i)),
        }).ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)).Where(x => x.i % 3 != 0))
        {
            var state = new GrainState<JobGrainState> { State = new JobGrainState { PlanAttempt = i } };
            await storage.WriteStateAsync("job", id, state);
            if (i % 4 == 0)
            {
                state.State.PlanAttempt = i + 1000;
                await storage.WriteStateAsync("job", id, state);
            }
        }

        var batchesBefore = storage.Reads!.Batches;
        var reads = ids.Select(_ => new GrainState<JobGrainState> { State = new JobGrainState { PlanAttempt = -7 }, ETag = "stale" }).ToList();
        await Task.WhenAll(ids.Select((id, i) => storage.ReadStateAsync("job", id, reads[i])));

        for (var i = 0; i < ids.Count; i++)
        {
            var byProvider = new GrainState<JobGrainState> { State = new JobGrainState() };
            await provider.ReadStateAsync("job", ids[i], byProvider);
            var expected = i % 3 == 0 ? (false, (string?)null, 0) : (true, i % 4 == 0 ? "2" : "1", i % 4 == 0 ? i + 1000 : i);
            Assert.Equal(expected, (reads[i].RecordExists, reads[i].ETag, reads[i].State!.PlanAttempt));
            Assert.Equal((byProvider.RecordExists, byProvider.ETag, byProvider.State!.PlanAttempt), (reads[i].RecordExists, reads[i].ETag, reads[i].State!.PlanAttempt));
        }

        // 300 reads at once: far fewer round trips than reads.
        Assert.InRange(storage.Reads.Batches - batchesBefore, 1, 150);
    }

    [Fact]
    public void GrainStates_EachStateNameBelongsToOneGrainClassAndOneProvider()
    {
        var states = typeof(JobGrain).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(Grain).IsAssignableFrom(t))
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters())
                .Select(p => p.GetCustomAttribute<PersistentStateAttribute>())
                .OfType<PersistentStateAttribute>()
                .Select(a => (Grain: t.Name, a.StateName, a.StorageName)))
            .Distinct()
            .ToList();

        Assert.Contains(("JobGrain", "job", GrainStorageNames.Jobs), states);
        Assert.Contains(("ExecutionGrain", "execution", GrainStorageNames.Jobs), states);
        Assert.All(states.GroupBy(s => s.StateName), g => Assert.Single(g));
    }

    /// <summary>
    /// A silo with the two ADO.NET storage providers configured as the host configures them; with <paramref name="groupCommit"/>,
    /// "jobs" is the group-commit storage, as the silo configures it in PostgreSQL mode.
    /// </summary>
    private async Task<AsyncHost> StartAsync(string serviceId, bool groupCommit = false)
    {
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: serviceId);
                foreach (var storage in new[] { GrainStorageNames.Catalogue, GrainStorageNames.Jobs })
                {
                    Action<AdoNetGrainStorageOptions> configure = o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = database.ConnectionString;
                    };
                    _ = groupCommit && storage == GrainStorageNames.Jobs ? silo.AddGroupCommitGrainStorage(storage, configure) : silo.AddAdoNetGrainStorage(storage, configure);
                    silo.Services.AddOptions<AdoNetGrainStorageOptions>(storage)
                        .Configure<IServiceProvider>((o, sp) => o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp));
                }
            })
            .Build();
        try
        {
            await host.StartAsync(Ct);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new AsyncHost(host);
    }

    private async Task<List<string>> ListKeysAsync(string serviceId, string stateName)
    {
        var keys = new List<string>();
        await foreach (var key in new GrainStateKeys(database.DataSource).ListKeysAsync(serviceId, stateName, Ct))
        {
            keys.Add(key);
        }

        return keys;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops and disposes a host on <c>await using</c>.</summary>
    private sealed class AsyncHost(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await host.StopAsync(CancellationToken.None);
            }
            finally
            {
                host.Dispose();
            }
        }
    }
}
