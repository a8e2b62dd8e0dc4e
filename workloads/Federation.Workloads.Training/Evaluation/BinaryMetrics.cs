namespace Federation.Workloads.Training.Evaluation;

/// <summary>Accuracy, ROC AUC, log loss, Brier score and calibration of predicted probabilities against 0/1 outcomes.</summary>
public static class BinaryMetrics
{
    /// <summary>The number of equal-width probability bins of the expected calibration error.</summary>
    public const int CalibrationBins = 10;

    /// <summary>Computes the report; both spans have one entry per row.</summary>
    public static EvaluationReport Compute(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        if (probabilities.Length != labels.Length || labels.Length == 0)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities for {labels.Length} labels; both must be the same, non-zero count");
        }

        var n = labels.Length;
        long positives = 0, correct = 0;
        double logLoss = 0, brier = 0;
        var binCount = new long[CalibrationBins];
        var binProbability = new double[CalibrationBins];
        var binOutcome = new double[CalibrationBins];
        for (var i = 0; i < n; i++)
        {
            double p = probabilities[i], y = labels[i];
            positives += y > 0.5 ? 1 : 0;
            correct += (p >= 0.5) == (y > 0.5) ? 1 : 0;
            var clamped = Math.Clamp(p, 1e-7, 1 - 1e-7);
            logLoss -= (y * Math.Log(clamped)) + ((1 - y) * Math.Log(1 - clamped));
            brier += (p - y) * (p - y);
            var bin = Math.Min((int)(p * CalibrationBins), CalibrationBins - 1);
            binCount[bin]++;
            binProbability[bin] += p;
            binOutcome[bin] += y;
        }

        var ece = 0.0;
        for (var b = 0; b < CalibrationBins; b++)
        {
            if (binCount[b] > 0)
            {
                ece += Math.Abs(binProbability[b] - binOutcome[b]) / n;
            }
        }

        return new EvaluationReport(n, positives, (double)correct / n, Auc(probabilities, labels, positives), logLoss / n, brier / n, ece);
    }

    /// <summary>The Mann-Whitney form of the ROC AUC with average ranks for ties; null when all rows are of one class.</summary>
    private static double? Auc(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, long positives)
    {
        var n = labels.Length;
        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        var order = Enumerable.Range(0, n).ToArray();
        var keys = probabilities.ToArray();
        Array.Sort((float[])keys.Clone(), order);
        var positiveRankSum = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && keys[order[end + 1]] == keys[order[start]])
            {
                end++;
            }

            var averageRank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                positiveRankSum += labels[order[k]] > 0.5 ? averageRank : 0;
            }

            start = end + 1;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
