namespace Federation.Silo.Artifacts;

/// <summary>The federation API's model routes: mapped under <c>/federation/v1</c>, sent relative to a peer's base address.</summary>
public static class ArtifactRoutes
{
    /// <summary>One model version's catalogue record, received.</summary>
    public const string ModelPath = "/models/{name}/versions/{version}";

    /// <summary>One model version's artifact bytes, received.</summary>
    public const string ArtifactPath = ModelPath + "/artifact";

    /// <summary>One model version's signed evaluations, received.</summary>
    public const string EvaluationsPath = ModelPath + "/evaluations";

    /// <summary>The header with the lower-case hex SHA-256 of the artifact sent.</summary>
    public const string Sha256Header = "X-Content-Sha256";

    /// <summary>One model version's catalogue record at a peer, sent.</summary>
    public static string Model(Federation.Contracts.Ids.ModelRef model) =>
        $"{Federation.Protocol.Messages.FederationRoutes.Version}/models/{Uri.EscapeDataString(model.Name.Value)}/versions/{Uri.EscapeDataString(model.Version.Value)}";

    /// <summary>One model version's artifact at a peer, sent.</summary>
    public static string Artifact(Federation.Contracts.Ids.ModelRef model) => Model(model) + "/artifact";

    /// <summary>One model version's signed evaluations at a peer, sent.</summary>
    public static string Evaluations(Federation.Contracts.Ids.ModelRef model) => Model(model) + "/evaluations";
}
