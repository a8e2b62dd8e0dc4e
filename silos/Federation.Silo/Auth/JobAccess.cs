using Federation.Contracts.Jobs;

namespace Federation.Silo.Auth;

/// <summary>
/// The rules of jobs and their callers. A job's owner is the authenticated caller: a spec whose
/// <c>owner.user</c> names anyone else is refused (not rewritten), so a spec never claims an identity
/// and the same spec submitted again stays the same job. Submitting for a consortium needs its
/// membership. Admins and operators (and configured operator tokens, service identities) may submit
/// on behalf of a named user and consortium: they already act on every job of the nation; seeing a job needs to own it, be in its consortium, or see all jobs (admin, operator,
/// auditor, platform staff); cancelling it and reading its logs and outputs needs to own it, be in
/// its consortium, or act on all jobs (admin, operator). On an open nation every rule passes.
/// </summary>
public static class JobAccess
{
    /// <summary>Name of the submission rule (the transparency log's <c>rule</c> of a refused submission).</summary>
    public const string SubmitRuleName = "job-access-submit";

    /// <summary>Name of the rule over seeing a job.</summary>
    public const string SeeRuleName = "job-access-see";

    /// <summary>Name of the rule over cancelling a job and reading its logs and outputs.</summary>
    public const string ActRuleName = "job-access-act";

    /// <summary>The field and rule a submission breaks, or null when <paramref name="caller"/> may submit with <paramref name="owner"/>.</summary>
    public static (string Field, string Rule)? CheckSubmit(Caller caller, JobOwner owner)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(owner);
        if (caller.ActsOnAll)
        {
            return null;
        }

        if (owner.User != caller.Subject)
        {
            return ("owner.user", $"a job's owner is the authenticated caller: set owner.user to '{caller.Subject}', not '{owner.User}'");
        }

        if (owner.Consortium is { } consortium && !caller.InConsortium(consortium))
        {
            return ("owner.consortium", $"submitting for consortium '{consortium}' needs membership of it, which {caller.Subject} does not hold");
        }

        return null;
    }

    /// <summary>The rule that keeps <paramref name="caller"/> from seeing <paramref name="job"/>, or null.</summary>
    public static string? CheckSee(Caller caller, JobSpec job)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(job);
        return caller.SeesAll || Involved(caller, job.Owner)
            ? null
            : $"job '{job.Id}' belongs to {Describe(job.Owner)}: only its owner, {Members(job.Owner)}admins, operators, auditors and platform staff may see it";
    }

    /// <summary>The rule that keeps <paramref name="caller"/> from cancelling <paramref name="job"/> or reading its logs and outputs, or null.</summary>
    public static string? CheckAct(Caller caller, JobSpec job)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(job);
        return caller.ActsOnAll || Involved(caller, job.Owner)
            ? null
            : $"job '{job.Id}' belongs to {Describe(job.Owner)}: only its owner, {Members(job.Owner)}admins and operators may cancel it or read its logs and outputs";
    }

    private static bool Involved(Caller caller, JobOwner owner) => owner.User == caller.Subject || caller.InConsortium(owner.Consortium);

    private static string Describe(JobOwner owner) => owner.Consortium is { } c ? $"{owner.User} of consortium '{c}'" : owner.User;

    private static string Members(JobOwner owner) => owner.Consortium is { } c ? $"members of consortium '{c}', " : "";
}
