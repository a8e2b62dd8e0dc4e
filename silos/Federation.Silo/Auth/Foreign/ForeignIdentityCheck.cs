using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Silo.Api;

namespace Federation.Silo.Auth.Foreign;

/// <summary>
/// The receiving nation's own rules over the identity an origin vouches for in an offer: the origin
/// must speak for itself and for the job's owner, then <see cref="ForeignIdentityRules"/> decide.
/// Each refusal names its rule and the configuration key behind it; none names the user.
/// </summary>
public static class ForeignIdentityCheck
{
    /// <summary>The origin vouched for nobody while the rules need an identity.</summary>
    public const string Missing = "foreign-identity-missing";

    /// <summary>The identity is not the offer's: another origin, or another user than the job's owner.</summary>
    public const string Mismatch = "foreign-identity-mismatch";

    /// <summary>The job is not for a consortium this nation accepts from abroad (or the membership is not vouched for).</summary>
    public const string ConsortiumNotAccepted = "foreign-consortium-not-accepted";

    /// <summary>The job's consortium is one this nation refuses from abroad.</summary>
    public const string ConsortiumRefused = "foreign-consortium-refused";

    /// <summary>The user is vouched for as a student, and this nation takes no students from abroad.</summary>
    public const string StudentsRefused = "foreign-students-refused";

    /// <summary>Adds an error to <paramref name="errors"/> (fields under <c>identity</c>) for each broken shape rule of <paramref name="identity"/>.</summary>
    public static void Validate(VouchedIdentity? identity, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (identity is null)
        {
            return;
        }

        if (!Name(identity.Subject))
        {
            errors.Add("identity.subject", $"is required: 1 to {VouchedIdentity.MaxName} characters, no control characters");
        }

        Names(identity.Consortia, "identity.consortia", errors);
        Names(identity.Courses, "identity.courses", errors);
        Names(identity.Roles, "identity.roles", errors);
    }

    /// <summary>
    /// The rule and reason that refuse <paramref name="offer"/> from <paramref name="origin"/> under
    /// <paramref name="options"/>, or null when this nation accepts the identity it carries.
    /// </summary>
    public static (string Rule, string Reason)? Decide(NationCode local, NationCode origin, JobOffer offer, ForeignIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(options);
        var rules = options.For(origin.Value);
        var key = ReferenceEquals(rules, options) ? "Federation:Auth:Foreign" : $"Federation:Auth:Foreign:Origins:{origin}";
        var consortium = offer.Spec.Owner.Consortium;
        if (offer.Identity is not { } identity)
        {
            return rules.RequireIdentity || rules.AcceptConsortia.Count > 0 || rules.RefuseStudents
                ? (Missing, $"{origin} vouched for no user in its offer, and {local} admits foreign jobs only for identities their origin vouches for ({key})")
                : null;
        }

        if (identity.Origin != origin)
        {
            return (Mismatch, $"the identity in the offer is vouched for by {identity.Origin}, not by the sending nation {origin}");
        }

        if (!string.Equals(identity.Subject, offer.Spec.Owner.User, StringComparison.Ordinal))
        {
            return (Mismatch, $"the identity {origin} vouched for is not the job's owner (owner.user)");
        }

        if (consortium is not null && rules.RefuseConsortia.Contains(consortium, StringComparer.Ordinal))
        {
            return (ConsortiumRefused, $"{local} admits no foreign jobs of consortium '{consortium}' ({key}:RefuseConsortia)");
        }

        if (rules.AcceptConsortia.Count > 0)
        {
            if (consortium is null || !rules.AcceptConsortia.Contains(consortium, StringComparer.Ordinal))
            {
                return (ConsortiumNotAccepted,
                    $"{local} admits foreign jobs only for consortia {string.Join(", ", rules.AcceptConsortia.Select(c => $"'{c}'"))}, not {(consortium is null ? "a job of no consortium" : $"'{consortium}'")} ({key}:AcceptConsortia)");
            }

            if (!Has(identity.Consortia, consortium))
            {
                return (ConsortiumNotAccepted, $"{origin} did not vouch for the user's membership of consortium '{consortium}' ({key}:AcceptConsortia)");
            }
        }

        if (rules.RefuseStudents && identity.IsStudent)
        {
            return (StudentsRefused, $"{local} admits no jobs of students from abroad ({key}:RefuseStudents)");
        }

        return null;
    }

    /// <summary>Adds a message to <paramref name="failures"/> for each broken rule of <paramref name="options"/> (checked at start).</summary>
    public static void ValidateOptions(ForeignIdentityOptions? options, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (options is null)
        {
            return;
        }

        Check(options, "Federation:Auth:Foreign", failures);
        foreach (var (origin, rules) in options.Origins)
        {
            var key = $"Federation:Auth:Foreign:Origins:{origin}";
            if (!NationCode.TryParse(origin, out _, out var error))
            {
                failures.Add($"{key}: '{origin}' is not a nation code: {error}");
            }

            if (rules is null)
            {
                failures.Add($"{key} is empty: give its rules, or remove it");
                continue;
            }

            Check(rules, key, failures);
        }
    }

    private static void Check(ForeignIdentityRules rules, string key, List<string> failures)
    {
        foreach (var (list, name) in new[] { (rules.AcceptConsortia, "AcceptConsortia"), (rules.RefuseConsortia, "RefuseConsortia") })
        {
            foreach (var consortium in list)
            {
                if (Roles.Check(Roles.ConsortiumMember, consortium) is { } error)
                {
                    failures.Add($"{key}:{name}: {error}");
                }
            }
        }
    }

    private static bool Has(ImmutableArray<string> values, string value) => !values.IsDefault && values.Contains(value, StringComparer.Ordinal);

    private static bool Name(string? value) => value is { Length: > 0 and <= VouchedIdentity.MaxName } && !value.Any(char.IsControl);

    private static void Names(ImmutableArray<string> values, string field, ValidationErrors errors)
    {
        if (values.IsDefault)
        {
            return;
        }

        if (values.Length > VouchedIdentity.MaxEntries)
        {
            errors.Add(field, $"at most {VouchedIdentity.MaxEntries} entries");
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!Name(values[i]))
            {
                errors.Add($"{field}[{i}]", $"must be 1 to {VouchedIdentity.MaxName} characters, no control characters (null is not a name)");
            }
        }
    }
}
