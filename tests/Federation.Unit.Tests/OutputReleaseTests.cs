using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Silo.Jobs.Outputs;

namespace Federation.Unit.Tests;

/// <summary>
/// The release rule of logs and outputs: what a job made of data may go to the job's origin only when
/// every input's residency lets the data reach the origin; unknown terms hold them back.
/// </summary>
public sealed class OutputReleaseTests
{
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("DE/job-7");
    private static readonly NationCode s_fr = TypedId.Parse<NationCode>("FR");
    private static readonly NationCode s_de = TypedId.Parse<NationCode>("DE");
    private static readonly NationCode s_se = TypedId.Parse<NationCode>("SE");

    private static DatasetRef Ref(string text) => TypedId.Parse<DatasetRef>(text);

    private static ReleaseDecision Decide(params ReleaseInput[] inputs) => OutputReleaseRule.Decide(s_job, 1, s_fr, inputs, "outputs", "outputs");

    [Fact]
    public void HomeOnlyInput_OfAnotherNationThanTheOrigin_KeepsTheOutputsWhereTheyRan_NamingTheDatasetAndWhereToAsk()
    {
        var decision = Decide(
            new ReleaseInput(Ref("DE/open-weather"), new Residency(ResidencyKind.Anywhere, [])),
            new ReleaseInput(Ref("FR/health-cohort"), Residency.HomeOnly));

        Assert.False(decision.Released);
        Assert.False(decision.TermsUnknown);
        Assert.Equal(Ref("FR/health-cohort"), decision.Dataset);
        Assert.Equal(
            "outputs of DE/job-7 stay in FR: it read FR/health-cohort, which may be processed only in FR; FR's operators can read them at GET /api/v1/executions/DE/job-7/1/outputs",
            decision.Reason);
    }

    [Fact]
    public void ListedNations_ReleaseOnlyToListedOrigins()
    {
        var listedForSe = new ReleaseInput(Ref("FR/registry"), new Residency(ResidencyKind.ListedNations, [s_se]));
        var withheld = Decide(listedForSe);
        Assert.False(withheld.Released);
        Assert.Contains("which may be processed only in FR and SE", withheld.Reason, StringComparison.Ordinal);

        var listedForDe = new ReleaseInput(Ref("FR/registry"), new Residency(ResidencyKind.ListedNations, [s_se, s_de]));
        Assert.True(Decide(listedForDe).Released);
    }

    [Fact]
    public void OpenData_AndTheOriginsOwnHomeOnlyData_AreReleased()
    {
        var decision = Decide(
            new ReleaseInput(Ref("DE/open-weather"), new Residency(ResidencyKind.Anywhere, [])),
            new ReleaseInput(Ref("DE/de-only"), Residency.HomeOnly));

        Assert.True(decision.Released);
        Assert.Null(decision.Dataset);
        Assert.Contains("every input of DE/job-7 may reach DE", decision.Reason, StringComparison.Ordinal);
        Assert.True(Decide().Released);
    }

    [Fact]
    public void UnknownTerms_HoldThemBack_ButAKnownRefusalIsReportedFirst()
    {
        var unknown = new ReleaseInput(Ref("SE/speech"), null, "SE answered HTTP 503");
        var decision = Decide(new ReleaseInput(Ref("DE/open-weather"), new Residency(ResidencyKind.Anywhere, [])), unknown);
        Assert.False(decision.Released);
        Assert.True(decision.TermsUnknown);
        Assert.Equal(Ref("SE/speech"), decision.Dataset);
        Assert.Contains("the terms of SE/speech could not be read (SE answered HTTP 503)", decision.Reason, StringComparison.Ordinal);

        var refused = Decide(unknown, new ReleaseInput(Ref("FR/health-cohort"), Residency.HomeOnly));
        Assert.False(refused.TermsUnknown);
        Assert.Equal(Ref("FR/health-cohort"), refused.Dataset);
    }

    [Fact]
    public void LogsReasonNamesTheLogsPath()
    {
        var decision = OutputReleaseRule.Decide(s_job, 2, s_fr, [new ReleaseInput(Ref("FR/health-cohort"), Residency.HomeOnly)], "logs", "logs/stderr");
        Assert.EndsWith("FR's operators can read them at GET /api/v1/executions/DE/job-7/2/logs/stderr", decision.Reason, StringComparison.Ordinal);
        Assert.StartsWith("logs of DE/job-7 stay in FR", decision.Reason, StringComparison.Ordinal);
    }
}
