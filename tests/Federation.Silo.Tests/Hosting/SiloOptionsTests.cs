using Federation.Execution;
using System.Diagnostics;
using Federation.Grains.Jobs;
using Federation.Silo.Hosting;
using Federation.Silo.Jobs;
using Federation.Silo.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Tests.Hosting;

/// <summary>
/// Options are validated when the silo starts (issue 14): a bad value stops the host with a message
/// naming the setting and what is allowed, whether the host reads it while being composed (ports,
/// peering, executor, rate limits) or on start (<c>ValidateOnStart</c>: jobs, admission, routing, data, trust).
/// </summary>
public sealed class SiloOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Federation:Jobs:LeaseSeconds", "0", "Federation:Jobs:LeaseSeconds must be 1 to 3600, got 0")]
    [InlineData("Federation:Jobs:MarginSeconds", "40", "Federation:Jobs:MarginSeconds must be 0 or more and less than LeaseSeconds, got 40")]
    [InlineData("Federation:Admission:RefuseFrom:0", "france", "Federation:Admission:RefuseFrom:0:")]
    [InlineData("Federation:Routing:PerGco2e", "-1", "Federation:Routing:PerGco2e must be a number >= 0, got -1")]
    [InlineData("Federation:RateLimits:Burst", "0", "Federation:RateLimits:Burst must be at least 1, got 0")]
    [InlineData("Federation:Data:Roots:0", "relative/data", "Federation:Data:Roots:0 must be an absolute directory path, got 'relative/data'")]
    [InlineData("Federation:Trust:ReferencePue", "0.5", "Federation:Trust:ReferencePue must be between 1 and 5, got 0.5")]
    [InlineData("Federation:Membership:MissedProbesLimit", "0", "Federation:Membership:MissedProbesLimit must be 1 to 100, got 0")]
    [InlineData("Federation:AdvertisedAddress", "my-host", "Federation:AdvertisedAddress must be an IP address, got 'my-host'")]
    [InlineData("Federation:Postgres:MaxPoolSize", "0", "Federation:Postgres:MaxPoolSize must be 1 to 1000, got 0")]
    [InlineData("Federation:Peering:AdvertInterval", "00:00:00", "Federation:Peering:AdvertInterval must be between 00:00:01 and 01:00:00, got 00:00:00")]
    [InlineData("Federation:Peering:ListenAddress", "anywhere", "Federation:Peering:ListenAddress must be an IP address, got 'anywhere'")]
    [InlineData("Federation:Executor:PollSeconds", "0", "Federation:Executor:PollSeconds must be in (0, 60], got 0")]
    [InlineData("Federation:Executor:QueuedRecheckSeconds", "10", "Federation:Executor:QueuedRecheckSeconds must be in (0, 10), got 10")]
    [InlineData("Federation:Hosting:StageJobs", "/ll-" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "Federation:Hosting:StageJobs must be at most 200 characters (a part of the job references to trace), got 201")]
    [InlineData("Federation:Executor:LedgerAuditSeconds", "0", "Federation:Executor:LedgerAuditSeconds must be in (0, 86400], got 0")]
    [InlineData("Federation:Executor:SlurmCommandSeconds", "-5", "Federation:Executor:SlurmCommandSeconds must be in (0, 3600], got -5")]
    public async Task Start_WithBadSetting_FailsNamingTheSettingAndWhatIsAllowed(string key, string value, string expected)
    {
        var failure = await StartFailureAsync(Settings((key, value)));
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithPeeringCertificateButNoRoster_FailsNamingBothSettings()
    {
        var failure = await StartFailureAsync(Settings(("Federation:Peering:CertificatePath", Path.Combine(Path.GetTempPath(), "no-such-nation.pfx"))));
        Assert.Contains("Federation:Peering:RosterPath is required when Federation:Peering:CertificatePath is set", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-nation.pfx does not exist", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_PassEveryValidator_AndAreTheSettingsOwnDefaults()
    {
        Assert.True(new JobOptionsValidator().Validate(null, new JobOptions()).Succeeded);
        Assert.True(new ExecutorOptionsValidator().Validate(null, new ExecutorOptions()).Succeeded);
        Assert.True(new RoutingOptionsValidator().Validate(null, new RoutingOptions()).Succeeded);
        Assert.True(new AdmissionOptionsValidator().Validate(null, new AdmissionOptions()).Succeeded);
        Assert.Equal(new JobSettings(), new JobOptions().ToSettings());
        Assert.Equal(new ExecutorSettings().PollEvery, TimeSpan.FromSeconds(new ExecutorOptions().PollSeconds));
        Assert.Equal(new ExecutorSettings().QueuedRecheck, TimeSpan.FromSeconds(new ExecutorOptions().QueuedRecheckSeconds));
        Assert.Equal(new ExecutorSettings().LedgerAudit, TimeSpan.FromSeconds(new ExecutorOptions().LedgerAuditSeconds));
        Assert.Equal(new Federation.Lifecycle.Executions.ExecutionSettings().QueuedRecheck, new ExecutorSettings().QueuedRecheck);
        Assert.Equal(Federation.Contracts.Routing.ScoreWeights.Default, new RoutingOptions().ToWeights());
    }

    [Fact]
    public void JobOptions_EveryBadValue_IsReportedAtOnce()
    {
        var result = new JobOptionsValidator().Validate(null, new JobOptions { LeaseSeconds = double.NaN, GraceSeconds = -1, OfferAttempts = 0 });
        Assert.True(result.Failed);
        Assert.Equal(
            ["Federation:Jobs:LeaseSeconds", "Federation:Jobs:GraceSeconds", "Federation:Jobs:MarginSeconds", "Federation:Jobs:OfferAttempts"],
            result.Failures.Select(f => f[..f.IndexOf(' ', StringComparison.Ordinal)]));
    }

    // Some settings shape the host and are checked while it is composed (Build), the rest when it starts:
    // either way the silo does not start.
    private static async Task<OptionsValidationException> StartFailureAsync(Dictionary<string, string?> settings)
    {
        try
        {
            var app = SiloHost.Build([], c => c.AddInMemoryCollection(settings));
            await using (app)
            {
                await app.StartAsync(Ct);
                await app.StopAsync(Ct);
            }
        }
        catch (OptionsValidationException e)
        {
            return e;
        }

        Assert.Fail("The silo started with a bad setting.");
        throw new UnreachableException();
    }

    internal static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Federation:Urls"] = "http://127.0.0.1:0",
            ["Federation:SiloPort"] = "0",
            ["Federation:GatewayPort"] = "0",
            ["Federation:SeedDemoCatalogue"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
