using System.Diagnostics;
using Federation.Workloads.Training.Data;
using Federation.Workloads.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Federation.Workloads.Training.Training;

/// <summary>
/// Local training of the reference network: mini-batch SGD on binary cross-entropy with logits,
/// optionally with FedProx's proximal term. One LibTorch thread and a seeded batch order make it
/// deterministic: the same weights, data and options give the same bytes.
/// </summary>
public static class LocalTrainer
{
    /// <summary>Trains from <paramref name="initial"/> on <paramref name="data"/>; the result stands for the data's row count.</summary>
    public static (FlatWeights Weights, TrainingMetrics Metrics) Train(FlatWeights initial, TabularData data, TrainingOptions options)
    {
        Validate(options);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var model = TorchMlp.Load(initial, "initialWeights");
        using var anchors = new DisposableList(model.Parameters.Select(p => p.detach().clone()));
        using var inputs = torch.tensor(data.Features.ToArray(), [data.Rows, TabularData.FeatureCount]);
        using var labels = torch.tensor(data.Labels.ToArray(), [data.Rows]);
        var order = Enumerable.Range(0, data.Rows).ToArray();
        long steps = 0;
        var epochLoss = 0.0;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            SplitMix64.From((ulong)options.Seed, (ulong)options.Round, (ulong)epoch, 0xE90C).Shuffle(order);
            epochLoss = 0.0;
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray();
                var index = torch.tensor(batch);
                var loss = nn.functional.binary_cross_entropy_with_logits(model.Forward(inputs.index_select(0, index)), labels.index_select(0, index));
                epochLoss += loss.item<float>() * batch.Length;
                var objective = options.ProximalMu > 0 ? loss + Proximal(model, anchors.Items, options.ProximalMu) : loss;
                objective.backward();
                using (torch.no_grad())
                {
                    foreach (var parameter in model.Parameters)
                    {
                        var gradient = parameter.grad ?? throw new InvalidOperationException("a parameter got no gradient");
                        parameter.sub_(gradient * options.LearningRate);
                        gradient.zero_();
                    }
                }

                steps++;
            }
        }

        var metrics = new TrainingMetrics(
            data.Rows, options.Epochs, steps, epochLoss / data.Rows, clock.Elapsed.TotalSeconds,
            (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        return (model.ToWeights(data.Rows), metrics);
    }

    private static Tensor Proximal(TorchMlp model, IReadOnlyList<Tensor> anchors, double mu)
    {
        var sum = torch.zeros(1);
        for (var i = 0; i < anchors.Count; i++)
        {
            sum = sum + (model.Parameters[i] - anchors[i]).pow(2).sum();
        }

        return sum.squeeze() * (mu / 2);
    }

    private static void Validate(TrainingOptions options)
    {
        if (options.Epochs is < 1 or > 1000)
        {
            throw new WorkloadInputException("epochs", $"{options.Epochs} is outside 1..1000");
        }

        if (!(options.LearningRate > 0 && options.LearningRate <= 10))
        {
            throw new WorkloadInputException("learningRate", $"{options.LearningRate} is outside (0, 10]");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            throw new WorkloadInputException("batchSize", $"{options.BatchSize} is outside 1..100000");
        }

        if (!(options.ProximalMu >= 0 && options.ProximalMu <= 100))
        {
            throw new WorkloadInputException("proximalMu", $"{options.ProximalMu} is outside [0, 100]");
        }

        if (options.Round < 0)
        {
            throw new WorkloadInputException("round", $"{options.Round} must not be negative");
        }
    }

    private sealed class DisposableList(IEnumerable<Tensor> items) : IDisposable
    {
        public IReadOnlyList<Tensor> Items { get; } = [.. items];

        public void Dispose()
        {
            foreach (var item in Items)
            {
                item.Dispose();
            }
        }
    }
}
