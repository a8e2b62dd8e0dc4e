using Federation.Contracts.Catalogue.Models;

namespace Federation.Silo.Artifacts;

/// <summary>The rules a model evaluation's statement keeps before its signature is even checked; each failure names the field.</summary>
public static class EvaluationRules
{
    /// <summary>How far in the future an evaluation's time may be (clock skew between nations).</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>Null when <paramref name="e"/> keeps the rules at <paramref name="now"/>; otherwise the field and the rule it breaks.</summary>
    public static (string Field, string Rule)? Problem(ModelEvaluationStatement? e, DateTimeOffset now)
    {
        if (e is null)
        {
            return ("evaluation", "is required: the signed statement");
        }

        static bool Unit(double v) => double.IsFinite(v) && v is >= 0 and <= 1;
        return e.Id == Guid.Empty ? ("evaluation.id", "is required (a UUID)")
            : e.Model.Name.Value is null || e.Model.Version.Value is null ? ("evaluation.model", "is required: name@version")
            : e.ModelSha256.Value is null ? ("evaluation.modelSha256", "is required: the SHA-256 of the bytes evaluated")
            : e.Nation.Value is null ? ("evaluation.nation", "is required: the evaluating nation")
            : e.Dataset.Nation.Value is null ? ("evaluation.dataset", "is required: NATION/dataset-id")
            : e.Dataset.Nation != e.Nation ? ("evaluation.dataset", $"{e.Dataset} is {e.Dataset.Nation}'s: an evaluation runs where its data lives, so {e.Nation} cannot sign it")
            : e.EvaluatedAt > now + MaxSkew ? ("evaluation.evaluatedAt", $"{e.EvaluatedAt:u} is in the future")
            : e.Rows < 1 ? ("evaluation.rows", $"must be at least 1, got {e.Rows}")
            : !Unit(e.Accuracy) ? ("evaluation.accuracy", $"must be a number from 0 to 1, got {e.Accuracy}")
            : e.Auc is { } auc && !Unit(auc) ? ("evaluation.auc", $"must be a number from 0 to 1 or null, got {auc}")
            : !double.IsFinite(e.Loss) || e.Loss < 0 ? ("evaluation.loss", $"must be a finite number >= 0, got {e.Loss}")
            : !Unit(e.Calibration) ? ("evaluation.calibration", $"must be a number from 0 to 1, got {e.Calibration}")
            : null;
    }
}
