using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Issue 17's card must-show, on the model of the three-contributor run (differential privacy on): a nation that
/// did not train it (GB) pulls it from the aggregator, evaluates it on its own <c>patient-outcomes</c> with its
/// allow-listed evaluation program and signs the result; the aggregator verifies it, and its card (JSON and
/// Markdown) lists the lineage, each round's kWh and gCO2e per nation, and GB's signed evaluation; a copy of the
/// evaluation with one byte altered is refused naming the signature.
/// </summary>
public sealed partial class FederatedDropoutTests
{
    private const string Evaluator = "GB";

    /// <summary>
    /// The federated terms the card's run adds: differential privacy (each nation clips its update, the aggregator adds
    /// noise and spends budget) and the model's licence (the default, NOASSERTION, grants no redistribution: no pull).
    /// </summary>
    private static void PrivateAndLicensed(JsonObject federated)
    {
        federated["privacy"] = new JsonObject { ["clipNorm"] = 1.0, ["noiseMultiplier"] = 1.1 };
        federated["output"] = new JsonObject { ["licence"] = "CC-BY-4.0" };
    }

    private static async Task<JsonNode> ExpectAsync(HttpResponseMessage response, params HttpStatusCode[] statuses)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(statuses.Contains(response.StatusCode), $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
        }
    }

    private async Task ModelCardShowsTheRunAndAnEvaluationSignedByANationThatDidNotTrainItAsync(string id, JsonObject ended, string aggregator, string[] inputs)
    {
        Assert.False(inputs.Contains(Evaluator) || aggregator == Evaluator, $"{Evaluator} must neither train nor aggregate (aggregator {aggregator}, inputs {string.Join(", ", inputs)})");
        var model = ended["result"]?["model"]?.GetValue<string>() ?? throw new InvalidOperationException($"the job's result names no model: {ended.ToJsonString()}");
        var (name, version) = (model.Split('@')[0], model.Split('@')[1]);
        var path = $"api/v1/models/{name}/versions/{version}";
        using var home = federation.Client(aggregator);
        using var gb = federation.Client(Evaluator);

        // Differential privacy spent a budget, which is the model's disclosure control: any nation of the roster may pull it.
        var spec = (await ExpectAsync(await home.GetAsync(path, Ct), HttpStatusCode.OK))["spec"]!;
        Assert.True(spec["restrictions"]!["mayLeave"]!.GetValue<bool>() && spec["restrictions"]!["nations"]!.AsArray().Count == 0, $"restrictions {spec["restrictions"]!.ToJsonString()}");
        await ExpectAsync(await gb.PostAsJsonAsync($"{path}:pull", new JsonObject { ["from"] = aggregator }, Ct), HttpStatusCode.OK, HttpStatusCode.Created);

        // GB evaluates the pulled bytes (the registry's bare federation-flat-f32) on its own rows and signs the result.
        var signed = (await ExpectAsync(await gb.PostAsJsonAsync($"{path}:evaluate", new JsonObject { ["dataset"] = "patient-outcomes" }, Ct), HttpStatusCode.Created)).AsObject();
        var evaluation = signed["evaluation"]!;
        Assert.Equal((Evaluator, $"{Evaluator}/patient-outcomes", spec["sha256"]!.GetValue<string>(), (long)TrainingFederation.Rows),
            (evaluation["nation"]!.GetValue<string>(), evaluation["dataset"]!.GetValue<string>(), evaluation["modelSha256"]!.GetValue<string>(), evaluation["rows"]!.GetValue<long>()));
        Assert.InRange(evaluation["accuracy"]!.GetValue<double>(), 0, 1);

        // Sent to every peer: the aggregator verifies it against GB's roster pin and attaches it.
        await Eventually.WaitAsync(
            async () => (await home.GetFromJsonAsync<JsonArray>($"{path}/evaluations", Ct))!,
            list => list.Count == 1 && list[0]!["verified"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(30), $"{aggregator} to attach {Evaluator}'s verified evaluation" + federation.Log, TimeSpan.FromMilliseconds(250));
        var verify = await ExpectAsync(await home.GetAsync($"{path}/verify", Ct), HttpStatusCode.OK);
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());

        // The card: lineage (job, inputs with their conditions), per-round and per-nation kWh and gCO2e, the budget, GB's evaluation.
        var card = await ExpectAsync(await home.GetAsync($"{path}/card", Ct), HttpStatusCode.OK);
        Assert.Equal($"DE/{id}", card["lineage"]!["producingJob"]!.GetValue<string>());
        var datasets = card["datasets"]!.AsArray().Select(d => (Dataset: d!["dataset"]!.GetValue<string>(), Conditions: d["conditions"]!.GetValue<string>())).ToList();
        Assert.Equal(inputs.Select(n => $"{n}/patient-outcomes").Order(StringComparer.Ordinal), datasets.Select(d => d.Dataset).Order(StringComparer.Ordinal));
        Assert.All(datasets, d => Assert.StartsWith("exports maskedUpdates; residency", d.Conditions, StringComparison.Ordinal));
        var steps = card["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var rounds = card["rounds"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal([1, 2], rounds.Select(r => r["round"]!.GetValue<int>()));
        foreach (var round in rounds)
        {
            var r = round["round"]!.GetValue<int>();
            var trained = steps.Where(s => s["round"]?.GetValue<int>() == r && s["name"]!.GetValue<string>() == "local-train").ToList();
            Assert.True(trained.Select(s => s["nation"]!.GetValue<string>()).Order(StringComparer.Ordinal).SequenceEqual(inputs.Order(StringComparer.Ordinal)), $"round {r}'s steps: {card["steps"]!.ToJsonString()}");
            Assert.All(trained, s => Assert.True(s["energyKwh"]!.GetValue<double>() > 0 && s["emissionsGco2e"]!.GetValue<double>() > 0, s.ToJsonString()));
            var inRound = steps.Where(s => s["round"]?.GetValue<int>() == r).ToList();
            Assert.Equal(inRound.Sum(s => s["energyKwh"]!.GetValue<double>()), round["energyKwh"]!.GetValue<double>(), 12);
            Assert.Equal(inRound.Sum(s => s["emissionsGco2e"]!.GetValue<double>()), round["emissionsGco2e"]!.GetValue<double>(), 9);
        }

        Assert.True(card["privacyBudget"]!["dpEpsilon"]!.GetValue<double>() > 0, card["privacyBudget"]!.ToJsonString());
        var shown = Assert.Single(card["evaluations"]!.AsArray())!;
        Assert.Equal((evaluation["id"]!.GetValue<string>(), Evaluator, true), (shown["evaluation"]!["id"]!.GetValue<string>(), shown["evaluation"]!["nation"]!.GetValue<string>(), shown["verified"]!.GetValue<bool>()));

        using var markdownResponse = await home.GetAsync($"{path}/card?format=markdown", Ct);
        var markdown = await markdownResponse.Content.ReadAsStringAsync(Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"{aggregator}'s card of {model}:\n{markdown}");
        var c = CultureInfo.InvariantCulture;
        Assert.Contains($"- producing job: DE/{id}\n", markdown, StringComparison.Ordinal);
        Assert.Contains("- may go to: any nation of the roster\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"| {Evaluator}/patient-outcomes | {Evaluator} | {evaluation["accuracy"]!.GetValue<double>().ToString("0.####", c)} |", markdown, StringComparison.Ordinal);
        Assert.Contains("| verified |", markdown, StringComparison.Ordinal);
        foreach (var round in rounds)
        {
            Assert.Contains(string.Create(c, $"| {round["round"]!.GetValue<int>()} | {round["energyKwh"]!.GetValue<double>():0.######} | {round["emissionsGco2e"]!.GetValue<double>():0.###} | {round["nations"]!.GetValue<string>()} |"), markdown, StringComparison.Ordinal);
        }

        foreach (var step in steps)
        {
            Assert.Contains(string.Create(c, $"| {step["round"]!.GetValue<int>()} | {step["nation"]!.GetValue<string>()} | {step["name"]!.GetValue<string>()} | {step["energyKwh"]!.GetValue<double>():0.######} | {step["emissionsGco2e"]!.GetValue<double>():0.###} |"), markdown, StringComparison.Ordinal);
        }

        Assert.Contains("dpEpsilon = ", markdown, StringComparison.Ordinal);

        // One byte of the evaluation altered (a digit of its id): the aggregator refuses it, naming the signature.
        var altered = signed.DeepClone().AsObject();
        var original = evaluation["id"]!.GetValue<string>();
        var changed = original[..^1] + (original[^1] == '0' ? '1' : '0');
        altered["evaluation"]!["id"] = changed;
        var refused = await ExpectAsync(
            await home.PostAsync($"{path}/evaluations", new StringContent(altered.ToJsonString(), Encoding.UTF8, "application/json"), Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Contains($"evaluation {changed} of {model} on {Evaluator}/patient-outcomes by {Evaluator}: the signature does not match", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single((await home.GetFromJsonAsync<JsonArray>($"{path}/evaluations", Ct))!);
    }
}
