using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Jobs.Requests;
using Federation.Reference;

namespace Federation.Silo.Api.Requests;

/// <summary>
/// Turns a job body into a trusted <see cref="JobSpec"/>, or into a list of every field that
/// breaks a rule. Checks what needs no other nation: syntax, the accelerator table, the clock.
/// Whether the inputs exist and the workload is offered is checked by the planner.
/// </summary>
public sealed partial class JobRequestParser(ReferenceTables reference)
{
    private const int MaxInputs = 64;
    private const int MaxArguments = 64;
    private const int MaxOutputs = 32;
    private const double MaxWalltimeMinutes = 30 * 24 * 60;

    /// <summary>The longest walltime any nation's student tier allows; each nation's own cap (<c>Federation:Shares:StudentMaxWalltime</c>) is checked at admission.</summary>
    public const double MaxStudentWalltimeMinutes = 24 * 60;

    /// <summary>Parses <paramref name="r"/> as of <paramref name="now"/> (deadlines must lie after it).</summary>
    public JobSpec? Parse(JobRequest r, DateTimeOffset now, ValidationErrors errors)
    {
        if (r.Id is null)
        {
            errors.Add("id", $"is required: a name you choose for the job, unique in this nation ({IdSyntax.SlugRule})");
        }
        else if (!IdSyntax.IsSlug(r.Id))
        {
            errors.Add("id", IdSyntax.Describe("job id", r.Id, IdSyntax.SlugRule));
        }

        var owner = ParseOwner(r.Owner, errors);
        var inputs = ParseInputs(r.Inputs, errors);
        var purpose = ParsePurpose(r.Purpose, errors);
        var accelerators = ParseAccelerators(r.Accelerators, errors);
        var work = ParseWork(r.Work, errors);

        var walltime = TimeSpan.Zero;
        if (r.WalltimeMinutes is not { } minutes)
        {
            errors.Add("walltimeMinutes", $"is required: the longest the run may take, 1 to {MaxWalltimeMinutes} minutes");
        }
        else if (!double.IsFinite(minutes) || minutes < 1 || minutes > MaxWalltimeMinutes)
        {
            errors.Add("walltimeMinutes", $"must be 1 to {MaxWalltimeMinutes} minutes (30 days), got {minutes.ToString(CultureInfo.InvariantCulture)}");
        }
        else
        {
            walltime = TimeSpan.FromMinutes(minutes);
        }

        if (r.Deadline is { } deadline && deadline <= now)
        {
            errors.Add("deadline", $"{deadline:O} is in the past (now is {now:O}); give a time to come, or no deadline");
        }

        // Carbon-aware time shifting: a job may wait for a cleaner window only when it says by when it must be done.
        if (r.Deferrable == true && r.Deadline is null)
        {
            errors.Add("deferrable", "a deferrable job needs a deadline: the router waits for cleaner hours only as long as the job can still finish by it");
        }
        else if (r.Deferrable == true && r.Federated is not null)
        {
            errors.Add("deferrable", "a federated job cannot be deferred: its steps run where its inputs live, when their nations admit them");
        }

        if (r.Priority is { } priority && priority is < -1000 or > 1000)
        {
            errors.Add("priority", $"must be -1000 to 1000, got {priority}");
        }

        var workload = ParseWorkload(r.Workload, "workload", errors);
        var outputs = ParseOutputs(r.Outputs, errors);
        var federated = r.Federated is null ? null : FederatedRequestParser.Parse(r.Federated, errors);
        if (r.Federated is not null && r.Inputs is not { Count: > 0 })
        {
            errors.Add("inputs", "a federated job needs at least one input dataset: its local steps run where the inputs live");
        }

        var (tier, course) = ParseTier(r, walltime, errors);
        if (!errors.IsEmpty)
        {
            return null;
        }

        return new JobSpec
        {
            Id = r.Id!,
            Owner = owner!,
            Inputs = inputs,
            Purpose = purpose!,
            Accelerators = accelerators!,
            Work = work!,
            Walltime = walltime,
            Deadline = r.Deadline,
            Priority = r.Priority ?? 0,
            Workload = workload!,
            Outputs = outputs,
            Federated = federated,
            Tier = tier,
            Course = course,
            Deferrable = r.Deferrable == true,
        };
    }

    /// <summary>
    /// The tier and course: <c>student</c> needs a course id (whether it is registered, and the caller
    /// in it, is checked on submission) and a walltime within <see cref="MaxStudentWalltimeMinutes"/>;
    /// a course without the student tier is refused rather than ignored.
    /// </summary>
    private static (JobTier Tier, string? Course) ParseTier(JobRequest r, TimeSpan walltime, ValidationErrors errors)
    {
        var tier = r.Tier?.ToLowerInvariant() switch
        {
            null or "standard" => JobTier.Standard,
            "student" => JobTier.Student,
            _ => (JobTier?)null,
        };
        if (tier is null)
        {
            errors.Add("tier", $"'{r.Tier}' is not a tier: standard (the default) or student (with a course)");
            return (JobTier.Standard, null);
        }

        if (tier == JobTier.Standard)
        {
            if (r.Course is not null)
            {
                errors.Add("course", "applies to the student tier only: set tier to student, or leave course out");
            }

            return (JobTier.Standard, null);
        }

        if (r.Course is null)
        {
            errors.Add("course", "is required with tier student: the id of a course registered in this nation (rule student-course)");
        }
        else if (!IdSyntax.IsSlug(r.Course))
        {
            errors.Add("course", IdSyntax.Describe("course id", r.Course, IdSyntax.SlugRule));
        }

        if (walltime.TotalMinutes > MaxStudentWalltimeMinutes)
        {
            errors.Add("walltimeMinutes", $"the student tier allows at most {MaxStudentWalltimeMinutes} minutes (rule student-walltime; a nation may allow less), got {walltime.TotalMinutes.ToString(CultureInfo.InvariantCulture)}");
        }

        return (JobTier.Student, r.Course);
    }

    private static JobOwner? ParseOwner(JobOwnerRequest? r, ValidationErrors errors)
    {
        if (r is null)
        {
            errors.Add("owner", "is required: {\"user\": \"...\", \"consortium\": \"...\"}");
            return null;
        }

        var user = RequestFields.Text(r.User, "owner.user", 1, 200, errors);
        var consortium = r.Consortium is null ? null : RequestFields.Text(r.Consortium, "owner.consortium", 1, 200, errors);
        return user is null ? null : new JobOwner(user, consortium);
    }

    private static ImmutableArray<DatasetRef> ParseInputs(List<string>? texts, ValidationErrors errors)
    {
        if (texts is null)
        {
            return [];
        }

        if (texts.Count > MaxInputs)
        {
            errors.Add("inputs", $"at most {MaxInputs} input datasets, got {texts.Count}");
            return [];
        }

        var inputs = ImmutableArray.CreateBuilder<DatasetRef>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (!DatasetRef.TryParse(texts[i], out var input, out var error))
            {
                errors.Add($"inputs[{i}]", error + " (write NATION/dataset-id, e.g. FR/cancer-registry)");
            }
            else if (inputs.Contains(input))
            {
                errors.Add($"inputs[{i}]", $"{input} is listed twice");
            }
            else
            {
                inputs.Add(input);
            }
        }

        return inputs.ToImmutable();
    }

    private static JobPurpose? ParsePurpose(JobPurposeRequest? r, ValidationErrors errors)
    {
        const string uses = "GRU (general research), HMB (health/medical/biomedical), DS (disease-specific), POA (population origins or ancestry) or CC (clinical care)";
        if (r is null)
        {
            errors.Add("purpose", $"is required: state the use as {uses}, with the attributes your data's conditions ask for");
            return null;
        }

        ResearchCategory? use = r.Use?.ToUpperInvariant() switch
        {
            "GRU" => ResearchCategory.General,
            "HMB" => ResearchCategory.HealthMedicalBiomedical,
            "DS" => ResearchCategory.DiseaseSpecific,
            "POA" => ResearchCategory.PopulationOriginsAncestry,
            "CC" => ResearchCategory.ClinicalCare,
            _ => null,
        };
        if (use is null)
        {
            errors.Add("purpose.use", r.Use is null ? $"is required: {uses}" : $"'{r.Use}' is not a use: {uses}");
        }

        var disease = Optional(r.DiseaseTerm, "purpose.diseaseTerm", 200, errors);
        if (use == ResearchCategory.DiseaseSpecific && disease is null)
        {
            errors.Add("purpose.diseaseTerm", "is required when the use is DS: name the disease, e.g. MONDO:0004992");
        }

        var ethics = Optional(r.EthicsApprovalReference, "purpose.ethicsApprovalReference", 200, errors);
        var institution = Optional(r.Institution, "purpose.institution", 200, errors);
        var project = Optional(r.Project, "purpose.project", 200, errors);
        return use is null ? null : new JobPurpose
        {
            Use = use.Value,
            DiseaseTerm = disease,
            Genetic = r.Genetic ?? false,
            MethodsDevelopment = r.MethodsDevelopment ?? false,
            Commercial = r.Commercial ?? false,
            ForProfit = r.ForProfit ?? false,
            EthicsApprovalReference = ethics,
            Institution = institution,
            Project = project,
            CollaboratorAgreed = r.CollaboratorAgreed ?? false,
            PublicationCommitted = r.PublicationCommitted ?? false,
            ReturnCommitted = r.ReturnCommitted ?? false,
            PublicationPlannedOn = r.PublicationPlannedOn,
        };
    }

    private static string? Optional(string? value, string field, int max, ValidationErrors errors) =>
        value is null ? null : RequestFields.Text(value, field, 1, max, errors);
}
