using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Lifecycle.Shares;
using Federation.Protocol.Usage;
using Federation.Silo.Api;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Federation.Silo.Trust;
using Federation.Transparency;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Shares;

/// <summary>
/// Takes a peer's signed usage report: the reporting nation must be on the roster and be the caller,
/// the signature must verify against its roster pins valid at the period's end, and the report must
/// pass <see cref="UsageReports.Check"/> (no future period, no replay, numbers within what the sender's
/// advertised accelerators can deliver). A refusal names its rule, is logged in the transparency log
/// and stores nothing; an accepted report joins the federation's usage.
/// </summary>
public sealed partial class UsageReportReceiver(
    ShareLedgerService ledger,
    RosterStore roster,
    LocalNation local,
    IGrainFactory grains,
    TransparencyRecorder recorder,
    IOptions<TrustOptions> trust,
    TimeProvider time,
    ILogger<UsageReportReceiver> logger) : IDisposable
{
    private readonly SemaphoreSlim _serial = new(1, 1);

    /// <summary>Receives <paramref name="claim"/> from <paramref name="peer"/> (the caller's certificate): 204 when kept, else problem+json naming the rule.</summary>
    public async Task<IResult> ReceiveAsync(SignedUsageReport? claim, string peer, CancellationToken ct)
    {
        var report = claim?.Report;
        if (report is null)
        {
            return Problems.Invalid("report", "a usage report object is required");
        }

        if (report.Nation is null || report.Lines.IsDefault || claim!.SignerKey is null || claim.Signature is null)
        {
            var field = report.Nation is null ? "report.nation" : report.Lines.IsDefault ? "report.lines" : claim!.SignerKey is null ? "signerKey" : "signature";
            return Problems.Invalid(field, "is required");
        }

        if (!NationCode.TryParse(report.Nation, out _, out var nationError))
        {
            return Problems.Invalid("report.nation", nationError);
        }

        for (var i = 0; i < report.Lines.Length; i++)
        {
            if (report.Lines[i]?.Origin is null || report.Lines[i].Consortium is null)
            {
                return Problems.Invalid($"report.lines[{i}]", "a line needs an origin, a consortium (empty for none) and acceleratorHours");
            }
        }

        var name = UsageReportSignature.Name(report);
        if (roster.Find(report.Nation) is not { } entry)
        {
            return await RefuseAsync(StatusCodes.Status403Forbidden, UsageReports.SenderRule, "report.nation", $"{name}: {report.Nation} is not on the federation roster of {local.Code}, so nothing it signs is trusted", peer, ct);
        }

        if (!string.Equals(report.Nation, peer, StringComparison.Ordinal))
        {
            return await RefuseAsync(StatusCodes.Status403Forbidden, UsageReports.SenderRule, "report.nation", $"{name}: the report speaks for {report.Nation} but the caller's certificate is {peer}'s; a nation reports only what it ran", peer, ct);
        }

        if (UsageReportSignature.Verify(claim, RosterPins.Of(entry).ValidAt(report.To)) is { } bad)
        {
            return await RefuseAsync(StatusCodes.Status422UnprocessableEntity, UsageReports.SignatureRule, "signature", bad, peer, ct);
        }

        await _serial.WaitAsync(ct);
        try
        {
            var last = await ledger.LastReportAsync(report.Nation);
            var accelerators = await AdvertisedAcceleratorsAsync(report.Nation);
            if (UsageReports.Check(report, last?.Sequence, last?.To, accelerators, time.GetUtcNow(), trust.Value.ClockSkew) is { } refusal)
            {
                return await RefuseAsync(StatusCodes.Status422UnprocessableEntity, refusal.Rule, refusal.Field, $"{name}: {refusal.Detail}", peer, ct);
            }

            await ledger.AcceptAsync(claim);
            return TypedResults.NoContent();
        }
        finally
        {
            _serial.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _serial.Dispose();

    private async Task<int> AdvertisedAcceleratorsAsync(string nation)
    {
        if (!NationCode.TryParse(nation, out var code, out _))
        {
            return 0;
        }

        var status = await grains.GetGrain<IPeerGrain>(IPeerGrain.KeyOf(code)).GetAsync();
        return status.LastAdvert?.Accelerators.Sum(a => a.Total) ?? 0;
    }

    private async Task<IResult> RefuseAsync(int status, string rule, string field, string detail, string peer, CancellationToken ct)
    {
        LogRefused(logger, peer, rule, detail);
        await recorder.RecordAsync(TransparencyEntryKind.Refusal, peer: peer, rule: rule, detail: [new("reason", detail.Length > 500 ? detail[..500] : detail)], cancellationToken: ct);
        return Problems.Status(status, status == StatusCodes.Status403Forbidden ? "Usage report sender refused" : "Usage report refused", detail,
            new Dictionary<string, object?> { ["rule"] = rule, ["field"] = field });
    }

    [LoggerMessage(EventId = 7181, Level = LogLevel.Warning, Message = "Usage report from {Peer} refused by {Rule}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string peer, string rule, string detail);
}
