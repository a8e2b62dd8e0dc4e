using System.Net;
using System.Net.Http.Json;
using Federation.Contracts.Json;
using Federation.Grains.Catalogue.Index;
using Federation.Silo.Api;
using Federation.Silo.Api.Requests;
using Federation.Silo.Nations;
using Federation.Silo.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Benchmarks;

/// <summary>Writes the generated catalogue into a running silo, by the chosen route.</summary>
internal static class CatalogueLoader
{
    /// <summary>Loads <see cref="BenchmarkOptions.Datasets"/> datasets; returns the time it took.</summary>
    public static async Task<TimeSpan> LoadAsync(BenchmarkOptions options, CatalogueGenerator generator, Federation.Testing.SiloUnderTest silo, TextWriter output)
    {
        var progress = new LoadProgress(options.Datasets, output);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism };
        if (options.Load == LoadMode.Api)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Datasets), parallel, async (i, cancellationToken) =>
            {
                await RegisterAsync(silo.Client, generator.Dataset(i), cancellationToken);
                progress.Completed();
            });
        }
        else
        {
            // The same request bodies, parsed by the API's own parser into the same specs, written
            // as the record a first registration produces (version 1, active).
            var parser = silo.Services.GetRequiredService<CatalogueRequestParser>();
            var nation = await NationProfiles.CurrentAsync(silo.Services.GetRequiredService<IGrainFactory>());
            var index = silo.Services.GetRequiredService<ICatalogueIndex>() as PostgresCatalogueIndex
                ?? throw new InvalidOperationException("The silo's read model is not PostgresCatalogueIndex; the direct loader needs the PostgreSQL read model.");
            var time = TimeProvider.System;
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Datasets), parallel, async (i, cancellationToken) =>
            {
                var request = generator.Dataset(i);
                var errors = new ValidationErrors();
                var spec = parser.ParseDataset(request, nation, pathId: null, errors)
                    ?? throw new InvalidOperationException($"Generated dataset {i} ('{request.Id}') is invalid: {errors.Summary()}");
                var now = time.GetUtcNow();
                await index.UpsertDatasetAsync(
                    new Contracts.Catalogue.Datasets.DatasetRecord
                    {
                        Spec = spec,
                        Status = Contracts.Catalogue.CatalogueStatus.Active,
                        Version = 1,
                        CreatedAt = now,
                        UpdatedAt = now,
                    },
                    cancellationToken);
                progress.Completed();
            });
        }

        return progress.Elapsed;
    }

    private static async Task RegisterAsync(HttpClient client, DatasetRequest request, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/datasets", request, FederationJson.Options, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"Loading: POST /api/v1/datasets of '{request.Id}' answered {(int)response.StatusCode}, expected 201: {body}");
        }
    }
}
