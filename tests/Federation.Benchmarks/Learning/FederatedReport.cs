using System.Globalization;
using Federation.Learning.Run;

namespace Federation.Benchmarks.Learning;

/// <summary>The printed result of <c>federated</c>: the comparison table, the cost per round, the bytes per round and the goal line.</summary>
internal static class FederatedReport
{
    public static void Write(
        TextWriter output, FederatedOptions options, IReadOnlyList<RoundCost> rounds, Score federated, Score centralized,
        double federatedSeconds, double centralizedSeconds, double centralizedCpu, double goalPoints)
    {
        var n = options.Nations.Count;
        var mode = options.SecureAggregation ? "federated (secure aggregation)" : "federated (plain FedAvg)";
        output.WriteLine();
        output.WriteLine(F($"Held-out evaluation: {federated.Rows:N0} rows ({options.TestRows:N0} per nation, never trained on)"));
        var table = new TextTable(["", mode, "centralized (pooled)", "gap (federated − centralized)"]);
        table.Add("training rows", F($"{options.Rows:N0} per nation × {n}, never pooled"), F($"{options.Rows * n:N0} pooled"), "");
        table.Add("rounds × local epochs", F($"{options.Rounds} × {options.Epochs}"), F($"{options.Rounds * options.Epochs} epochs"), "");
        table.Add("accuracy", F($"{federated.Accuracy:P2}"), F($"{centralized.Accuracy:P2}"), F($"{(federated.Accuracy - centralized.Accuracy) * 100:+0.00;-0.00} pp"));
        table.Add("AUC", F($"{federated.Auc:F4}"), F($"{centralized.Auc:F4}"), F($"{(federated.Auc - centralized.Auc) * 100:+0.00;-0.00} pp"));
        table.Add("log loss", F($"{federated.LogLoss:F4}"), F($"{centralized.LogLoss:F4}"), F($"{federated.LogLoss - centralized.LogLoss:+0.0000;-0.0000}"));
        table.Add("wall time", F($"{federatedSeconds:F1} s"), F($"{centralizedSeconds:F1} s"), "");
        table.Add("CPU (workload processes)", F($"{rounds.Sum(r => r.StepCpuSeconds):F1} s"), F($"{centralizedCpu:F1} s"), "");
        table.WriteTo(output);

        output.WriteLine();
        output.WriteLine(options.SecureAggregation
            ? "Per round: wall time; CPU of the local steps' processes (start-up included) and of this process (the deciders: keys, shares, masking, unmasking, codec); bytes that crossed borders (messages between different nations, as JSON on the federation API)"
            : "Per round: wall time; CPU of the local steps' processes and of this process; bytes that would cross borders without secure aggregation (the model out, each trained update back as float32 with its header)");
        var artifacts = rounds.SelectMany(r => r.Bytes.Keys).Distinct(StringComparer.Ordinal)
            .OrderBy(a => a switch { RoundTransfers.MaskedUpdate or "update" => 0, RoundTransfers.AggregatedModel => 1, RoundTransfers.KeyMaterial => 2, _ => 3 }).ToList();
        var perRound = new TextTable(["round", "wall s", "step CPU s", "deciders CPU s", .. artifacts.Select(a => a + " KB"), "total KB"]);
        foreach (var r in rounds)
        {
            perRound.Add([F($"{r.Round}"), F($"{r.WallSeconds:F2}"), F($"{r.StepCpuSeconds:F2}"), F($"{r.SelfCpuSeconds:F2}"), .. artifacts.Select(a => Kb(r.BytesOf(a))), Kb(r.TotalBytes)]);
        }

        perRound.Add(["mean", F($"{rounds.Average(r => r.WallSeconds):F2}"), F($"{rounds.Average(r => r.StepCpuSeconds):F2}"), F($"{rounds.Average(r => r.SelfCpuSeconds):F2}"),
            .. artifacts.Select(a => Kb((long)rounds.Average(r => r.BytesOf(a)))), Kb((long)rounds.Average(r => r.TotalBytes))]);
        perRound.WriteTo(output);
        var masked = rounds.Average(r => r.BytesOf(options.SecureAggregation ? RoundTransfers.MaskedUpdate : "update"));
        var modelBytes = rounds.Average(r => r.BytesOf(RoundTransfers.AggregatedModel));
        output.WriteLine(F($"Bytes per round across borders: {(masked + modelBytes) / 1024:F1} KB of {(options.SecureAggregation ? "masked updates" : "updates")} and model ({rounds.Average(r => r.TotalBytes) / 1024:F1} KB with everything else); {options.Rounds} rounds: {rounds.Sum(r => r.TotalBytes) / 1024.0:F1} KB; rows that crossed: none"));

        var gap = (federated.Accuracy - centralized.Accuracy) * 100;
        var met = Math.Abs(gap) <= goalPoints;
        output.WriteLine();
        output.WriteLine(F($"Goal 'federated accuracy within {goalPoints:0.#} percentage point of centralized on the pooled data': {(met ? "met" : "not met")} (federated {federated.Accuracy:P2}, centralized {centralized.Accuracy:P2}, gap {gap:+0.00;-0.00} pp)"));
    }

    private static string Kb(long bytes) => F($"{bytes / 1024.0:F1}");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
