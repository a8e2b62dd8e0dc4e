using k8s.Models;

namespace Federation.Deployment.Tests;

/// <summary>
/// infra/k8s renders (kubectl's built-in Kustomize, offline), every object reads strictly into the
/// Kubernetes typed models (unknown fields, wrong types and unknown kinds fail), and the nation's own
/// rules hold (<see cref="ManifestChecks"/>). Each rule is also shown to catch a broken manifest.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly Lazy<Task<string>> s_example = new(() => RenderAsync("infra/k8s/overlays/example"));

    [Theory]
    [InlineData("infra/k8s/base")]
    [InlineData("infra/k8s/overlays/example")]
    public async Task Renders_ParsesStrictly_AndKeepsEveryRule(string directory)
    {
        var objects = ManifestChecks.Parse(await RenderAsync(directory));
        Assert.Equal(
            ["Deployment", "Ingress", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "Service", "ServiceAccount"],
            objects.Select(o => ((k8s.IKubernetesObject)o).Kind).Where(k => k != "ConfigMap").Order(StringComparer.Ordinal));
        Assert.Empty(ManifestChecks.Check(objects));
    }

    [Fact]
    public async Task ExampleOverlay_NamesTheNation()
    {
        var objects = ManifestChecks.Parse(await s_example.Value);
        var deployment = Assert.Single(objects.OfType<V1Deployment>());
        Assert.Equal("nation-fr", deployment.Metadata.NamespaceProperty);
        Assert.Equal("nation-fr", deployment.Spec.Template.Metadata.Labels["orleans/clusterId"]);
        Assert.Equal("registry.nation-fr.example/federation-silo:1.0.0", deployment.Spec.Template.Spec.Containers[0].Image);
        var nation = Assert.Single(objects.OfType<V1ConfigMap>());
        Assert.Equal("FR", nation.Data["Federation__Nation__Code"]);
        Assert.Equal("nation-fr", nation.Data["ORLEANS_CLUSTER_ID"]);
    }

    [Fact]
    public async Task AnUnknownField_FailsTheSchemaCheck()
    {
        var broken = (await s_example.Value).Replace("readinessProbe:", "readynessProbe:", StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => ManifestChecks.Parse(broken));
    }

    [Fact]
    public async Task AWrongType_FailsTheSchemaCheck()
    {
        var broken = (await s_example.Value).Replace("minAvailable: 1", "minAvailable: [1]", StringComparison.Ordinal);
        Assert.NotEqual(await s_example.Value, broken);
        Assert.ThrowsAny<Exception>(() => ManifestChecks.Parse(broken));
    }

    [Fact]
    public async Task EachBrokenRule_IsReported()
    {
        Assert.Contains(Break(await s_example.Value, (_, c) => c.ReadinessProbe = null), p => p.Contains("readiness probe", StringComparison.Ordinal));
        Assert.Contains(Break(await s_example.Value, (_, c) => c.Resources.Limits = null), p => p.Contains("a request and a limit of cpu", StringComparison.Ordinal));
        Assert.Contains(Break(await s_example.Value, (_, c) => c.SecurityContext.ReadOnlyRootFilesystem = false), p => p.Contains("read-only root file system", StringComparison.Ordinal));
        Assert.Contains(Break(await s_example.Value, (_, c) => c.Env.Single(v => v.Name == "Federation__Postgres__ConnectionString").ValueFrom = null), p => p.Contains("Federation__Postgres__ConnectionString is a secret", StringComparison.Ordinal));
        Assert.Contains(Break(await s_example.Value, (d, _) => d.Spec.Template.Metadata.Labels.Remove("orleans/serviceId")), p => p.Contains("orleans/serviceId", StringComparison.Ordinal));

        var objects = ManifestChecks.Parse(await s_example.Value).ToList();
        objects.OfType<V1Ingress>().Single().Spec.Rules[0].Http.Paths[0].Backend.Service.Name = "federation-peering";
        Assert.Contains(ManifestChecks.Check(objects), p => p.Contains("routes to federation-peering, the federation Service", StringComparison.Ordinal));

        objects = [.. ManifestChecks.Parse(await s_example.Value)];
        objects.OfType<V1Role>().Single().Rules[0].Verbs.Remove("delete");
        Assert.Contains(ManifestChecks.Check(objects), p => p.Contains("pods get, list, watch and delete", StringComparison.Ordinal));

        objects = [.. ManifestChecks.Parse(await s_example.Value), new V1Secret { Metadata = new V1ObjectMeta { Name = "federation-postgres" } }];
        Assert.Contains(ManifestChecks.Check(objects), p => p.Contains("never written in a manifest", StringComparison.Ordinal));
    }

    private static List<string> Break(string yaml, Action<V1Deployment, V1Container> breakIt)
    {
        var objects = ManifestChecks.Parse(yaml);
        var deployment = objects.OfType<V1Deployment>().Single();
        breakIt(deployment, deployment.Spec.Template.Spec.Containers[0]);
        return ManifestChecks.Check(objects);
    }

    private static async Task<string> RenderAsync(string directory)
    {
        var result = await ExternalCommand.RunAsync("kubectl", ["kustomize", RepositoryRoot.Combine(directory)], TimeSpan.FromSeconds(60),
            "install Debian's kubectl (apt-get install kubectl; .ci/run does), whose built-in Kustomize renders infra/k8s offline");
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {directory} failed: {result.Text}");
        return result.Output;
    }
}
