using Federation.Workloads.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Federation.Workloads.Training.Model;

/// <summary>
/// The reference network: inputs → hidden (ReLU) → one logit, on LibTorch through TorchSharp, on
/// the CPU with one thread. Its parameters map one to one onto a <see cref="FlatWeights"/> vector with
/// the layout <c>fc1.weight [h, in]</c>, <c>fc1.bias [h]</c>, <c>fc2.weight [1, h]</c>, <c>fc2.bias [1]</c>
/// (PyTorch's <c>nn.Linear</c> order, so a PyTorch client can load the same vector).
/// </summary>
public sealed class TorchMlp : IDisposable
{
    private static readonly Lazy<bool> _singleThreaded = new(() =>
    {
        torch.set_num_threads(1);
        return true;
    });

    private readonly Tensor[] _parameters;

    private TorchMlp(FlatWeights weights)
    {
        _ = _singleThreaded.Value;
        Hidden = (int)weights.Layout[0].Shape[0];
        var offset = 0;
        _parameters = new Tensor[weights.Layout.Count];
        var values = weights.ToArray();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var tensor = weights.Layout[i];
            var slice = values.AsSpan(offset, (int)tensor.Count).ToArray();
            _parameters[i] = torch.tensor(slice, [.. tensor.Shape]).requires_grad_(true);
            offset += (int)tensor.Count;
        }
    }

    /// <summary>The number of hidden units.</summary>
    public int Hidden { get; }

    /// <summary>The parameters, in layout order (for optimisers and the proximal term).</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The layout of a network with <paramref name="hidden"/> units on the health features.</summary>
    public static IReadOnlyList<WeightTensor> Layout(int hidden) =>
    [
        new("fc1.weight", [hidden, TabularData.FeatureCount]),
        new("fc1.bias", [hidden]),
        new("fc2.weight", [1, hidden]),
        new("fc2.bias", [1]),
    ];

    /// <summary>The layout of the network with <paramref name="count"/> values in all (hidden units 1 to 4096), or null when none has that many.</summary>
    public static IReadOnlyList<WeightTensor>? LayoutOfCount(long count)
    {
        var perUnit = TabularData.FeatureCount + 2L;
        var hidden = (count - 1) / perUnit;
        return count > 1 && (count - 1) % perUnit == 0 && hidden is >= 1 and <= 4096 ? Layout((int)hidden) : null;
    }

    /// <summary>
    /// Fresh weights for a seed: every value uniform in ±1/√fan_in (PyTorch's default bound for
    /// <c>nn.Linear</c>), drawn from <see cref="SplitMix64"/> so they are the same on any runtime.
    /// </summary>
    public static FlatWeights Initialise(int hidden, long seed)
    {
        var layout = Layout(hidden);
        var random = SplitMix64.From((ulong)seed, 0x1417);
        var values = new List<float>();
        foreach (var tensor in layout)
        {
            var fanIn = tensor.Name.StartsWith("fc1", StringComparison.Ordinal) ? TabularData.FeatureCount : hidden;
            var bound = 1.0 / Math.Sqrt(fanIn);
            for (var i = 0; i < tensor.Count; i++)
            {
                values.Add((float)(((2 * random.NextDouble()) - 1) * bound));
            }
        }

        return new FlatWeights([.. values], layout, 0);
    }

    /// <summary>Loads weights, checking that they are this network's layout; <paramref name="field"/> names them in errors.</summary>
    public static TorchMlp Load(FlatWeights weights, string field)
    {
        var hidden = weights.Layout.Count > 0 && weights.Layout[0].Shape.Count == 2 ? weights.Layout[0].Shape[0] : 0;
        var expected = Layout((int)Math.Clamp(hidden, 1, 4096));
        var same = hidden is >= 1 and <= 4096
            && weights.Layout.Count == expected.Count
            && weights.Layout.Zip(expected).All(p => p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape));
        if (!same)
        {
            throw new WorkloadInputException(field, $"the weights' layout is not the reference network's (fc1.weight [h, {TabularData.FeatureCount}], fc1.bias [h], fc2.weight [1, h], fc2.bias [1], 1 ≤ h ≤ 4096)");
        }

        return new TorchMlp(weights);
    }

    /// <summary>The logits of a batch of standardised rows [n, features] → [n].</summary>
    public Tensor Forward(Tensor inputs)
    {
        var hidden = nn.functional.relu(nn.functional.linear(inputs, _parameters[0], _parameters[1]));
        return nn.functional.linear(hidden, _parameters[2], _parameters[3]).squeeze(1);
    }

    /// <summary>The predicted probability of the outcome for every row.</summary>
    public float[] Predict(TabularData data)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var inputs = torch.tensor(data.Features.ToArray(), [data.Rows, TabularData.FeatureCount]);
        return torch.sigmoid(Forward(inputs)).data<float>().ToArray();
    }

    /// <summary>The current parameters as a flat vector standing for <paramref name="sampleCount"/> samples.</summary>
    public FlatWeights ToWeights(long sampleCount)
    {
        var values = new List<float>();
        foreach (var parameter in _parameters)
        {
            values.AddRange(parameter.detach().data<float>().ToArray());
        }

        return new FlatWeights([.. values], Layout(Hidden), sampleCount);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var parameter in _parameters)
        {
            parameter.Dispose();
        }
    }
}
