using Federation.Workloads.Training.Evaluation;

namespace Federation.Workloads.Tests;

public sealed class BinaryMetricsTests
{
    [Fact]
    public void Compute_HandMadeCase_AucIsTheShareOfOrderedPairs()
    {
        // Positives score 0.35 and 0.8, negatives 0.1 and 0.4: of the four positive-negative pairs, three are ordered.
        var report = BinaryMetrics.Compute([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]);
        Assert.Equal(0.75, report.Auc!.Value, 12);
        Assert.Equal(0.75, report.Accuracy, 12); // 0.35 is the one wrong side of 0.5
        Assert.Equal(2, report.Positives);
    }

    [Fact]
    public void Compute_Ties_CountHalf()
    {
        var report = BinaryMetrics.Compute([0.5f, 0.5f, 0.9f, 0.2f], [0, 1, 1, 0]);
        // Pairs (pos, neg): (0.5, 0.5) tie = 0.5, (0.5, 0.2) = 1, (0.9, 0.5) = 1, (0.9, 0.2) = 1 → 3.5 / 4.
        Assert.Equal(0.875, report.Auc!.Value, 12);
    }

    [Fact]
    public void Compute_OneClass_AucIsNull()
    {
        Assert.Null(BinaryMetrics.Compute([0.2f, 0.7f], [1, 1]).Auc);
    }

    [Fact]
    public void Compute_LogLossBrierAndCalibration_MatchHandComputedValues()
    {
        var report = BinaryMetrics.Compute([0.8f, 0.8f, 0.8f, 0.8f, 0.2f], [1, 1, 1, 0, 0]);
        var logLoss = -((3 * Math.Log(0.8)) + Math.Log(0.2) + Math.Log(0.8)) / 5;
        Assert.Equal(logLoss, report.LogLoss, 6);
        Assert.Equal(((3 * 0.04) + 0.64 + 0.04) / 5, report.Brier, 6);
        // Bin [0.8, 0.9): 4 rows, mean p 0.8, outcome rate 0.75; bin [0.2, 0.3): 1 row, p 0.2, rate 0.
        Assert.Equal(((4.0 / 5) * 0.05) + ((1.0 / 5) * 0.2), report.Ece, 6);
    }
}
