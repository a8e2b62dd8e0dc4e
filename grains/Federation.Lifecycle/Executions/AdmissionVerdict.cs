using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Executions;

/// <summary>An admission decision: admitted with a sentence about the fit, or refused by a named rule.</summary>
/// <param name="Rule">The rule that refused the offer (<see cref="AdmissionRules"/>); null when admitted.</param>
/// <param name="Reason">The sentence sent to the origin.</param>
/// <param name="Fit">The accelerator model that fits best, when one does.</param>
public sealed record AdmissionVerdict(string? Rule, string Reason, AcceleratorSlug? Fit = null)
{
    /// <summary>True when the offer is admitted.</summary>
    public bool Admitted => Rule is null;

    /// <summary>True when the refusal is one the nation's auditors must see (a tampered workload, inputs whose terms forbid it, a controlled input without a grant).</summary>
    public bool Audited => Rule is AdmissionRules.WorkloadVerification or AdmissionRules.InputTerms or AdmissionRules.FederatedInputTerms or AdmissionRules.DataAccessGrant;
}
