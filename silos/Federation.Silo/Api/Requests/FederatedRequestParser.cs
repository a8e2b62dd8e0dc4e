using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Jobs.Requests;

namespace Federation.Silo.Api.Requests;

/// <summary>
/// Turns the <c>federated</c> part of a job body into a <see cref="FederatedSpec"/>, naming every field
/// that breaks a rule (<c>federated.rounds</c>, <c>federated.aggregation.mu</c>, ...). Where the steps run
/// is the planner's to say.
/// </summary>
public static class FederatedRequestParser
{
    /// <summary>The most rounds a federated job may ask for.</summary>
    public const int MaxRounds = 1000;

    /// <summary>The longest a round may wait for a nation, minutes (7 days).</summary>
    public const double MaxWaitMinutes = 7 * 24 * 60;

    /// <summary>How long a round waits for a nation when the spec does not say.</summary>
    public const double DefaultWaitMinutes = 60;

    /// <summary>The most contributors a job may require (the most inputs a job may have).</summary>
    public const int MaxContributors = 64;

    /// <summary>The longest description of a federated job's output model.</summary>
    public const int MaxDescription = 4000;

    private const string Prefix = "federated";

    /// <summary>Parses <paramref name="r"/>; null, with the problems recorded, when it (or another field of the job) breaks a rule.</summary>
    public static FederatedSpec? Parse(FederatedRequest r, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(r);
        var training = JobRequestParser.ParseWorkload(r.Training, $"{Prefix}.training", errors);
        var aggregation = ParseAggregation(r.Aggregation, errors);

        if (r.Rounds is not { } rounds)
        {
            errors.Add($"{Prefix}.rounds", $"is required: how many rounds at most, 1 to {MaxRounds}");
            rounds = 0;
        }
        else if (rounds is < 1 or > MaxRounds)
        {
            errors.Add($"{Prefix}.rounds", $"must be 1 to {MaxRounds}, got {rounds}");
        }

        var stopping = ParseStopping(r.Stopping, errors);
        var policy = ParseRoundPolicy(r.RoundPolicy, errors);
        var secure = r.SecureAggregation ?? true;
        var minContributors = r.MinContributors ?? (secure ? 2 : 1);
        if (minContributors is < 1 or > MaxContributors)
        {
            errors.Add($"{Prefix}.minContributors", $"must be 1 to {MaxContributors}, got {minContributors}");
        }
        else if (secure && minContributors < 2)
        {
            // A masked sum of one nation's update is that update: secure aggregation needs two others.
            errors.Add($"{Prefix}.minContributors", $"must be 2 or more with secure aggregation (a sum of one nation's update reveals it), got {minContributors}; set secureAggregation to false to allow 1");
        }

        var privacy = ParsePrivacy(r.Privacy, errors);
        var output = ParseOutput(r.Output, errors);
        // The job is refused whole when any field of it breaks a rule, so a partial spec is never needed.
        if (!errors.IsEmpty || training is null || aggregation is null || stopping is null || policy is null)
        {
            return null;
        }

        return new FederatedSpec
        {
            Training = training,
            Aggregation = aggregation,
            Rounds = rounds,
            Stopping = stopping,
            RoundPolicy = policy,
            SecureAggregation = secure,
            MinContributors = minContributors,
            Privacy = privacy,
            Output = output,
        };
    }

    private static FederatedAggregation? ParseAggregation(AggregationRequest? r, ValidationErrors errors)
    {
        const string field = $"{Prefix}.aggregation";
        if (r is null)
        {
            return FederatedAggregation.FedAvg;
        }

        AggregationRule? rule = r.Rule?.ToLowerInvariant() switch
        {
            "fedavg" => AggregationRule.Fedavg,
            "fedprox" => AggregationRule.Fedprox,
            _ => null,
        };
        if (rule is null)
        {
            errors.Add($"{field}.rule", r.Rule is null ? "is required: fedavg (weighted by sample count) or fedprox (with mu)" : $"'{r.Rule}' is not an aggregation rule: fedavg or fedprox");
            return null;
        }

        if (rule == AggregationRule.Fedavg)
        {
            if (r.Mu is not null)
            {
                errors.Add($"{field}.mu", "applies to fedprox only; fedavg takes no parameter");
            }

            return FederatedAggregation.FedAvg;
        }

        if (r.Mu is not { } mu)
        {
            errors.Add($"{field}.mu", "is required with fedprox: the proximal weight, more than 0 and at most 10");
            return null;
        }

        if (!double.IsFinite(mu) || mu <= 0 || mu > 10)
        {
            errors.Add($"{field}.mu", $"must be more than 0 and at most 10, got {Number(mu)}");
        }

        return new FederatedAggregation(AggregationRule.Fedprox, mu);
    }

    private static FederatedStopping? ParseStopping(StoppingRequest? r, ValidationErrors errors)
    {
        const string field = $"{Prefix}.stopping";
        if (r is null)
        {
            return FederatedStopping.AfterRounds;
        }

        StoppingRule? rule = r.Rule?.ToLowerInvariant() switch
        {
            "rounds" => StoppingRule.Rounds,
            "validationloss" => StoppingRule.ValidationLoss,
            _ => null,
        };
        if (rule is null)
        {
            errors.Add($"{field}.rule", r.Rule is null ? "is required: rounds, or validationLoss with minLossChange" : $"'{r.Rule}' is not a stopping rule: rounds or validationLoss");
            return null;
        }

        if (rule == StoppingRule.Rounds)
        {
            if (r.MinLossChange is not null)
            {
                errors.Add($"{field}.minLossChange", "applies to validationLoss only");
            }

            return FederatedStopping.AfterRounds;
        }

        if (r.MinLossChange is not { } change)
        {
            errors.Add($"{field}.minLossChange", "is required with validationLoss: stop when the loss changes by less than this between rounds, more than 0");
            return null;
        }

        if (!double.IsFinite(change) || change <= 0 || change > 1e6)
        {
            errors.Add($"{field}.minLossChange", $"must be more than 0 and at most 1000000, got {Number(change)}");
        }

        return new FederatedStopping(StoppingRule.ValidationLoss, change);
    }

    private static FederatedRoundPolicy? ParseRoundPolicy(RoundPolicyRequest? r, ValidationErrors errors)
    {
        const string field = $"{Prefix}.roundPolicy";
        if (r is null)
        {
            return new FederatedRoundPolicy { OnFailure = RoundFailurePolicy.Wait, WaitMinutes = DefaultWaitMinutes };
        }

        RoundFailurePolicy? onFailure = r.OnFailure?.ToLowerInvariant() switch
        {
            "wait" => RoundFailurePolicy.Wait,
            "skipnation" => RoundFailurePolicy.SkipNation,
            "stop" => RoundFailurePolicy.Stop,
            _ => null,
        };
        if (onFailure is null)
        {
            errors.Add($"{field}.onFailure", r.OnFailure is null
                ? "is required: wait (for the nation's return), skipNation (finish the round without it) or stop"
                : $"'{r.OnFailure}' is not a round policy: wait, skipNation or stop");
        }

        var wait = r.WaitMinutes ?? DefaultWaitMinutes;
        if (!double.IsFinite(wait) || wait < 1 || wait > MaxWaitMinutes)
        {
            errors.Add($"{field}.waitMinutes", $"must be 1 to {MaxWaitMinutes} minutes (7 days), got {Number(wait)}");
        }

        return onFailure is null ? null : new FederatedRoundPolicy { OnFailure = onFailure.Value, WaitMinutes = wait };
    }

    private static DifferentialPrivacy? ParsePrivacy(PrivacyRequest? r, ValidationErrors errors)
    {
        const string field = $"{Prefix}.privacy";
        if (r is null)
        {
            return null;
        }

        var clip = Positive(r.ClipNorm, $"{field}.clipNorm", "the L2 norm each update is clipped to", errors);
        var noise = Positive(r.NoiseMultiplier, $"{field}.noiseMultiplier", "the noise's standard deviation over the clip norm", errors);
        return clip is { } c && noise is { } n ? new DifferentialPrivacy(c, n) : null;
    }

    private static FederatedOutput? ParseOutput(FederatedOutputRequest? r, ValidationErrors errors)
    {
        const string field = $"{Prefix}.output";
        if (r is null)
        {
            return null;
        }

        ModelRef? model = r.Model is null ? null : RequestFields.ParseId<ModelRef>(r.Model, $"{field}.model", errors);
        SpdxExpression? licence = r.Licence is null ? null : RequestFields.ParseId<SpdxExpression>(r.Licence, $"{field}.licence", errors);
        var description = RequestFields.Text(r.Description ?? "", $"{field}.description", 0, MaxDescription, errors);
        return new FederatedOutput { Model = model, Licence = licence, Description = description ?? "" };
    }

    private static double? Positive(double? value, string field, string what, ValidationErrors errors)
    {
        if (value is not { } v)
        {
            errors.Add(field, $"is required: {what}, more than 0 and at most 1000");
            return null;
        }

        if (!double.IsFinite(v) || v <= 0 || v > 1000)
        {
            errors.Add(field, $"must be more than 0 and at most 1000, got {Number(v)}");
            return null;
        }

        return v;
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
