using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Jobs.Requests;
using Federation.Reference;

namespace Federation.Silo.Api.Requests;

/// <summary>The compute side of a job request: accelerators, the work estimate, the workload call and its outputs.</summary>
public sealed partial class JobRequestParser
{
    private AcceleratorRequest? ParseAccelerators(AcceleratorsRequest? r, ValidationErrors errors)
    {
        if (r is null)
        {
            errors.Add("accelerators", "is required: {\"count\": 1, \"minMemoryGb\": 0, \"models\": []}");
            return null;
        }

        if (r.Count is not { } count)
        {
            errors.Add("accelerators.count", "is required: how many accelerators of one model (1 to 1024)");
            count = 0;
        }
        else if (count is < 1 or > 1024)
        {
            errors.Add("accelerators.count", $"must be 1 to 1024, got {count}");
        }

        var memory = r.MinMemoryGb ?? 0;
        if (!double.IsFinite(memory) || memory < 0 || memory > 4096)
        {
            errors.Add("accelerators.minMemoryGb", $"must be 0 to 4096 GB, got {memory.ToString(CultureInfo.InvariantCulture)}");
        }

        var models = ImmutableArray.CreateBuilder<AcceleratorSlug>();
        var texts = r.Models ?? [];
        for (var i = 0; i < texts.Count; i++)
        {
            if (KnownAccelerator(texts[i], $"accelerators.models[{i}]", errors) is { } spec && !models.Contains(spec.Slug))
            {
                models.Add(spec.Slug);
            }
        }

        return new AcceleratorRequest { Count = count, MinMemoryGb = memory, Models = models.ToImmutable() };
    }

    private WorkEstimate? ParseWork(WorkRequest? r, ValidationErrors errors)
    {
        const string forms = "{\"acceleratorHours\": 10, \"referenceAccelerator\": \"a100-80gb-sxm\"} or {\"flops\": 1e18}";
        if (r is null || (r.AcceleratorHours is null && r.Flops is null))
        {
            errors.Add("work", $"is required: {forms}");
            return null;
        }

        if (r.AcceleratorHours is not null && r.Flops is not null)
        {
            errors.Add("work", $"give accelerator-hours or FLOPs, not both: {forms}");
            return null;
        }

        if (r.Flops is { } flops)
        {
            if (r.ReferenceAccelerator is not null)
            {
                errors.Add("work.referenceAccelerator", "applies to acceleratorHours only; FLOPs need no reference");
            }

            if (!double.IsFinite(flops) || flops <= 0)
            {
                errors.Add("work.flops", $"must be more than 0, got {flops.ToString(CultureInfo.InvariantCulture)}");
            }

            return WorkEstimate.Operations(flops);
        }

        var hours = r.AcceleratorHours!.Value;
        if (!double.IsFinite(hours) || hours <= 0)
        {
            errors.Add("work.acceleratorHours", $"must be more than 0, got {hours.ToString(CultureInfo.InvariantCulture)}");
        }

        if (r.ReferenceAccelerator is null)
        {
            errors.Add("work.referenceAccelerator", $"is required with acceleratorHours: the accelerator the hours were estimated on, one of {KnownAccelerators()}");
            return null;
        }

        var spec = KnownAccelerator(r.ReferenceAccelerator, "work.referenceAccelerator", errors);
        if (spec is { TensorTflops: null })
        {
            errors.Add("work.referenceAccelerator", $"'{spec.Slug}' has no throughput figure in the accelerator table; state the work in FLOPs or name another accelerator");
        }

        return spec is null ? null : WorkEstimate.Hours(hours, spec.Slug);
    }

    /// <summary>Parses a workload call named <paramref name="field"/> (<c>workload</c>, <c>federated.training</c>).</summary>
    internal static WorkloadCall? ParseWorkload(WorkloadRequest? r, string field, ValidationErrors errors)
    {
        if (r is null)
        {
            errors.Add(field, "is required: {\"name\": \"...\", \"version\": \"...\", \"arguments\": {}} from the executing nation's allow-list");
            return null;
        }

        if (!IdSyntax.IsSlug(r.Name))
        {
            errors.Add($"{field}.name", IdSyntax.Describe("workload name", r.Name, IdSyntax.SlugRule));
        }

        if (r.Version is not { Length: >= 1 and <= 64 } version || !version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+'))
        {
            errors.Add($"{field}.version", r.Version is null
                ? "is required: 1 to 64 characters of letters, digits, '.', '-', '_' and '+'"
                : $"'{r.Version}' is not a version: 1 to 64 characters of letters, digits, '.', '-', '_' and '+'");
        }

        var arguments = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var given = r.Arguments ?? [];
        if (given.Count > MaxArguments)
        {
            errors.Add($"{field}.arguments", $"at most {MaxArguments} arguments, got {given.Count}");
        }

        foreach (var (name, value) in given)
        {
            var argument = $"{field}.arguments.{name}";
            if (name.Length is < 1 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                errors.Add(argument, "argument names are 1 to 64 letters, digits, '_' or '-'");
                continue;
            }

            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            };
            if (text is null)
            {
                errors.Add(argument, $"must be a string, a number or a boolean, got {value.ValueKind.ToString().ToLowerInvariant()}");
            }
            else if (text.Length > 4096)
            {
                errors.Add(argument, $"at most 4096 characters, got {text.Length}");
            }
            else
            {
                arguments[name] = text;
            }
        }

        return errors.IsEmpty ? new WorkloadCall { Name = r.Name!, Version = r.Version!, Arguments = arguments.ToImmutable() } : null;
    }

    private static ImmutableArray<JobOutput> ParseOutputs(List<JobOutputRequest>? outputs, ValidationErrors errors)
    {
        if (outputs is null)
        {
            return [];
        }

        if (outputs.Count > MaxOutputs)
        {
            errors.Add("outputs", $"at most {MaxOutputs} outputs, got {outputs.Count}");
            return [];
        }

        var parsed = ImmutableArray.CreateBuilder<JobOutput>(outputs.Count);
        for (var i = 0; i < outputs.Count; i++)
        {
            if (outputs[i] is null)
            {
                errors.Add($"outputs[{i}]", "must not be null: an object with the output's name");
                continue;
            }

            var name = outputs[i].Name;
            if (!IdSyntax.IsSlug(name))
            {
                errors.Add($"outputs[{i}].name", IdSyntax.Describe("output name", name, IdSyntax.SlugRule));
                continue;
            }

            if (parsed.Any(o => o.Name == name))
            {
                errors.Add($"outputs[{i}].name", $"'{name}' is listed twice");
                continue;
            }

            var description = outputs[i].Description is null ? "" : RequestFields.Text(outputs[i].Description, $"outputs[{i}].description", 0, 500, errors) ?? "";
            parsed.Add(new JobOutput(name, description));
        }

        return parsed.ToImmutable();
    }

    private AcceleratorSpec? KnownAccelerator(string? text, string field, ValidationErrors errors)
    {
        if (!AcceleratorSlug.TryParse(text, out var slug, out var error))
        {
            errors.Add(field, error);
            return null;
        }

        var spec = reference.FindAccelerator(slug);
        if (spec is null)
        {
            errors.Add(field, $"'{slug}' is not a known accelerator: use one of {KnownAccelerators()}");
        }

        return spec;
    }

    private string KnownAccelerators() => string.Join(", ", reference.Accelerators.Select(a => a.Slug.Value));
}
