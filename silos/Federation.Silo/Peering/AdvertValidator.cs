using Federation.Contracts.Peers;
using Federation.Reference.Forecasts;
using Federation.Routing.Trust;
using Federation.Silo.Api;

namespace Federation.Silo.Peering;

/// <summary>Checks an advert received from a peer; a bad one is refused and the last good one kept.</summary>
public static class AdvertValidator
{
    /// <summary>Largest advert body accepted, bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int MaxEntries = 256;

    /// <summary>Every broken rule, by field; <paramref name="now"/> and <paramref name="clockSkew"/> bound its time.</summary>
    public static ValidationErrors Validate(CapabilityAdvert advert, DateTimeOffset now, TimeSpan clockSkew)
    {
        var errors = new ValidationErrors();
        if (AdvertBounds.CheckIssuedAt(advert.IssuedAt, now, clockSkew) is { } early)
        {
            errors.Add("issuedAt", early);
        }

        if (AdvertBounds.CheckSenderEpoch(advert.SenderEpoch) is { } epoch)
        {
            errors.Add("senderEpoch", epoch);
        }

        if (advert.Sequence < 1)
        {
            errors.Add("sequence", $"must be 1 or more, got {advert.Sequence}");
        }

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

        // A PUE under 1.0 is impossible but only flagged (the reference is scored instead), so that the peer stays usable.
        if (!double.IsFinite(advert.Pue) || advert.Pue <= 0 || advert.Pue > 5)
        {
            errors.Add("pue", $"more than 0 and at most 5, got {advert.Pue}");
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

        if (advert.Forecast is { } forecast)
        {
            foreach (var (field, rule) in ForecastHours.Check(forecast))
            {
                errors.Add($"forecast.{field}", rule);
            }

            // A forecast is of the hours ahead: one that starts a day away from the receiver's clock is stale or made up.
            if ((forecast.From - now).Duration() > s_forecastSkew)
            {
                errors.Add("forecast.from", $"must be within {s_forecastSkew.TotalHours:0} h of the receiver's clock ({now:O}), got {forecast.From:O}");
            }
        }

        return errors;
    }

    private static readonly TimeSpan s_forecastSkew = TimeSpan.FromHours(24);
}
