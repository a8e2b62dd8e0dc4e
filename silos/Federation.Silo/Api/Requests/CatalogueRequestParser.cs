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
public sealed class CatalogueRequestParser(ReferenceTables reference)
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

    private static string? Format(string? value, string field, ValidationErrors errors)
    {
        if (value is { Length: >= 1 and <= 40 } && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '+' or '-' or '_'))
        {
            return value;
        }

        errors.Add(field, value is null ? "is required, such as parquet, csv or safetensors" : $"'{value}' is not a format: 1 to 40 characters of a-z, 0-9, '.', '+', '-', '_' (such as parquet)");
        return null;
    }

    private static long? NonNegative(long? value, string field, bool required, ValidationErrors errors)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "is required (a whole number >= 0)");
            }

            return null;
        }

        if (value < 0)
        {
            errors.Add(field, $"must be >= 0, got {value}");
        }

        return value;
    }

    private static double? NonNegative(double? value, string field, ValidationErrors errors)
    {
        if (value is { } v && (!double.IsFinite(v) || v < 0))
        {
            errors.Add(field, $"must be a finite number >= 0, got {v}");
        }

        return value;
    }

    private static Uri? ParseLocation(string? text, ValidationErrors errors)
    {
        if (text is null)
        {
            errors.Add("location", "is required: an absolute URI such as s3://bucket/path or file:///data/set");
            return null;
        }

        if (text.Length > 2000 || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            errors.Add("location", $"'{text}' is not an absolute URI (such as s3://bucket/path or file:///data/set)");
            return null;
        }

        return uri;
    }

    // Absent keeps the current endpoint, "" clears it; the federation API is mutual TLS, so https only.
    private static Uri? Endpoint(string? text, string field, Uri? current, bool httpsOnly, ValidationErrors errors)
    {
        if (text is null)
        {
            return current;
        }

        if (text.Length == 0)
        {
            return null;
        }

        var uri = OptionalUri(text, field, errors);
        if (uri is not null && httpsOnly && uri.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add(field, $"'{text}' is not an https:// URL: the federation API is served over mutual TLS only (send \"\" to clear it)");
            return null;
        }

        return uri;
    }

    private static Uri? OptionalUri(string? text, string field, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        errors.Add(field, $"'{text}' is not an absolute http(s) URL");
        return null;
    }

    private static ImmutableArray<string> ParseTags(List<string>? tags, ValidationErrors errors)
    {
        if (tags is null)
        {
            return [];
        }

        if (tags.Count > MaxTags)
        {
            errors.Add("tags", $"at most {MaxTags} tags, got {tags.Count}");
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (!Contracts.Ids.IdSyntax.IsSlug(tags[i]) || tags[i].Length > 40)
            {
                errors.Add($"tags[{i}]", $"'{tags[i]}' is not a tag: 1 to 40 characters of a-z, 0-9 and '-'");
            }
        }

        return [.. tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static Residency? ParseResidency(ResidencyRequest r, string field, NationCode home, ValidationErrors errors)
    {
        if (r.Kind is null || !Enum.TryParse<ResidencyKind>(r.Kind, ignoreCase: true, out var kind) || int.TryParse(r.Kind, out _))
        {
            errors.Add($"{field}.kind", $"'{r.Kind}' is not a residency: use homeOnly, listedNations or anywhere");
            return null;
        }

        var nations = ParseNations(r.Nations, $"{field}.nations", errors);
        if (kind == ResidencyKind.ListedNations && nations.IsEmpty)
        {
            errors.Add($"{field}.nations", "listedNations needs at least one nation besides home");
        }
        else if (kind != ResidencyKind.ListedNations && !nations.IsEmpty)
        {
            errors.Add($"{field}.nations", $"nations are listed only with kind listedNations (kind is {r.Kind})");
        }

        return new Residency(kind, [.. nations.Where(n => n != home)]);
    }

    private static ImmutableArray<NationCode> ParseNations(List<string>? texts, string field, ValidationErrors errors)
    {
        var nations = ImmutableArray.CreateBuilder<NationCode>();
        var list = texts ?? [];
        if (list.Count > MaxListItems)
        {
            errors.Add(field, $"at most {MaxListItems} nations");
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (!NationCode.TryParse(list[i], out var code, out var error))
            {
                errors.Add($"{field}[{i}]", error);
            }
            else if (nations.Contains(code))
            {
                errors.Add($"{field}[{i}]", $"{code} is listed twice");
            }
            else
            {
                nations.Add(code);
            }
        }

        return [.. nations.OrderBy(n => n.Value, StringComparer.Ordinal)];
    }

    private static DataUseConditions? ParseDataUse(DataUseRequest r, ValidationErrors errors)
    {
        var permission = DuoPermission.NRES;
        var permissionKnown = r.Permission is not null && Enum.TryParse(r.Permission, ignoreCase: false, out permission) && !int.TryParse(r.Permission, out _);
        if (!permissionKnown)
        {
            errors.Add("dataUse.permission", $"'{r.Permission}' is not a DUO permission: use NRES, GRU, HMB, DS or POA");
        }

        var modifiers = new List<DuoModifier>();
        var modifierTexts = r.Modifiers ?? [];
        for (var i = 0; i < modifierTexts.Count; i++)
        {
            if (!Enum.TryParse<DuoModifier>(modifierTexts[i], ignoreCase: false, out var modifier) || int.TryParse(modifierTexts[i], out _))
            {
                errors.Add($"dataUse.modifiers[{i}]", $"'{modifierTexts[i]}' is not a DUO modifier: use one of {string.Join(", ", Enum.GetNames<DuoModifier>())}");
            }
            else if (modifiers.Contains(modifier))
            {
                errors.Add($"dataUse.modifiers[{i}]", $"{modifier} is listed twice");
            }
            else
            {
                modifiers.Add(modifier);
            }
        }

        if (permission == DuoPermission.DS)
        {
            if (r.DiseaseTerm is null || !IsOntologyTerm(r.DiseaseTerm))
            {
                errors.Add("dataUse.diseaseTerm", $"DS (disease-specific research) needs a disease term such as MONDO:0004992, got '{r.DiseaseTerm}'");
            }
        }
        else if (r.DiseaseTerm is not null && permissionKnown)
        {
            errors.Add("dataUse.diseaseTerm", "a disease term is given only with permission DS");
        }

        var nations = ParseNations(r.Nations, "dataUse.nations", errors);
        RequireParameter(modifiers, DuoModifier.GS, !nations.IsEmpty, "dataUse.nations", "GS (geographic restriction) needs the allowed nations", errors);
        var institutions = Names(r.Institutions, "dataUse.institutions", errors);
        RequireParameter(modifiers, DuoModifier.IS, !institutions.IsEmpty, "dataUse.institutions", "IS (institution-specific) needs the allowed institutions", errors);
        var users = Names(r.Users, "dataUse.users", errors);
        RequireParameter(modifiers, DuoModifier.US, !users.IsEmpty, "dataUse.users", "US (user-specific) needs the allowed users", errors);
        var projects = Names(r.Projects, "dataUse.projects", errors);
        RequireParameter(modifiers, DuoModifier.PS, !projects.IsEmpty, "dataUse.projects", "PS (project-specific) needs the allowed projects", errors);
        RequireParameter(modifiers, DuoModifier.TS, r.ValidUntil is not null, "dataUse.validUntil", "TS (time limit on use) needs validUntil (yyyy-mm-dd)", errors);
        RequireParameter(modifiers, DuoModifier.MOR, r.MoratoriumUntil is not null, "dataUse.moratoriumUntil", "MOR (publication moratorium) needs moratoriumUntil (yyyy-mm-dd)", errors);

        return new DataUseConditions(
            permission, r.DiseaseTerm, [.. modifiers.Order()], nations, institutions, users, projects, r.ValidUntil, r.MoratoriumUntil);
    }

    private static void RequireParameter(List<DuoModifier> modifiers, DuoModifier modifier, bool present, string field, string rule, ValidationErrors errors)
    {
        if (modifiers.Contains(modifier) && !present)
        {
            errors.Add(field, rule);
        }
        else if (!modifiers.Contains(modifier) && present)
        {
            errors.Add(field, $"is given only with modifier {modifier}");
        }
    }

    private static ImmutableArray<string> Names(List<string>? names, string field, ValidationErrors errors)
    {
        var list = names ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                errors.Add($"{field}[{i}]", "must not be null: a name of 1 to 200 characters");
            }
            else if (list[i].Trim().Length is < 1 or > 200)
            {
                errors.Add($"{field}[{i}]", "must be 1 to 200 characters");
            }
        }

        return [.. list.Where(n => n is not null).Select(n => n.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static bool IsOntologyTerm(string term)
    {
        var colon = term.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < term.Length - 1 && term.Length <= 64
            && term[..colon].All(char.IsAsciiLetter) && term[(colon + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }
}
