using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Silo.Api;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth.Foreign;
using Federation.Silo.Jobs.Dispatch;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Federation.Silo.Trust;

namespace Federation.Silo.Jobs;

/// <summary>
/// The job messages of the federation API: offers (to the executing nation), reports and lease
/// renewals (to the origin), cancellations (to the executing nation). Every body is checked as
/// strictly as a user's; the sender must be the nation the message speaks for. A body that passes
/// becomes its typed message and goes to the same handler the courier uses (<see cref="FederationDispatch"/>).
/// </summary>
public static class JobFederationEndpoints
{
    /// <summary>Maps the endpoints on the <c>/federation/v1</c> group.</summary>
    public static void MapJobFederationEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost(FederationRoutes.OffersPath, (Delegate)OfferAsync).WithName("FederationOfferJob")
            .WithSummary("The origin offers this nation an epoch of a job: admitted (with a lease) or refused with the reason.")
            .Accepts<OfferRequest>("application/json").Produces<Admission>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost(FederationRoutes.ReportsPath, (Delegate)ReportAsync).WithName("FederationReportExecution")
            .WithSummary("The executing nation reports progress or the result of an epoch to the job's origin.")
            .Accepts<ExecutionReport>("application/json").Produces<ReportAnswer>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost(FederationRoutes.LeasesPath, (Delegate)RenewAsync).WithName("FederationRenewLease")
            .WithSummary("The executing nation renews its lease on an epoch; the origin answers keep or stop (fenced).")
            .Accepts<LeaseRenewal>("application/json").Produces<LeaseAnswer>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost(FederationRoutes.CancellationsPath, (Delegate)CancelAsync).WithName("FederationCancelExecution")
            .WithSummary("The origin cancels an epoch running in this nation.")
            .Accepts<JobCancellation>("application/json").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> OfferAsync(HttpContext http)
    {
        var (body, problem) = await JsonBody.ReadAsync<OfferRequest>(http.Request);
        return problem ?? await HandleOfferAsync(body!, Peer(http), http.RequestServices, http.GetFederationRequestId());
    }

    /// <summary>
    /// Checks an offer from <paramref name="peer"/> and delivers it: what <c>POST jobs/offers</c> answers,
    /// alone or as a batch entry. Every offer is a <c>federation-request-in</c> entry of the transparency
    /// log (<see cref="RequestInRecorder"/>), appended after the answer is decided and not awaited: the
    /// decision itself (admission or refusal) is already in the log, in the same commit as the
    /// execution's state, and the request's record must not add a commit to the answer's path.
    /// </summary>
    internal static async Task<IResult> HandleOfferAsync(OfferRequest body, NationCode peer, IServiceProvider services, Guid? request = null)
    {
        var (result, offer) = await CheckOfferAsync(body, peer, services);
        _ = services.GetRequiredService<RequestInRecorder>().Record(offer is null ? null : new OfferMessage(offer), MessageBatchKinds.Offer, body.Job, peer, request, result);
        return result;
    }

    private static async Task<(IResult Result, JobOffer? Offer)> CheckOfferAsync(OfferRequest body, NationCode peer, IServiceProvider services)
    {
        var parser = services.GetRequiredService<JobRequestParser>();
        var dispatch = services.GetRequiredService<FederationDispatch>();
        var time = services.GetRequiredService<TimeProvider>();
        var errors = new ValidationErrors();
        var job = RequestFields.ParseId<JobRef>(body.Job, "job", errors);
        if (body.Epoch is not ({ } epoch and >= 1))
        {
            errors.Add("epoch", "is required: 1 or more");
            epoch = 0;
        }

        if (body.LeaseSeconds is not ({ } lease and >= 1 and <= 3600))
        {
            errors.Add("leaseSeconds", "is required: 1 to 3600 seconds");
            lease = 0;
        }

        if (body.InputTerms is { Count: > OfferInputVerifier.MaxTerms })
        {
            errors.Add("inputTerms", $"at most {OfferInputVerifier.MaxTerms} entries");
        }

        ForeignIdentityCheck.Validate(body.Identity, errors);

        JobSpec? spec = null;
        if (body.Spec is null)
        {
            errors.Add("spec", "is required: the job spec");
        }
        else
        {
            var specErrors = new ValidationErrors();
            spec = parser.Parse(body.Spec, time.GetUtcNow(), specErrors);
            foreach (var (field, rules) in specErrors.ToDictionary())
            {
                foreach (var rule in rules)
                {
                    errors.Add("spec." + field, rule);
                }
            }
        }

        if (errors.IsEmpty && (job.Origin != peer || job.Id != spec!.Id))
        {
            return (job.Origin != peer
                ? Problems.Status(StatusCodes.Status403Forbidden, "Not the job's origin", $"{peer} may offer only its own jobs; {job} belongs to {job.Origin}")
                : Problems.Invalid("job", $"'{job}' does not name the spec's id '{spec!.Id}'"), null);
        }

        if (!errors.IsEmpty)
        {
            return (Problems.Invalid(errors), null);
        }

        // The terms are checked (signatures against the roster, then residency and data use) by admission.
        var offer = new JobOffer { Job = job, Epoch = epoch, Spec = spec!, LeaseSeconds = lease, InputTerms = [.. (body.InputTerms ?? []).OfType<SignedDatasetTerms>()], Identity = body.Identity };

        // This nation's own rules over the identity the origin vouches for, before anything else is decided.
        if (await ForeignOffers.RefuseAsync(peer, offer, services) is { } refused)
        {
            return (TypedResults.Ok(refused), offer);
        }

        return (TypedResults.Ok(await dispatch.Offers.DeliverAsync(peer, new OfferMessage(offer))), offer);
    }

    private static async Task<IResult> ReportAsync(HttpContext http)
    {
        var (report, problem) = await JsonBody.ReadAsync<ExecutionReport>(http.Request);
        return problem ?? await HandleReportAsync(report!, Peer(http), http.RequestServices, http.GetFederationRequestId());
    }

    /// <summary>Checks a report from <paramref name="peer"/> and delivers it: what <c>POST jobs/reports</c> answers, alone or as a batch entry. Logged as <see cref="RequestInRecorder"/> selects, after the answer, not awaited.</summary>
    internal static async Task<IResult> HandleReportAsync(ExecutionReport report, NationCode peer, IServiceProvider services, Guid? request = null)
    {
        var result = await CheckReportAsync(report, peer, services);
        _ = services.GetRequiredService<RequestInRecorder>().Record(new ReportMessage(report), MessageBatchKinds.Report, null, peer, request, result);
        return result;
    }

    private static async Task<IResult> CheckReportAsync(ExecutionReport report, NationCode peer, IServiceProvider services)
    {
        var local = services.GetRequiredService<LocalNation>();
        var errors = new ValidationErrors();
        if (report.Epoch < 1)
        {
            errors.Add("epoch", "must be 1 or more");
        }

        if (report.Sequence < 1)
        {
            errors.Add("sequence", "must be 1 or more");
        }

        if (report.State is not (JobState.Queued or JobState.Running or JobState.Requeued) && !report.State.IsFinished())
        {
            errors.Add("state", "an execution reports queued, running, requeued (given back), succeeded, failed, cancelled or timedOut");
        }

        if (report.Progress is { } progress && (!double.IsFinite(progress) || progress is < 0 or > 1))
        {
            errors.Add("progress", "must be 0 to 1");
        }

        if (report.Message is null)
        {
            errors.Add("message", "is required: text of at most 2000 characters (may be empty)");
        }
        else if (report.Message.Length > 2000)
        {
            errors.Add("message", "at most 2000 characters");
        }

        if (report.Result is { } result && !Finite(result.RunSeconds, result.EnergyKwh, result.EmissionsGco2e))
        {
            errors.Add("result", "runSeconds, energyKwh and emissionsGco2e must be finite numbers >= 0");
        }

        if (report.Result is { ValidationAccuracy: { } accuracy } && (!double.IsFinite(accuracy) || accuracy is < 0 or > 1))
        {
            errors.Add("result.validationAccuracy", "must be 0 to 1");
        }

        if (report.Result is { ValidationLoss: { } loss } && (!double.IsFinite(loss) || loss is < 0 or > 1e6))
        {
            errors.Add("result.validationLoss", "must be a finite number, 0 to 1000000");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (report.Job.Origin != local.Code)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not a job of this nation", $"{report.Job} originates in {report.Job.Origin}; send its reports there");
        }

        return TypedResults.Ok(await services.GetRequiredService<FederationDispatch>().Reports.DeliverAsync(peer, new ReportMessage(report)));
    }

    private static async Task<IResult> RenewAsync(HttpContext http)
    {
        var (renewal, problem) = await JsonBody.ReadAsync<LeaseRenewal>(http.Request);
        return problem ?? await HandleRenewalAsync(renewal!, Peer(http), http.RequestServices, http.GetFederationRequestId());
    }

    /// <summary>Checks a lease renewal from <paramref name="peer"/> and delivers it: what <c>POST jobs/leases</c> answers, alone or as a batch entry. Logged as <see cref="RequestInRecorder"/> selects, after the answer, not awaited.</summary>
    internal static async Task<IResult> HandleRenewalAsync(LeaseRenewal renewal, NationCode peer, IServiceProvider services, Guid? request = null)
    {
        var result = await CheckRenewalAsync(renewal, peer, services);
        _ = services.GetRequiredService<RequestInRecorder>().Record(new RenewalMessage(renewal), MessageBatchKinds.Renewal, null, peer, request, result);
        return result;
    }

    private static async Task<IResult> CheckRenewalAsync(LeaseRenewal renewal, NationCode peer, IServiceProvider services)
    {
        var local = services.GetRequiredService<LocalNation>();
        if (renewal.Epoch < 1)
        {
            return Problems.Invalid("epoch", "must be 1 or more");
        }

        if (renewal.Job.Origin != local.Code)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not a job of this nation", $"{renewal.Job} originates in {renewal.Job.Origin}; renew its lease there");
        }

        return TypedResults.Ok(await services.GetRequiredService<FederationDispatch>().Renewals.DeliverAsync(peer, new RenewalMessage(renewal)));
    }

    private static async Task<IResult> CancelAsync(HttpContext http)
    {
        var (cancellation, problem) = await JsonBody.ReadAsync<JobCancellation>(http.Request);
        return problem ?? await HandleCancellationAsync(cancellation!, Peer(http), http.RequestServices, http.GetFederationRequestId());
    }

    /// <summary>Checks a cancellation from <paramref name="peer"/> and delivers it: what <c>POST jobs/cancellations</c> answers, alone or as a batch entry. Logged as <see cref="RequestInRecorder"/> selects, after the answer, not awaited.</summary>
    internal static async Task<IResult> HandleCancellationAsync(JobCancellation cancellation, NationCode peer, IServiceProvider services, Guid? request = null)
    {
        var result = await CheckCancellationAsync(cancellation, peer, services);
        _ = services.GetRequiredService<RequestInRecorder>().Record(new CancellationMessage(cancellation), MessageBatchKinds.Cancellation, null, peer, request, result);
        return result;
    }

    private static async Task<IResult> CheckCancellationAsync(JobCancellation cancellation, NationCode peer, IServiceProvider services)
    {
        var dispatch = services.GetRequiredService<FederationDispatch>();
        if (cancellation.Epoch < 1)
        {
            return Problems.Invalid("epoch", "must be 1 or more");
        }

        if (cancellation.Job.Origin != peer)
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "Not the job's origin", $"{peer} may cancel only its own jobs; {cancellation.Job} belongs to {cancellation.Job.Origin}");
        }

        if (!await dispatch.Cancellations.DeliverAsync(peer, new CancellationMessage(cancellation)))
        {
            return Problems.Status(
                StatusCodes.Status429TooManyRequests,
                "Too many cancellations of unknown executions",
                $"{cancellation.Job} epoch {cancellation.Epoch} is not known here, and {PreOfferFences.Rule}.",
                new Dictionary<string, object?> { ["rule"] = PreOfferFences.Rule });
        }

        return TypedResults.NoContent();
    }

    /// <summary>The calling nation, as its certificate identified it.</summary>
    internal static NationCode Peer(HttpContext http) => TypedId.Parse<NationCode>(http.GetPeer().Code);

    private static bool Finite(params double?[] values) => values.All(v => v is null || (double.IsFinite(v.Value) && v.Value >= 0));
}
