using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Reference;
using Federation.Silo.Learning;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests.Learning;

/// <summary>
/// The model a successful federated job registers at its aggregating nation: its bytes in the artifact store,
/// its lineage with every round's local step per nation and that step's kWh and gCO2e, its card, and the job's
/// result at the origin naming it.
/// </summary>
public sealed partial class FederatedJobTests
{
    private const string ToyModel = "toy-outcome@1.0.0";

    private async Task AssertRegisteredModelAsync(string aggregator, JsonObject job)
    {
        // The origin's job result names the model and its final metrics, and counts the contributors' energy.
        var result = job["result"]!.AsObject();
        Assert.True(result["model"]?.GetValue<string>() == ToyModel, $"the job's result names no model {ToyModel}: {result.ToJsonString()}");
        Assert.InRange(result["validationAccuracy"]!.GetValue<double>(), 0.01, 1);
        Assert.True(result["validationLoss"]!.GetValue<double>() >= 0, result.ToJsonString());

        using var home = federation.Client(aggregator);
        var record = (await home.GetFromJsonAsync<JsonObject>("api/v1/models/toy-outcome/versions/1.0.0", Ct))!;
        var spec = record["spec"]!.AsObject();
        var lineage = spec["lineage"]!.AsObject();
        Assert.Equal("DE/fed-toy", lineage["producingJob"]!.GetValue<string>());
        Assert.Equal(3, lineage["round"]!.GetValue<int>());
        Assert.Equal("demo-train", lineage["workload"]!.GetValue<string>());
        Assert.Equal("CC-BY-4.0", spec["licence"]!.GetValue<string>());
        Assert.Equal(["DE/patient-outcomes", "FR/patient-outcomes", "SE/patient-outcomes"], lineage["datasets"]!.AsArray().Select(d => d!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(lineage["conditions"]!.AsObject(), c => Assert.StartsWith("exports maskedUpdates; residency home only", c.Value!.GetValue<string>(), StringComparison.Ordinal));

        // Masked updates without differential privacy: the model may go to the run's own nations only (they held it every round).
        Assert.True(spec["restrictions"]!["mayLeave"]!.GetValue<bool>(), spec["restrictions"]!.ToJsonString());
        Assert.Equal(["DE", "FR", "SE"], spec["restrictions"]!["nations"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Every round, every nation's local step, with the energy it reported and the emissions at its own grid intensity.
        var steps = lineage["steps"]!.AsArray().OfType<JsonObject>().Where(s => s["name"]!.GetValue<string>() == "local-train").ToList();
        foreach (var round in new[] { 1, 2, 3 })
        {
            var inRound = steps.Where(s => s["round"]!.GetValue<int>() == round).ToList();
            Assert.True(inRound.Select(s => s["nation"]!.GetValue<string>()).Order(StringComparer.Ordinal).SequenceEqual(["DE", "FR", "SE"]),
                $"round {round}'s steps: {lineage["steps"]!.ToJsonString()}");
            foreach (var step in inRound)
            {
                var nation = TypedId.Parse<NationCode>(step["nation"]!.GetValue<string>());
                var kwh = ToyLearning.StepKwh(nation);
                var intensity = ReferenceTables.Shipped.FindGridZone(nation.Value)!.Gco2PerKwh;
                Assert.Equal(kwh, step["energyKwh"]!.GetValue<double>(), 12);
                Assert.Equal(kwh * intensity, step["emissionsGco2e"]!.GetValue<double>(), 9);
            }
        }

        var totalKwh = steps.Sum(s => s["energyKwh"]!.GetValue<double>());
        Assert.True(spec["energyKwh"]!.GetValue<double>() >= totalKwh - 1e-12, spec.ToJsonString());
        Assert.True(result["energyKwh"]!.GetValue<double>() >= totalKwh - 1e-12, $"the job's energy counts the contributors' steps: {result.ToJsonString()}");
        Assert.Equal(result["validationAccuracy"]!.GetValue<double>(), spec["metrics"]!["validationAccuracy"]!.GetValue<double>(), 12);

        // The bytes in the store are the final model the run wrote, named by their sha256.
        var weightsPath = Path.Combine(
            federation.Nations[aggregator].Services.GetRequiredService<FederatedExecutor>().ModelDirectory(TypedId.Parse<JobRef>("DE/fed-toy"))!, "weights.f32");
        var written = await File.ReadAllBytesAsync(weightsPath, Ct);
        var artifact = await home.GetByteArrayAsync("api/v1/models/toy-outcome/versions/1.0.0/artifact", Ct);
        Assert.Equal(written, artifact);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(artifact)), spec["sha256"]!.GetValue<string>());

        // The card shows each round's steps per nation with kWh and gCO2e, and no privacy budget (DP was off).
        var card = await home.GetStringAsync("api/v1/models/toy-outcome/versions/1.0.0/card?format=markdown", Ct);
        foreach (var step in steps)
        {
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {step["round"]} | {step["nation"]!.GetValue<string>()} | local-train | {step["energyKwh"]!.GetValue<double>():0.######} | {step["emissionsGco2e"]!.GetValue<double>():0.###} |");
            Assert.Contains(row, card, StringComparison.Ordinal);
        }

        Assert.Contains("Not recorded (no differential privacy stated)", card, StringComparison.Ordinal);

        // Registering again (a re-poll after a restart) is the same registration: nothing new, no failure.
        var registrar = federation.Nations[aggregator].Services.GetRequiredService<FederatedModelRegistrar>();
        var jobSpec = job["spec"].Deserialize<JobSpec>(FederationJson.Options)!;
        var (model, problem) = await registrar.RegisterAsync(TypedId.Parse<JobRef>("DE/fed-toy"), jobSpec, weightsPath, Ct);
        Assert.True(model?.ToString() == ToyModel, $"registering again: {problem}");
        var again = (await home.GetFromJsonAsync<JsonObject>("api/v1/models/toy-outcome/versions/1.0.0", Ct))!;
        Assert.Equal(record["version"]!.GetValue<int>(), again["version"]!.GetValue<int>());
    }
}
