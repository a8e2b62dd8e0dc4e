namespace Federation.Transparency;

/// <summary>The durable names of <see cref="TransparencyEntryKind"/> in the canonical encoding and on the API.</summary>
public static class TransparencyEntryKinds
{
    private static readonly (TransparencyEntryKind Kind, string Name)[] Names =
    [
        (TransparencyEntryKind.RoutingDecision, "routing-decision"),
        (TransparencyEntryKind.Admission, "admission"),
        (TransparencyEntryKind.Refusal, "refusal"),
        (TransparencyEntryKind.DataAccess, "data-access"),
        (TransparencyEntryKind.FederationRequestIn, "federation-request-in"),
        (TransparencyEntryKind.FederationRequestOut, "federation-request-out"),
        (TransparencyEntryKind.ArtifactTransfer, "artifact-transfer"),
        (TransparencyEntryKind.SignedEvaluation, "signed-evaluation"),
        (TransparencyEntryKind.RoleChange, "role-change"),
        (TransparencyEntryKind.RosterChange, "roster-change"),
        (TransparencyEntryKind.SignIn, "sign-in"),
        (TransparencyEntryKind.Membership, "membership"),
    ];

    /// <summary>Every kind's name, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names.Select(n => n.Name)];

    /// <summary>The durable name of <paramref name="kind"/>.</summary>
    public static string Name(TransparencyEntryKind kind)
    {
        foreach (var (k, name) in Names)
        {
            if (k == kind)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a transparency entry kind.");
    }

    /// <summary>The kind named <paramref name="name"/>, or false.</summary>
    public static bool TryParse(string? name, out TransparencyEntryKind kind)
    {
        foreach (var (k, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
