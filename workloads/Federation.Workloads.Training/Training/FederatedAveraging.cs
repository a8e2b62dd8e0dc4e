using Federation.Workloads.Training.Model;

namespace Federation.Workloads.Training.Training;

/// <summary>
/// Plain FedAvg (McMahan et al. 2017): the average of the participants' weight vectors, each weighted
/// by its sample count. The baseline that the secure aggregation computes without seeing any one vector.
/// </summary>
public static class FederatedAveraging
{
    /// <summary>Averages <paramref name="updates"/>; the result stands for the sum of their sample counts.</summary>
    public static FlatWeights Aggregate(IReadOnlyList<FlatWeights> updates)
    {
        if (updates.Count == 0)
        {
            throw new WorkloadInputException("weights", "at least one weight file is needed");
        }

        for (var i = 1; i < updates.Count; i++)
        {
            if (!updates[i].SameLayout(updates[0]))
            {
                throw new WorkloadInputException($"weights[{i}]", "its layout differs from weights[0]'s");
            }
        }

        var total = updates.Sum(u => u.SampleCount);
        if (total <= 0)
        {
            throw new WorkloadInputException("weights", "the sample counts add up to 0; nothing to weight by");
        }

        var sum = new double[updates[0].Values.Length];
        foreach (var update in updates)
        {
            var values = update.Values;
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += (double)values[i] * update.SampleCount;
            }
        }

        return new FlatWeights([.. sum.Select(v => (float)(v / total))], updates[0].Layout, total);
    }
}
