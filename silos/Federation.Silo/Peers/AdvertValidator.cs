using Federation.Contracts.Peers;
using Federation.Silo.Api;

namespace Federation.Silo.Peers;

/// <summary>Checks an advert received from a peer; a bad one is refused and the last good one kept.</summary>
public static class AdvertValidator
{
    /// <summary>Largest advert body accepted, bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int MaxEntries = 256;

    /// <summary>Every broken rule, by field.</summary>
    public static ValidationErrors Validate(CapabilityAdvert advert)
    {
        var errors = new ValidationErrors();
        if (advert.Name is not { Length: >= 1 and <= 100 })
        {
            errors.Add("name", "1 to 100 characters");
        }

        if (advert.Accelerators.IsDefault || advert.Accelerators.Length > MaxEntries)
        {
            errors.Add("accelerators", $"a list of at most {MaxEntries} entries");
        }
        else
        {
            for (var i = 0; i < advert.Accelerators.Length; i++)
            {
                var a = advert.Accelerators[i];
                if (a is null || a.Slug.Value is null || a.Total < 0 || a.Free < 0 || a.Free > a.Total)
                {
                    errors.Add($"accelerators[{i}]", "needs a slug and 0 <= free <= total");
                }
            }

            if (advert.Accelerators.Where(a => a?.Slug.Value is not null).GroupBy(a => a.Slug).Any(g => g.Count() > 1))
            {
                errors.Add("accelerators", "each accelerator slug appears once");
            }
        }

        if (!double.IsFinite(advert.Pue) || advert.Pue < 1 || advert.Pue > 5)
        {
            errors.Add("pue", $"between 1 and 5, got {advert.Pue}");
        }

        if (!double.IsFinite(advert.GridIntensityGco2PerKwh) || advert.GridIntensityGco2PerKwh < 0 || advert.GridIntensityGco2PerKwh > 5000)
        {
            errors.Add("gridIntensityGco2PerKwh", $"between 0 and 5000 gCO2e/kWh, got {advert.GridIntensityGco2PerKwh}");
        }

        if (advert.GridZone is not { Length: >= 1 and <= 32 })
        {
            errors.Add("gridZone", "1 to 32 characters");
        }

        if (advert.QueueDepth < 0)
        {
            errors.Add("queueDepth", "must be >= 0");
        }

        if (advert.Workloads.IsDefault || advert.Workloads.Length > MaxEntries || advert.Workloads.Any(w => w?.Name is not { Length: >= 1 and <= 100 } || w.Version is not { Length: >= 1 and <= 50 }))
        {
            errors.Add("workloads", $"at most {MaxEntries} entries, each with a name (1-100) and a version (1-50)");
        }

        if (advert.ProtocolVersions.IsDefault || advert.ProtocolVersions.Length is 0 or > 16)
        {
            errors.Add("protocolVersions", "1 to 16 versions");
        }

        if (advert.SoftwareVersion is not { Length: >= 1 and <= 64 })
        {
            errors.Add("softwareVersion", "1 to 64 characters");
        }

        return errors;
    }
}
