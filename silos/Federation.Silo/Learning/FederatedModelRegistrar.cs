using System.Security.Cryptography;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Nations;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Silo.Artifacts;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Learning;

/// <summary>
/// Registers a federated job's final model at its aggregating nation once its run succeeded: the weights file
/// into the <see cref="ContentStore"/> (by its sha256), the catalogue entry (<see cref="FederatedModelSpec"/>, with
/// every input's conditions as its home states them, read from the catalogue here or its home's public catalogue),
/// and the artifact record. Idempotent: a model already registered by the same job is that job's model, whatever
/// happened between (a re-poll after a restart registers nothing twice and does not fail).
/// </summary>
public sealed partial class FederatedModelRegistrar(
    IGrainFactory grains,
    IServiceProvider services,
    LocalNation local,
    TimeProvider time,
    ILogger<FederatedModelRegistrar> logger)
{
    private static readonly TimeSpan s_peerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers the model of <paramref name="job"/> whose weights are <paramref name="weightsPath"/>; returns its reference,
    /// or null with the reason it is not registered (no artifact store, a name another model holds, no run).
    /// </summary>
    public async Task<(ModelRef? Model, string? Problem)> RegisterAsync(JobRef job, JobSpec spec, string weightsPath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var terms = spec.Federated ?? throw new ArgumentException($"job {job} has no federated terms", nameof(spec));
        var name = FederatedModelSpec.NameOf(job, terms);
        var grain = grains.GetGrain<IModelArtifactGrain>(name.GrainKey);
        if (await grain.GetAsync() is { } existing && existing.Status != CatalogueStatus.Deleted)
        {
            return existing.Spec.Lineage.ProducingJob == job
                ? (name, null)
                : (null, $"model {name} is already registered in {local.Code} by {existing.Spec.Lineage.ProducingJob?.ToString() ?? "an operator"}: name another output.model");
        }

        if (services.GetService<ContentStore>() is not { } store || services.GetService<IArtifactMetadataStore>() is not { } metadata)
        {
            return (null, $"{local.Code} has no artifact store configured (Federation:Artifacts): the model is not registered");
        }

        var lineage = await grains.GetGrain<IFederatedRunGrain>(IFederatedRunGrain.KeyOf(job)).GetLineageAsync();
        if (lineage is null)
        {
            return (null, $"no federated run of {job} is held in {local.Code}: nothing to register");
        }

        Sha256Digest sha256;
        long size;
        await using (var read = File.OpenRead(weightsPath))
        {
            sha256 = TypedId.Parse<Sha256Digest>(Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct)));
            size = read.Length;
            read.Position = 0;
            var written = await store.WriteAsync(read, sha256, size, services.GetRequiredService<IOptions<ArtifactOptions>>().Value.MaxBytes, ct);
            if (!written.Succeeded)
            {
                return (null, $"the final model's bytes were not stored ({written.Outcome}): the model is not registered");
            }
        }

        var inputs = spec.Inputs.IsDefault ? [] : spec.Inputs;
        var conditions = new Dictionary<DatasetRef, DatasetTermsStatement?>();
        foreach (var input in inputs)
        {
            conditions[input] = await TermsAsync(input, ct);
        }

        var model = FederatedModelSpec.Of(job, spec, local.Code, lineage, sha256, size, conditions);
        var result = await grain.RegisterAsync(model);
        if (!result.Succeeded && (await grain.GetAsync())?.Spec.Lineage.ProducingJob != job)
        {
            return (null, $"model {name} could not be registered in {local.Code}: {result.Reason}");
        }

        await metadata.AddAsync(new ArtifactRecord(name, sha256, size, "application/octet-stream", $"job:{job}", time.GetUtcNow(), local.Code), ct);
        LogRegistered(logger, name, job, sha256, model.Lineage.Steps.Length);
        return (name, null);
    }

    /// <summary>What <paramref name="input"/>'s home states of it: this nation's catalogue, or the home's public catalogue; null when unknown.</summary>
    private async Task<DatasetTermsStatement?> TermsAsync(DatasetRef input, CancellationToken ct)
    {
        if (input.Nation == local.Code)
        {
            return await grains.GetGrain<IDatasetGrain>(input.Dataset.GrainKey).GetAsync() is { Status: CatalogueStatus.Active } record
                ? new DatasetTermsStatement(input, record.Version, record.Spec.Residency, record.Spec.DataUse) { Exports = record.Spec.Exports }
                : null;
        }

        if (services.GetService<RosterStore>()?.Find(input.Nation.Value) is not { } peer || services.GetService<PeerHttpClientFactory>() is not { } clients)
        {
            return null;
        }

        try
        {
            using var client = clients.CreateClient(peer);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(s_peerTimeout);
            using var message = new HttpRequestMessage(HttpMethod.Get, FederationRoutes.Dataset(input.Dataset.ToString())).WithRequestId(Guid.NewGuid());
            using var response = await client.SendAsync(message, timeout.Token);
            var found = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PublicDataset>(FederationJson.Options, timeout.Token) : null;
            return found is not null && found.Nation == input.Nation.Value && found.Id == input.Dataset.Value
                ? found.Terms?.Terms ?? new DatasetTermsStatement(input, found.Version, found.Residency, found.DataUse) { Exports = found.Exports }
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException or System.Security.Authentication.AuthenticationException)
        {
            LogTermsUnknown(logger, input, e.GetBaseException().Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 9421, Level = LogLevel.Information, Message = "Model {Model} of federated job {Job} registered: sha256 {Sha256}, {Steps} lineage steps")]
    private static partial void LogRegistered(ILogger logger, ModelRef model, JobRef job, Sha256Digest sha256, int steps);

    [LoggerMessage(EventId = 9422, Level = LogLevel.Warning, Message = "The terms of {Dataset} could not be read from its home for the model's lineage: {Reason}")]
    private static partial void LogTermsUnknown(ILogger logger, DatasetRef dataset, string reason);
}
