namespace Federation.Workloads.Training.Model;

/// <summary>One named tensor of a flat weight vector: its name and shape (row-major, its values follow the previous tensor's).</summary>
/// <param name="Name">The parameter's name, e.g. <c>fc1.weight</c>.</param>
/// <param name="Shape">Its dimensions.</param>
public sealed record WeightTensor(string Name, IReadOnlyList<long> Shape)
{
    /// <summary>The number of values.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
}
