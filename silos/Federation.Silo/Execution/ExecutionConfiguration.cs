using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Federation.Contracts.Ids;
using Federation.Execution;
using Federation.Execution.Workloads;
using Federation.Reference;
using Federation.Silo.Jobs;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Execution;

/// <summary>
/// Reads and checks how this nation runs jobs: <c>Federation:Executor</c>, <c>Federation:Pools</c>
/// and the allow-list <c>Federation:Workloads</c> (plus the simulated workloads named under
/// <c>Federation:Peering:Workloads</c>). Every mistake is reported at start-up with its key.
/// </summary>
public static partial class ExecutionConfiguration
{
    /// <summary>The executor settings and the allow-list, or an <see cref="OptionsValidationException"/> listing every mistake.</summary>
    public static (ExecutorSettings Settings, WorkloadCatalogue Workloads) Read(IConfiguration configuration, ReferenceTables reference, NationCode nation)
    {
        var failures = new List<string>();
        var executor = configuration.GetSection(ExecutorOptions.Section).Get<ExecutorOptions>() ?? new ExecutorOptions();
        var pools = ReadPools(configuration.GetSection(PoolOptions.Section).Get<List<PoolOptions>>() ?? [], reference, failures);
        var workloads = ReadWorkloads(configuration.GetSection(WorkloadOptions.Section).Get<List<WorkloadOptions>>() ?? [], failures);
        foreach (var (simulated, i) in (configuration.GetSection(PeeringOptions.Section).Get<AdvertOptions>()?.Workloads ?? []).Select((w, i) => (w, i)))
        {
            var parts = simulated.Split('@', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                failures.Add($"Federation:Peering:Workloads:{i}: '{simulated}' is not name@version");
                continue;
            }

            if (!workloads.Any(w => w.Name == parts[0] && w.Version == parts[1]))
            {
                workloads.Add(new WorkloadDefinition { Name = parts[0], Version = parts[1] });
            }
        }

        UnixAccount? account = null;
        if (!string.IsNullOrWhiteSpace(executor.RunAs))
        {
            account = UnixAccount.Find(executor.RunAs);
            if (account is null)
            {
                failures.Add($"Federation:Executor:RunAs: there is no account '{executor.RunAs}' in /etc/passwd; create it (e.g. useradd --system {executor.RunAs}) or unset RunAs");
            }
            else if (!UnixAccount.ProcessIsRoot)
            {
                failures.Add($"Federation:Executor:RunAs={executor.RunAs} needs the silo to run as root (it runs as {Environment.UserName}); unset RunAs to run workloads as {Environment.UserName}");
            }
        }

        failures.AddRange(new ExecutorOptionsValidator().Validate(null, executor).Failures ?? []);

        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Federation:Executor", typeof(ExecutorOptions), failures);
        }

        var settings = new ExecutorSettings
        {
            SecondsPerEstimatedHour = executor.SecondsPerEstimatedHour,
            ProgressEvery = TimeSpan.FromSeconds(executor.ProgressSeconds),
            PollEvery = TimeSpan.FromSeconds(executor.PollSeconds),
            QueuedRecheck = TimeSpan.FromSeconds(executor.QueuedRecheckSeconds),
            WorkRoot = executor.WorkRoot is { Length: > 0 } configured ? configured : Path.Combine(Path.GetTempPath(), "federation-jobs", nation.Value),
            RunAs = account,
            Pools = pools.Count == 0 ? [NodePool.DefaultAgent] : [.. pools],
            SlurmCommandTimeout = TimeSpan.FromSeconds(executor.SlurmCommandSeconds),
            PackLedger = executor.PackLedger,
            LedgerAudit = TimeSpan.FromSeconds(executor.LedgerAuditSeconds),
        };
        return (settings, new WorkloadCatalogue(workloads));
    }

    private static List<NodePool> ReadPools(List<PoolOptions> options, ReferenceTables reference, List<string> failures)
    {
        var pools = new List<NodePool>();
        foreach (var (pool, i) in options.Select((p, i) => (p, i)))
        {
            var key = $"Federation:Pools:{i}";
            if (!SlugPattern().IsMatch(pool.Name))
            {
                failures.Add($"{key}:Name must be a lower-case slug, got '{pool.Name}'");
            }
            else if (pools.Any(p => p.Name == pool.Name))
            {
                failures.Add($"{key}:Name '{pool.Name}' is used twice");
            }

            var kind = pool.Kind.ToLowerInvariant() switch
            {
                "agent" => NodePoolKind.Agent,
                "slurm" => NodePoolKind.Slurm,
                _ => (NodePoolKind?)null,
            };
            if (kind is null)
            {
                failures.Add($"{key}:Kind must be agent or slurm, got '{pool.Kind}'");
                continue;
            }

            if (kind == NodePoolKind.Slurm)
            {
                if (pool.SlurmConf is not { Length: > 0 } conf || !File.Exists(conf))
                {
                    failures.Add($"{key}:SlurmConf must name the cluster's slurm.conf; '{pool.SlurmConf}' does not exist");
                }

                if (pool.Gres.Count == 0)
                {
                    failures.Add($"{key}:Gres must map at least one accelerator slug to a GRES type (e.g. {key}:Gres:h100-sxm=h100)");
                }

                foreach (var (slug, type) in pool.Gres)
                {
                    if (!AcceleratorSlug.TryParse(slug, out var parsed, out _) || reference.FindAccelerator(parsed) is null)
                    {
                        failures.Add($"{key}:Gres:{slug}: '{slug}' is not an accelerator of the reference table");
                    }

                    if (!GresPattern().IsMatch(type))
                    {
                        failures.Add($"{key}:Gres:{slug}: '{type}' is not a GRES type name");
                    }
                }
            }

            pools.Add(new NodePool
            {
                Name = pool.Name,
                Kind = kind.Value,
                SlurmConf = pool.SlurmConf,
                Partition = string.IsNullOrWhiteSpace(pool.Partition) ? null : pool.Partition,
                Gres = pool.Gres.ToImmutableSortedDictionary(StringComparer.Ordinal),
            });
        }

        return pools;
    }

    private static List<WorkloadDefinition> ReadWorkloads(List<WorkloadOptions> options, List<string> failures)
    {
        var workloads = new List<WorkloadDefinition>();
        foreach (var (workload, i) in options.Select((w, i) => (w, i)))
        {
            var key = $"Federation:Workloads:{i}";
            if (!SlugPattern().IsMatch(workload.Name) || workload.Version is not { Length: >= 1 and <= 50 })
            {
                failures.Add($"{key}: Name must be a lower-case slug and Version 1-50 characters, got '{workload.Name}@{workload.Version}'");
            }

            if (!Path.IsPathFullyQualified(workload.Path))
            {
                failures.Add($"{key}:Path must be the absolute path of the script or binary, got '{workload.Path}'");
            }

            if (!Sha256Pattern().IsMatch(workload.Sha256))
            {
                failures.Add($"{key}:Sha256 must be 64 hex digits (sha256sum of {workload.Path}), got '{workload.Sha256}'");
            }

            var parameters = ImmutableSortedDictionary.CreateBuilder<string, WorkloadParameter>(StringComparer.Ordinal);
            foreach (var (name, parameter) in workload.Parameters)
            {
                var type = parameter.Type.ToLowerInvariant() switch
                {
                    "string" => WorkloadParameterType.Text,
                    "integer" => WorkloadParameterType.WholeNumber,
                    "number" => WorkloadParameterType.Number,
                    "boolean" => WorkloadParameterType.Boolean,
                    _ => (WorkloadParameterType?)null,
                };
                if (type is null)
                {
                    failures.Add($"{key}:Parameters:{name}:Type must be string, integer, number or boolean, got '{parameter.Type}'");
                    continue;
                }

                if (parameter.Pattern is { } pattern && !IsRegex(pattern))
                {
                    failures.Add($"{key}:Parameters:{name}:Pattern '{pattern}' is not a regular expression");
                }

                parameters[name] = new WorkloadParameter
                {
                    Type = type.Value,
                    Required = parameter.Required,
                    Pattern = parameter.Pattern,
                    MaxLength = parameter.MaxLength,
                    Minimum = parameter.Minimum,
                    Maximum = parameter.Maximum,
                };
            }

            workloads.Add(new WorkloadDefinition
            {
                Name = workload.Name,
                Version = workload.Version,
                Path = workload.Path,
                Sha256 = workload.Sha256.ToLowerInvariant(),
                Parameters = parameters.ToImmutable(),
            });
        }

        return workloads;
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex GresPattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
