using System.Text.Json;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;

namespace Federation.Execution.Tests;

/// <summary>The executor kind is an enum in code and its lower-case word on the wire and in records.</summary>
public sealed class ExecutorKindsTests
{
    [Theory]
    [InlineData(ExecutorKind.Simulated, "simulated")]
    [InlineData(ExecutorKind.Process, "process")]
    [InlineData(ExecutorKind.Slurm, "slurm")]
    public void ToText_EachKind_IsItsLowerCaseWordAndParsesBack(ExecutorKind kind, string word)
    {
        Assert.Equal(word, kind.ToText());
        Assert.True(ExecutorKinds.TryParse(word, out var parsed));
        Assert.Equal(kind, parsed);
    }

    [Fact]
    public void ToText_EveryKind_IsTheWordTheJsonConventionWrites()
    {
        // Should the contract ever carry the enum itself, its JSON (and so the OpenAPI document's words) would not change.
        foreach (var kind in ExecutorKinds.All)
        {
            Assert.Equal($"\"{kind.ToText()}\"", JsonSerializer.Serialize(kind, FederationJson.Options));
        }

        Assert.Equal(Enum.GetValues<ExecutorKind>(), ExecutorKinds.All.ToArray());
    }

    [Theory]
    [InlineData("Slurm")]
    [InlineData("kubernetes")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_AnUnknownWord_FailsNamingTheFieldAndTheAllowedWords(string? word)
    {
        Assert.False(ExecutorKinds.TryParse(word, out _));
        var error = Assert.Throws<FormatException>(() => ExecutorKinds.Parse(word, "Federation:Something:Executor"));
        Assert.Equal($"Federation:Something:Executor must be simulated, process, slurm or federated, got '{word}'", error.Message);
    }

    [Fact]
    public void KindOf_ARecordedRun_IsItsExecutorAndNoRunIsSimulated()
    {
        Assert.Equal(ExecutorKind.Simulated, ExecutorKinds.KindOf(null));
        Assert.Equal(ExecutorKind.Slurm, ExecutorKinds.KindOf(new ExecutionRun { Executor = "slurm", Pool = "lab" }));
        Assert.Equal(ExecutorKind.Process, ExecutorKinds.KindOf(new ExecutionRun { Executor = "process", Pool = "agents" }));
        var error = Assert.Throws<FormatException>(() => ExecutorKinds.KindOf(new ExecutionRun { Executor = "docker", Pool = "agents" }));
        Assert.Contains("ExecutionRun.Executor", error.Message, StringComparison.Ordinal);
    }
}
