namespace Federation.Testing;

/// <summary>
/// The size of the federated-training data (issue 17): the rows of generated, non-IID data per nation in the
/// launched training federation's tests, by <see cref="TestProfile"/>, and in the <c>federated</c> benchmark.
/// </summary>
public static class TrainingSizes
{
    /// <summary>Rows per nation at CI size (the must-show's bound: at most 2,000).</summary>
    public const int CiRows = 2_000;

    /// <summary>Rows per nation of the <c>federated</c> benchmark's default run, and of the <c>full</c> profile.</summary>
    public const int BenchmarkRows = 10_000;

    /// <summary>Rows per nation of this run's profile: <see cref="CiRows"/>, or <see cref="BenchmarkRows"/> with <c>full</c>.</summary>
    public static int Rows => TestProfile.Pick(CiRows, BenchmarkRows);
}
