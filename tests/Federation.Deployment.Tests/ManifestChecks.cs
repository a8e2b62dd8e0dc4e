using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Orleans.Hosting.Kubernetes;

namespace Federation.Deployment.Tests;

/// <summary>
/// The rules a nation's rendered manifests keep beyond the Kubernetes schema (the typed models, read
/// strictly, are the schema check): each returned line names the object and the rule it breaks.
/// </summary>
internal static partial class ManifestChecks
{
    private static readonly string[] s_podVerbs = ["get", "list", "watch", "delete"];

    /// <summary>Reads rendered YAML strictly: an unknown field, a wrong type or an unknown kind throws.</summary>
    public static IReadOnlyList<object> Parse(string yaml) => KubernetesYaml.LoadAllFromString(yaml, strict: true);

    /// <summary>Every rule <paramref name="objects"/> break; empty when they keep them all.</summary>
    public static List<string> Check(IReadOnlyList<object> objects)
    {
        var problems = new List<string>();
        var services = objects.OfType<V1Service>().ToList();
        var deployments = objects.OfType<V1Deployment>().ToList();
        if (deployments.Count != 1)
        {
            problems.Add($"one Deployment of silos expected, found {deployments.Count}");
        }

        foreach (var secret in objects.OfType<V1Secret>())
        {
            problems.Add($"Secret {secret.Metadata.Name}: secrets are referenced, never written in a manifest");
        }

        foreach (var deployment in deployments)
        {
            CheckDeployment(deployment, objects, problems);
        }

        var federation = services.Where(s => s.Spec.Ports.Any(p => p.TargetPort?.Value == "federation")).ToList();
        if (federation.Count != 1 || federation[0].Spec.Type != "LoadBalancer" || federation[0].Spec.Ports.Any(p => p.Protocol is not (null or "TCP")))
        {
            problems.Add("the federation port needs exactly one Service of type LoadBalancer, TCP (L4): peers pin the certificate end to end");
        }

        foreach (var ingress in objects.OfType<V1Ingress>())
        {
            if (ingress.Spec.Tls is not { Count: > 0 } || ingress.Spec.Tls.Any(t => string.IsNullOrEmpty(t.SecretName)))
            {
                problems.Add($"Ingress {ingress.Metadata.Name}: the user API is published with TLS (spec.tls with a secretName)");
            }

            var backends = ingress.Spec.Rules.SelectMany(r => r.Http?.Paths ?? []).Select(p => p.Backend.Service?.Name)
                .Append(ingress.Spec.DefaultBackend?.Service?.Name);
            foreach (var name in backends.OfType<string>().Where(name => federation.Any(f => f.Metadata.Name == name)))
            {
                problems.Add($"Ingress {ingress.Metadata.Name} routes to {name}, the federation Service: a TLS-terminating proxy breaks certificate pinning");
            }
        }

        return problems;
    }

    private static void CheckDeployment(V1Deployment deployment, IReadOnlyList<object> objects, List<string> problems)
    {
        var name = $"Deployment {deployment.Metadata.Name}";
        var pod = deployment.Spec.Template;
        foreach (var label in new[] { KubernetesHostingOptions.ServiceIdLabel, KubernetesHostingOptions.ClusterIdLabel })
        {
            if (pod.Metadata.Labels?.ContainsKey(label) != true)
            {
                problems.Add($"{name}: the pod template needs the label {label} (Orleans' Kubernetes hosting finds its silos by it)");
            }
        }

        var account = pod.Spec.ServiceAccountName;
        var roles = objects.OfType<V1RoleBinding>()
            .Where(b => b.Subjects?.Any(s => s.Kind == "ServiceAccount" && s.Name == account) == true)
            .Select(b => objects.OfType<V1Role>().FirstOrDefault(r => r.Metadata.Name == b.RoleRef.Name))
            .OfType<V1Role>();
        var verbs = roles.SelectMany(r => r.Rules).Where(r => r.Resources?.Contains("pods") == true).SelectMany(r => r.Verbs).ToHashSet();
        if (account is null || !objects.OfType<V1ServiceAccount>().Any(a => a.Metadata.Name == account)
            || !s_podVerbs.All(verbs.Contains))
        {
            problems.Add($"{name}: its ServiceAccount needs a Role bound to it with pods get, list, watch and delete (Orleans' Kubernetes hosting)");
        }

        var selector = deployment.Spec.Selector.MatchLabels;
        if (!objects.OfType<V1PodDisruptionBudget>().Any(b => b.Spec.Selector?.MatchLabels?.All(l => selector.TryGetValue(l.Key, out var v) && v == l.Value) == true))
        {
            problems.Add($"{name}: no PodDisruptionBudget selects its pods");
        }

        foreach (var container in pod.Spec.Containers)
        {
            CheckContainer($"{name} container {container.Name}", container, pod.Spec.SecurityContext, problems);
        }
    }

    private static void CheckContainer(string name, V1Container container, V1PodSecurityContext? podSecurity, List<string> problems)
    {
        if (container.LivenessProbe?.HttpGet?.Path != "/health/live" || container.ReadinessProbe?.HttpGet?.Path != "/health/ready")
        {
            problems.Add($"{name}: needs a liveness probe on /health/live and a readiness probe on /health/ready");
        }

        foreach (var resource in new[] { "cpu", "memory" })
        {
            if (container.Resources?.Requests?.ContainsKey(resource) != true || container.Resources?.Limits?.ContainsKey(resource) != true)
            {
                problems.Add($"{name}: needs a request and a limit of {resource}");
            }
        }

        var security = container.SecurityContext;
        if ((security?.RunAsNonRoot ?? podSecurity?.RunAsNonRoot) != true || security?.ReadOnlyRootFilesystem != true || security.AllowPrivilegeEscalation != false)
        {
            problems.Add($"{name}: must run as non-root, on a read-only root file system, without privilege escalation");
        }

        foreach (var variable in container.Env ?? [])
        {
            if (SecretName().IsMatch(variable.Name) && (variable.Value is not null || variable.ValueFrom?.SecretKeyRef is null))
            {
                problems.Add($"{name}: {variable.Name} is a secret: take it from a Secret (valueFrom.secretKeyRef), never a literal");
            }
        }

        var env = (container.Env ?? []).Select(v => v.Name).ToHashSet();
        foreach (var required in new[] { KubernetesHostingOptions.PodNameEnvironmentVariable, KubernetesHostingOptions.PodNamespaceEnvironmentVariable, KubernetesHostingOptions.PodIPEnvironmentVariable })
        {
            if (!env.Contains(required))
            {
                problems.Add($"{name}: needs {required} from the downward API (Orleans' Kubernetes hosting)");
            }
        }

        if (container.Env?.Any(v => v.Name == "Federation__Hosting__Kubernetes" && v.Value == "true") != true)
        {
            problems.Add($"{name}: needs Federation__Hosting__Kubernetes=true");
        }
    }

    [GeneratedRegex("ConnectionString|Token|Password|Secret|PrivateKey", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
