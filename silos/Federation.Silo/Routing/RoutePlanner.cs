using System.Net;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Contracts.Peers;
using Federation.Execution.Workloads;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Nations;
using Federation.Routing;
using Federation.Silo.Api;
using Federation.Silo.Peering;
using Federation.Silo.Trust;

namespace Federation.Silo.Routing;

/// <summary>
/// Gathers what the router needs — the inputs' terms from their home nations, this nation's
/// advert and every peer's last advert and health — and asks the <see cref="Router"/>.
/// </summary>
public sealed partial class RoutePlanner(
    Router router,
    IGrainFactory grains,
    LocalNation local,
    AdvertBuilder adverts,
    WorkloadCatalogue workloads,
    ICatalogueIndex index,
    RosterStore roster,
    PeerHttpClientFactory clients,
    ClaimReferences references,
    ForeignTerms signedTerms,
    TimeProvider time,
    ILogger<RoutePlanner> logger)
{
    private static readonly TimeSpan s_peerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Plans <paramref name="spec"/> as submitted to this nation, without submitting it.</summary>
    public async Task<RoutePlan> PlanAsync(JobSpec spec, CancellationToken cancellationToken) =>
        (await PlanAllAsync([spec], cancellationToken))[0];

    /// <summary>
    /// Plans several jobs that read the same inputs with the same workload and arguments (a batch):
    /// the inputs' terms and the candidates are gathered once, each job gets its own decision.
    /// </summary>
    public async Task<IReadOnlyList<RoutePlan>> PlanAllAsync(IReadOnlyList<JobSpec> specs, CancellationToken cancellationToken)
    {
        var spec = specs[0];
        var errors = new ValidationErrors();
        var lookups = await Task.WhenAll(spec.Inputs.Select((input, i) => ResolveAsync(input, i, cancellationToken)));
        var unavailable = lookups.Where(l => l.Unavailable is not null).Select(l => l.Unavailable!).ToList();
        foreach (var (field, rule) in lookups.Where(l => l.Error is not null).Select(l => l.Error!.Value))
        {
            errors.Add(field, rule);
        }

        var candidates = await CandidatesAsync(cancellationToken);
        var offered = candidates.Where(c => c.Advert is not null)
            .SelectMany(c => c.Advert!.Workloads.Select(w => (Workload: $"{w.Name}@{w.Version}", c.Nation)))
            .ToList();
        CheckWorkload(spec.Workload, "workload", offered, errors);
        if (spec.Federated is { } federated)
        {
            CheckWorkload(federated.Training, "federated.training", offered, errors);
        }

        if (!errors.IsEmpty)
        {
            return [.. specs.Select(_ => new RoutePlan(null, errors, null))];
        }

        if (unavailable.Count > 0)
        {
            return [.. specs.Select(_ => new RoutePlan(null, null, string.Join("; ", unavailable)))];
        }

        var now = time.GetUtcNow();
        return [.. specs.Select(each =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var span = Federation.Grains.Diagnostics.JobTracing.Start("route", each.RefIn(local.Code).ToString());
            // A deferrable job may be deferred to its cleanest window: its grain holds it until then and decides again (docs/carbon.md).
            var decision = router.PlanShifted(new RoutingRequest
            {
                Job = each.RefIn(local.Code),
                Spec = each,
                Now = now,
                Inputs = [.. lookups.Select(l => l.Input!)],
                Candidates = [.. candidates],
            });
            Federation.Grains.Diagnostics.FederationMetrics.RoutingDecided(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            span?.SetTag("federation.route.nation", decision.Chosen?.Value);
            LogPlanned(logger, decision.Job, decision.Summary);
            return new RoutePlan(decision, null, null);
        })];
    }

    /// <summary>Records under <paramref name="field"/> a workload no nation offers, or arguments this nation knows to be wrong.</summary>
    private void CheckWorkload(WorkloadCall workload, string field, List<(string Workload, NationCode Nation)> offered, ValidationErrors errors)
    {
        if (!offered.Any(o => o.Workload == workload.ToString()))
        {
            var known = offered.Count == 0
                ? "no nation has advertised a workload yet"
                : "offered: " + string.Join(", ", offered.GroupBy(o => o.Workload).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"{g.Key} ({string.Join(", ", g.Select(o => o.Nation.Value).Order(StringComparer.Ordinal))})"));
            errors.Add(field, $"{workload} is on no nation's allow-list; {known}");
        }
        else if (workloads.Find(workload) is { } own)
        {
            // This nation knows the workload's parameters: bad arguments are the submitter's to fix now.
            foreach (var (argument, reason) in WorkloadCatalogue.CheckArguments(own, workload.Arguments))
            {
                errors.Add($"{field}.arguments.{argument}", reason);
            }
        }
    }

    private async Task<List<CandidateNation>> CandidatesAsync(CancellationToken cancellationToken)
    {
        var own = await adverts.BuildAsync(cancellationToken);
        var candidates = new List<CandidateNation> { new(local.Code, PeerHealth.Reachable, "this nation", own) { Reference = references.For(local.Code, own) } };
        foreach (var entry in roster.Entries.Where(e => e.Code != local.Code.Value))
        {
            if (NationCode.TryParse(entry.Code, out var code, out _))
            {
                var status = await grains.GetGrain<IPeerGrain>(IPeerGrain.KeyOf(code)).GetAsync();
                candidates.Add(new CandidateNation(code, status.Health, status.HealthReason, status.LastAdvert) { Reference = references.For(code, status.LastAdvert) });
            }
        }

        return candidates;
    }

    private async Task<InputLookup> ResolveAsync(DatasetRef input, int index, CancellationToken cancellationToken)
    {
        var field = $"inputs[{index}]";
        if (input.Nation == local.Code)
        {
            var record = await grains.GetGrain<IDatasetGrain>(input.Dataset.GrainKey).GetAsync();
            return record switch
            {
                null or { Status: CatalogueStatus.Deleted } => InputLookup.Invalid(field, $"dataset {input} is not in {local.Code}'s catalogue{await LocalHintAsync(input, cancellationToken)}"),
                { Status: CatalogueStatus.Withdrawn } => InputLookup.Invalid(field, $"dataset {input} is withdrawn ({record.StatusReason}); new jobs may not use it"),
                _ => InputLookup.Found(new InputDataset(input, record.Spec.Residency, record.Spec.DataUse, record.Spec.SizeBytes) { Exports = record.Spec.Exports }),
            };
        }

        var peer = roster.Find(input.Nation.Value);
        if (peer is null)
        {
            return InputLookup.Invalid(field, $"dataset {input}: {input.Nation} is not on the federation roster");
        }

        try
        {
            using var client = clients.CreateClient(peer);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_peerTimeout);
            using var message = new HttpRequestMessage(HttpMethod.Get, FederationRoutes.Dataset(input.Dataset.ToString())).WithRequestId(Guid.NewGuid());
            using var response = await client.SendAsync(message, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return InputLookup.Invalid(field, $"dataset {input} is not in {input.Nation}'s public catalogue (unknown, withdrawn, or private to {input.Nation}){await ForeignHintAsync(client, input, timeout.Token)}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return InputLookup.Down($"{input.Nation} answered HTTP {(int)response.StatusCode} when asked for the terms of {input}");
            }

            var found = await response.Content.ReadFromJsonAsync<PublicDataset>(FederationJson.Options, timeout.Token);
            if (found is null || found.Nation != input.Nation.Value || found.Id != input.Dataset.Value)
            {
                return InputLookup.Down($"{input.Nation} answered with another dataset than {input}");
            }

            signedTerms.Remember(input, found.Terms);
            // The export policy the home signed, when it signs (what offers carry and receivers verify); else the document's.
            var terms = new InputDataset(input, found.Residency, found.DataUse, found.SizeBytes) { Exports = found.Terms?.Terms.Exports ?? found.Exports };
            return InputLookup.Found(terms);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException or System.Security.Authentication.AuthenticationException)
        {
            return InputLookup.Down($"cannot read the terms of {input} from {input.Nation} ({e.GetBaseException().Message}); plan again when {input.Nation} is reachable");
        }
    }

    private async Task<string> LocalHintAsync(DatasetRef missing, CancellationToken cancellationToken)
    {
        var known = new List<string>();
        foreach (var text in SearchWords(missing).Prepend(null))
        {
            var page = await index.QueryDatasetsAsync(new DatasetQuery { Text = text, Limit = DatasetHints.Candidates }, cancellationToken);
            known.AddRange(page.Items.Select(d => d.Spec.Id.Value));
        }

        return DatasetHints.For(missing, known);
    }

    /// <summary>The hint from the public catalogue of the dataset's nation; only the search hint when it does not answer.</summary>
    private static async Task<string> ForeignHintAsync(HttpClient client, DatasetRef missing, CancellationToken cancellationToken)
    {
        var known = new List<string>();
        try
        {
            foreach (var text in SearchWords(missing).Prepend(null))
            {
                var query = $"{FederationRoutes.Catalogue("datasets")}?limit={DatasetHints.Candidates}" + (text is null ? "" : $"&text={Uri.EscapeDataString(text)}");
                using var message = new HttpRequestMessage(HttpMethod.Get, query).WithRequestId(Guid.NewGuid());
                using var response = await client.SendAsync(message, cancellationToken);
                if (response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<PublicPage<PublicDataset>>(FederationJson.Options, cancellationToken) is { } page)
                {
                    known.AddRange(page.Items.Select(d => d.Id));
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException)
        {
            // A hint is a courtesy: the answer stands without the close ids.
        }

        return DatasetHints.For(missing, known);
    }

    private static IEnumerable<string?> SearchWords(DatasetRef missing) =>
        missing.Dataset.Value.Split('-', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3).Take(2);

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Job}: {Summary}")]
    private static partial void LogPlanned(ILogger logger, JobRef job, string summary);

    private sealed record InputLookup(InputDataset? Input, (string Field, string Rule)? Error, string? Unavailable)
    {
        public static InputLookup Found(InputDataset input) => new(input, null, null);

        public static InputLookup Invalid(string field, string rule) => new(null, (field, rule), null);

        public static InputLookup Down(string why) => new(null, null, why);
    }
}
