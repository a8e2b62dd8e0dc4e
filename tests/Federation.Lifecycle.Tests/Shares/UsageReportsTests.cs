using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;
using Federation.Protocol;
using Federation.Protocol.Usage;

namespace Federation.Lifecycle.Tests.Shares;

/// <summary>The pure rules of usage reports: what a nation reports for a period, what a receiver refuses, and the federation's usage.</summary>
public sealed class UsageReportsTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_halfLife = TimeSpan.FromHours(24);
    private static readonly TimeSpan s_skew = TimeSpan.FromMinutes(2);

    private static UsageCharge Charge(string key, string origin, double hours, int accelerators, double startHours, double walltimeHours, string consortium = "") =>
        new(key, new UsageAccount(origin, consortium, JobTier.Standard), hours, accelerators, s_t0.AddHours(startHours), s_t0.AddHours(startHours + walltimeHours));

    private static UsageReport Report(double hours, double fromHours = 0, double toHours = 1, string origin = "FR") =>
        new("DE", s_t0.AddHours(toHours).ToUnixTimeMilliseconds(), s_t0.AddHours(fromHours), s_t0.AddHours(toHours), [new UsageReportLine(origin, "", hours)]);

    [Fact]
    public void Report_CountsThePartOfEachChargeRunInThePeriod_PerOriginAndConsortium()
    {
        var charges = new[]
        {
            Charge("FR/a#1", "FR", 8, 2, 0, 4),                  // 2 acc-h per hour from 0 to 4 h
            Charge("FR/b#1", "FR", 3, 1, 1, 3, "climate"),       // 1 acc-h per hour from 1 to 4 h
            Charge("SE/c#1", "SE", 100, 1, 0, 10),               // estimate above 1 accelerator x 10 h: at most 1 per hour
            Charge("DE/d#1", "DE", 5, 1, 5, 5),                  // after the period
        };

        var report = UsageReports.Report("DE", charges, s_t0.AddHours(1), s_t0.AddHours(3));

        Assert.Equal("DE", report.Nation);
        Assert.Equal(s_t0.AddHours(3).ToUnixTimeMilliseconds(), report.Sequence);
        Assert.Equal(
            [new UsageReportLine("FR", "", 4), new UsageReportLine("FR", "climate", 2), new UsageReportLine("SE", "", 2)],
            report.Lines.ToArray());
    }

    [Fact]
    public void Report_OfConsecutivePeriods_AddsUpToTheWholeCharge()
    {
        var charges = new[] { Charge("FR/a#1", "FR", 6, 3, 0.5, 2) };
        var total = 0.0;
        for (var h = 0; h < 4; h++)
        {
            total += UsageReports.Report("DE", charges, s_t0.AddHours(h), s_t0.AddHours(h + 1)).Lines.Sum(l => l.AcceleratorHours);
        }

        Assert.Equal(6, total, 9);
    }

    [Fact]
    public void Check_AcceptsAReportWithinWhatTheAdvertisedAcceleratorsCanDeliver()
    {
        Assert.Null(UsageReports.Check(Report(4), null, null, 4, s_t0.AddHours(1), s_skew));
        Assert.Null(UsageReports.Check(Report(1, 1, 2), s_t0.AddHours(1).ToUnixTimeMilliseconds(), s_t0.AddHours(1), 1, s_t0.AddHours(2), s_skew));
    }

    [Theory]
    [InlineData(-1.0, "report.lines[0].acceleratorHours")]
    [InlineData(double.NaN, "report.lines[0].acceleratorHours")]
    [InlineData(double.PositiveInfinity, "report.lines[0].acceleratorHours")]
    [InlineData(4.001, "report.lines")]
    public void Check_RefusesNumbersOutOfBounds(double hours, string field)
    {
        var refusal = UsageReports.Check(Report(hours), null, null, 4, s_t0.AddHours(1), s_skew);

        Assert.NotNull(refusal);
        Assert.Equal(UsageReports.BoundsRule, refusal.Rule);
        Assert.Equal(field, refusal.Field);
    }

    [Fact]
    public void Check_RefusesAPeriodInTheFutureOrEmpty()
    {
        var future = UsageReports.Check(Report(0, 0, 2), null, null, 4, s_t0.AddHours(1), s_skew);
        var empty = UsageReports.Check(Report(0, 1, 1), null, null, 4, s_t0.AddHours(1), s_skew);

        Assert.Equal((UsageReports.PeriodRule, "report.to"), (future!.Rule, future.Field));
        Assert.Equal((UsageReports.PeriodRule, "report.from"), (empty!.Rule, empty.Field));
    }

    [Fact]
    public void Check_RefusesAReplayOrAnOverlappingPeriod()
    {
        var last = s_t0.AddHours(1);
        var replay = UsageReports.Check(Report(1), last.ToUnixTimeMilliseconds(), last, 4, s_t0.AddHours(2), s_skew);
        var overlap = UsageReports.Check(Report(1, 0.5, 2), last.ToUnixTimeMilliseconds(), last, 4, s_t0.AddHours(2), s_skew);

        Assert.Equal((UsageReports.ReplayRule, "report.sequence"), (replay!.Rule, replay.Field));
        Assert.Equal((UsageReports.ReplayRule, "report.from"), (overlap!.Rule, overlap.Field));
    }

    [Fact]
    public void Check_RefusesALineThatIsNotANation()
    {
        var refusal = UsageReports.Check(Report(1, origin: "not a nation"), null, null, 4, s_t0.AddHours(1), s_skew);

        Assert.Equal((UsageReports.LineRule, "report.lines[0].origin"), (refusal!.Rule, refusal.Field));
    }

    [Fact]
    public void Federation_SumsTheOwnLedgerAndEveryReportedOne_DecayedToTheSameTime()
    {
        var own = UsageLedger.Empty.Charge(new UsageAccount("FR", "", JobTier.Standard), 10, s_t0, s_halfLife);
        var fromDe = UsageReports.Add(UsageLedger.Empty, Report(4), s_halfLife);
        fromDe = UsageReports.Add(fromDe, new UsageReport("DE", 2, s_t0.AddHours(1), s_t0.AddHours(2), [new UsageReportLine("SE", "x", 2)]), s_halfLife);

        var usage = UsageReports.Federation(own, [fromDe], s_t0.AddHours(25), s_halfLife);

        Assert.Equal((10 * Math.Pow(2, -25.0 / 24)) + (4 * 0.5), usage["FR"], 9);
        Assert.Equal(2 * Math.Pow(2, -23.0 / 24), usage["SE"], 9);
    }

    [Fact]
    public void Signature_VerifiesAgainstThePin_AndNamesAnAlteredByteOrAWrongKey()
    {
        using var de = NationCertificates.Create("DE");
        using var other = NationCertificates.Create("DE");
        var signed = UsageReportSignature.Sign(Report(2), de);
        var pins = new[] { SpkiPin.Compute(de) };

        Assert.Null(UsageReportSignature.Verify(signed, pins));

        var altered = signed with { Report = signed.Report with { Lines = [new UsageReportLine("FR", "", 0.5)] } };
        Assert.Contains("does not match the statement (altered after DE signed it)", UsageReportSignature.Verify(altered, pins), StringComparison.Ordinal);

        var bytes = Convert.FromBase64String(signed.Signature);
        bytes[7] ^= 0x01;
        Assert.Contains("does not match", UsageReportSignature.Verify(signed with { Signature = Convert.ToBase64String(bytes) }, pins), StringComparison.Ordinal);

        var wrongKey = UsageReportSignature.Sign(Report(2), other);
        Assert.Contains("signed by a key that is not DE's on the roster", UsageReportSignature.Verify(wrongKey, pins), StringComparison.Ordinal);
    }
}
