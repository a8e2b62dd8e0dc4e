using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;

namespace Federation.Silo.Api.Requests;

/// <summary>The field rules the catalogue's parsers share: formats, numbers, addresses, tags, residency and data-use conditions.</summary>
public sealed partial class CatalogueRequestParser
{
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
