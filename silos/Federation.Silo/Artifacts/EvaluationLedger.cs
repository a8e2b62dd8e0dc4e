using System.Globalization;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Signed evaluations in this nation's transparency log (<c>signed-evaluation</c> entries, the
/// dataset as reference): the ones it signed (<c>source</c> <c>signed</c>) and the verified ones it
/// received from peers (<c>received</c>, the peer as reference). The detail holds the whole signed
/// statement, so the log alone rebuilds a benchmark's leaderboard and anyone can check it again.
/// </summary>
public sealed class EvaluationLedger(TransparencyRecorder recorder, ITransparencyLog log)
{
    /// <summary>At most this many evaluations are read for one leaderboard.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Appends <paramref name="claim"/>; <paramref name="from"/> is the peer it came from, null when this nation claim it.</summary>
    public Task<LoggedEntry?> RecordAsync(SignedModelEvaluation claim, NationCode? from, string? subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var e = claim.Evaluation;
        return recorder.RecordAsync(
            TransparencyEntryKind.SignedEvaluation,
            dataset: e.Dataset.ToString(),
            peer: from?.Value,
            subject: subject,
            detail:
            [
                new("source", from is null ? "signed" : "received"),
                new("evaluation", e.Id.ToString("D")),
                new("model", e.Model.ToString()),
                new("modelSha256", e.ModelSha256.Value),
                new("nation", e.Nation.Value),
                new("evaluatedAt", e.EvaluatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
                new("rows", e.Rows.ToString(CultureInfo.InvariantCulture)),
                new("accuracy", e.Accuracy.ToString("R", CultureInfo.InvariantCulture)),
                new("auc", e.Auc?.ToString("R", CultureInfo.InvariantCulture) ?? "null"),
                new("loss", e.Loss.ToString("R", CultureInfo.InvariantCulture)),
                new("calibration", e.Calibration.ToString("R", CultureInfo.InvariantCulture)),
                new("signerKey", claim.SignerKey),
                new("signature", claim.Signature),
            ],
            cancellationToken: ct);
    }

    /// <summary>The claim evaluations on <paramref name="dataset"/> this nation's log holds, one per evaluation id, in log order.</summary>
    public async Task<IReadOnlyList<SignedModelEvaluation>> ListAsync(DatasetRef dataset, CancellationToken ct)
    {
        var found = new Dictionary<Guid, SignedModelEvaluation>();
        long from = 0;
        var read = 0;
        while (read < MaxEntries)
        {
            var rows = await log.QueryAsync(new TransparencyQuery(Dataset: dataset.ToString(), Kind: TransparencyEntryKind.SignedEvaluation, From: from, Limit: TransparencyQuery.MaxLimit), ct);
            read += rows.Count;
            foreach (var row in rows)
            {
                if (Parse(AuditEntry.From(row)) is { } claim)
                {
                    found.TryAdd(claim.Evaluation.Id, claim);
                }
            }

            if (rows.Count < TransparencyQuery.MaxLimit)
            {
                break;
            }

            from = rows[^1].Index + 1;
        }

        return [.. found.Values];
    }

    /// <summary>The signed evaluation an entry holds, or null when it holds none.</summary>
    public static SignedModelEvaluation? Parse(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var d = entry.Detail;
        string Get(string key) => d.TryGetValue(key, out var value) ? value : "";
        static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        try
        {
            var statement = new ModelEvaluationStatement(
                Guid.Parse(Get("evaluation")),
                TypedId.Parse<ModelRef>(Get("model")),
                TypedId.Parse<Sha256Digest>(Get("modelSha256")),
                TypedId.Parse<DatasetRef>(entry.Dataset ?? ""),
                TypedId.Parse<NationCode>(Get("nation")),
                DateTimeOffset.Parse(Get("evaluatedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                long.Parse(Get("rows"), CultureInfo.InvariantCulture),
                Number(Get("accuracy")),
                Get("auc") == "null" ? null : Number(Get("auc")),
                Number(Get("loss")),
                Number(Get("calibration")));
            return new SignedModelEvaluation(statement, Get("signerKey"), Get("signature"));
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }
}
