using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Nations;
using Federation.Reference;

namespace Federation.Silo.Api.Requests;

/// <summary>
/// Turns request bodies into trusted specs, or into a list of every field that breaks a rule.
/// The grains trust what comes out of here.
/// </summary>
public sealed partial class CatalogueRequestParser(ReferenceTables reference)
{
    private const int MaxTags = 32;
    private const int MaxListItems = 64;

    /// <summary>Parses a dataset body; <paramref name="pathId"/> is the id in the URL on PUT.</summary>
    public DatasetSpec? ParseDataset(DatasetRequest r, NationProfile nation, string? pathId, ValidationErrors errors)
    {
        var id = RequestFields.ParseId<DatasetId>(r.Id ?? pathId, "id", errors);
        if (pathId is not null && r.Id is not null && r.Id != pathId)
        {
            errors.Add("id", $"'{r.Id}' differs from the id in the URL ('{pathId}'); ids never change");
        }

        var home = nation.Code;
        if (r.HomeNation is not null)
        {
            if (!NationCode.TryParse(r.HomeNation, out home, out var error))
            {
                errors.Add("homeNation", error);
            }
            else if (home != nation.Code)
            {
                errors.Add("homeNation", $"must be this nation ({nation.Code}): a nation registers only the datasets it holds; register {home}'s datasets in {home}");
            }
        }

        var title = RequestFields.Text(r.Title, "title", 1, 200, errors);
        var description = RequestFields.Text(r.Description ?? "", "description", 0, 4000, errors);
        var location = ParseLocation(r.Location, errors);
        var size = NonNegative(r.SizeBytes, "sizeBytes", required: true, errors);
        var records = NonNegative(r.RecordCount, "recordCount", required: false, errors);
        var sha = RequestFields.ParseId<Sha256Digest>(r.Sha256, "sha256", errors);
        var format = Format(r.Format, "format", errors);
        var schema = RequestFields.Text(r.SchemaSummary ?? "", "schemaSummary", 0, 4000, errors);
        var licence = RequestFields.ParseId<SpdxExpression>(r.Licence, "licence", errors);
        var steward = RequestFields.Text(r.Steward, "steward", 1, 200, errors);
        var tags = ParseTags(r.Tags, errors);
        var visibility = nation.Policies.DefaultVisibility;
        if (r.Visibility is not null && !Enum.TryParse(r.Visibility, ignoreCase: true, out visibility))
        {
            errors.Add("visibility", $"'{r.Visibility}' is not a visibility: use public (metadata listed in the federation) or private (metadata stays home)");
        }

        var residency = r.Residency is null ? nation.Policies.DefaultResidency : ParseResidency(r.Residency, "residency", home, errors);
        var dataUse = r.DataUse is null ? null : ParseDataUse(r.DataUse, errors);
        var exports = DatasetExports.Parse(r.Exports, errors);
        if (r.DataUse is null)
        {
            errors.Add("dataUse", "is required: state the DUO permission (NRES, GRU, HMB, DS or POA) and any modifiers");
        }

        if (!errors.IsEmpty)
        {
            return null;
        }

        return new DatasetSpec
        {
            Id = id,
            Title = title!,
            Description = description!,
            HomeNation = home,
            Location = location!,
            SizeBytes = size!.Value,
            RecordCount = records,
            Sha256 = sha,
            Format = format!,
            SchemaSummary = schema!,
            Licence = licence,
            Steward = steward!,
            Tags = tags,
            Visibility = visibility,
            Residency = residency!,
            DataUse = dataUse!,
            Access = r.Access?.RequiresGrant == true ? DatasetAccess.Controlled : DatasetAccess.Open,
            Exports = exports,
        };
    }

    /// <summary>Parses a node body.</summary>
    public GpuNodeSpec? ParseNode(NodeRequest r, string? pathId, ValidationErrors errors)
    {
        var id = RequestFields.ParseId<NodeId>(r.Id ?? pathId, "id", errors);
        if (pathId is not null && r.Id is not null && r.Id != pathId)
        {
            errors.Add("id", $"'{r.Id}' differs from the id in the URL ('{pathId}'); ids never change");
        }

        var site = RequestFields.Text(r.Site, "site", 1, 100, errors);
        AcceleratorSpec? accelerator = null;
        if (r.Accelerator is null)
        {
            errors.Add("accelerator", $"is required: one of {KnownAccelerators()}");
        }
        else if (!AcceleratorSlug.TryParse(r.Accelerator, out var slug, out var slugError))
        {
            errors.Add("accelerator", slugError);
        }
        else if ((accelerator = reference.FindAccelerator(slug)) is null)
        {
            errors.Add("accelerator", $"'{slug}' is not a known accelerator: use one of {KnownAccelerators()}, or add it under Federation:Reference:Accelerators");
        }

        if (r.Count is not { } count)
        {
            errors.Add("count", "is required: the number of accelerators (1 to 1024)");
            count = 0;
        }
        else if (count is < 1 or > 1024)
        {
            errors.Add("count", $"must be 1 to 1024, got {count}");
        }

        var memory = r.MemoryGb ?? accelerator?.MemoryGb ?? 0;
        if (r.MemoryGb is { } m && (!double.IsFinite(m) || m <= 0 || m > 4096))
        {
            errors.Add("memoryGb", $"must be more than 0 and at most 4096 GB per accelerator, got {m}");
        }

        var leaseSeconds = r.LeaseSeconds ?? 30;
        if (!double.IsFinite(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 3600)
        {
            errors.Add("leaseSeconds", $"must be 1 to 3600 seconds, got {leaseSeconds}");
        }

        if (!errors.IsEmpty)
        {
            return null;
        }

        return new GpuNodeSpec
        {
            Id = id,
            Site = site!,
            Accelerator = accelerator!.Slug,
            Count = count,
            MemoryGb = memory,
            Lease = TimeSpan.FromSeconds(leaseSeconds),
        };
    }

    /// <summary>Parses a model body; <paramref name="pathRef"/> is the model in the URL on PUT.</summary>
    public ModelArtifactSpec? ParseModel(ModelRequest r, ModelRef? pathRef, ValidationErrors errors)
    {
        var name = RequestFields.ParseId<ModelName>(r.Name ?? pathRef?.Name.Value, "name", errors);
        var version = RequestFields.ParseId<ModelVersion>(r.Version ?? pathRef?.Version.Value, "version", errors);
        if (pathRef is { } p && ((r.Name is not null && r.Name != p.Name.Value) || (r.Version is not null && r.Version != p.Version.Value)))
        {
            errors.Add("name", $"name and version must match the URL ({p})");
        }

        var sha = RequestFields.ParseId<Sha256Digest>(r.Sha256, "sha256", errors);
        var format = Format(r.Format, "format", errors);
        var size = NonNegative(r.SizeBytes, "sizeBytes", required: true, errors);
        var licence = RequestFields.ParseId<SpdxExpression>(r.Licence, "licence", errors);
        ModelRef? baseModel = null;
        if (r.BaseModel is not null)
        {
            if (ModelRef.TryParse(r.BaseModel, out var b, out var error))
            {
                baseModel = b;
            }
            else
            {
                errors.Add("baseModel", error);
            }
        }

        var datasets = ImmutableArray.CreateBuilder<DatasetRef>();
        var lineageDatasets = r.Lineage?.Datasets ?? [];
        if (lineageDatasets.Count > MaxListItems)
        {
            errors.Add("lineage.datasets", $"at most {MaxListItems} datasets");
        }

        for (var i = 0; i < lineageDatasets.Count; i++)
        {
            if (DatasetRef.TryParse(lineageDatasets[i], out var d, out var error))
            {
                datasets.Add(d);
            }
            else
            {
                errors.Add($"lineage.datasets[{i}]", error);
            }
        }

        JobRef? job = null;
        if (r.Lineage?.ProducingJob is { } jobText)
        {
            if (JobRef.TryParse(jobText, out var j, out var error))
            {
                job = j;
            }
            else
            {
                errors.Add("lineage.producingJob", error);
            }
        }

        var metrics = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in r.Metrics ?? [])
        {
            if (key.Length is < 1 or > 64)
            {
                errors.Add($"metrics.{key}", "metric names are 1 to 64 characters");
            }
            else if (!double.IsFinite(value))
            {
                errors.Add($"metrics.{key}", "must be a finite number");
            }
            else
            {
                metrics[key] = value;
            }
        }

        var energy = NonNegative(r.EnergyKwh, "energyKwh", errors);
        var emissions = NonNegative(r.EmissionsGco2e, "emissionsGco2e", errors);
        var description = RequestFields.Text(r.Description ?? "", "description", 0, 4000, errors);
        var lineage = Federation.Silo.Catalogue.ModelLineageParser.WithDetails(new ModelLineage(datasets.ToImmutable(), job), r.Lineage, errors);
        var restrictions = Federation.Silo.Catalogue.ModelLineageParser.Restrictions(r.Restrictions, errors);
        if (!errors.IsEmpty)
        {
            return null;
        }

        return new ModelArtifactSpec
        {
            Ref = new ModelRef(name, version),
            Sha256 = sha,
            Format = format!,
            SizeBytes = size!.Value,
            Licence = licence,
            BaseModel = baseModel,
            Lineage = lineage,
            Metrics = metrics.ToImmutable(),
            EnergyKwh = energy,
            EmissionsGco2e = emissions,
            Description = description!,
            Restrictions = restrictions,
        };
    }

    /// <summary>Parses a nation profile body.</summary>
    public NationProfile? ParseNation(NationRequest r, NationProfile current, ValidationErrors errors)
    {
        if (r.Code is not null && r.Code != current.Code.Value)
        {
            errors.Add("code", $"a nation's code never changes (this is {current.Code})");
        }

        var name = RequestFields.Text(r.Name ?? current.Name, "name", 1, 100, errors);
        var pue = r.Pue ?? current.Pue;
        if (!double.IsFinite(pue) || pue < 1 || pue > 5)
        {
            errors.Add("pue", $"must be between 1 and 5, got {pue}");
        }

        var zone = r.GridZone ?? current.GridZone;
        if (reference.FindGridZone(zone) is null)
        {
            errors.Add("gridZone", $"'{zone}' has no carbon intensity in the reference table; use one of {string.Join(", ", reference.GridZones.Select(g => g.Zone))}");
        }

        var api = Endpoint(r.ApiEndpoint, "apiEndpoint", current.ApiEndpoint, httpsOnly: false, errors);
        var federation = Endpoint(r.FederationEndpoint, "federationEndpoint", current.FederationEndpoint, httpsOnly: true, errors);
        var residency = r.DefaultResidency is null ? current.Policies.DefaultResidency : ParseResidency(r.DefaultResidency, "defaultResidency", current.Code, errors);
        var visibility = current.Policies.DefaultVisibility;
        if (r.DefaultVisibility is not null && !Enum.TryParse(r.DefaultVisibility, ignoreCase: true, out visibility))
        {
            errors.Add("defaultVisibility", "must be public or private");
        }

        var share = r.MaxForeignShare ?? current.Policies.MaxForeignShare;
        if (!double.IsFinite(share) || share < 0 || share > 1)
        {
            errors.Add("maxForeignShare", $"must be between 0 and 1, got {share}");
        }

        return errors.IsEmpty
            ? current with
            {
                Name = name!,
                Pue = pue,
                GridZone = zone,
                ApiEndpoint = api,
                FederationEndpoint = federation,
                Policies = new NationPolicies(residency!, visibility, share),
            }
            : null;
    }

    private string KnownAccelerators() => string.Join(", ", reference.Accelerators.Select(a => a.Slug.Value));
}
