using System.Text;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using static Federation.Unit.Tests.Learning.Run.RunSimulation;

namespace Federation.Unit.Tests.Learning.Run;

public sealed class LocalStepFilesTests
{
    private const string Layout = """[{"name":"fc.weight","shape":[1,3]}]""";
    private const string Metrics = """{"training":{"samples":1200},"local":{"rows":1200,"positives":300,"accuracy":0.82,"auc":0.8,"logLoss":0.41,"brier":0.1,"ece":0.02}}""";
    private static readonly RoundKey Session = RunTerms.SessionKey(Job, 1, 0);

    [Fact]
    public void Read_WhatWriteWrote_GivesTheWeightsSamplesAndMetrics()
    {
        var (bytes, header) = LocalStepFiles.Write([0.5, -0.25, 2], Layout, 1200);

        var result = LocalStepFiles.Read(Session, bytes, header, Metrics);

        Assert.Equal([0.5, -0.25, 2], result.Weights);
        Assert.Equal(1200, result.Samples);
        Assert.Equal(0.41, result.ValidationLoss);
        Assert.Equal(0.82, result.ValidationAccuracy);
        Assert.Equal(1200, result.ValidationSamples);
    }

    [Fact]
    public void Read_OneByteAltered_RefusedNamingBothDigests()
    {
        var (bytes, header) = LocalStepFiles.Write([0.5, -0.25, 2], Layout, 1200);
        bytes[0] ^= 1;

        var e = Assert.Throws<FormatException>(() => LocalStepFiles.Read(Session, bytes, header, Metrics));

        Assert.Contains("weights.json: sha256 says", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"local":{"rows":10,"accuracy":0.5}}""", "metrics.json: local.logLoss must be a finite number.")]
    [InlineData("""{"training":{}}""", "metrics.json: local (the evaluation of the local model) is required.")]
    [InlineData("""{"local":{"rows":10,"accuracy":1.5,"logLoss":0.3}}""", "metrics.json: local.logLoss must be at least 0, local.accuracy 0 to 1, local.rows at least 1.")]
    [InlineData("not json", "metrics.json: not JSON")]
    public void Read_BadMetrics_RefusedNamingTheField(string metrics, string expected)
    {
        var (bytes, header) = LocalStepFiles.Write([1, 2, 3], Layout, 10);

        var e = Assert.Throws<FormatException>(() => LocalStepFiles.Read(Session, bytes, header, metrics));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FreshWeightsWithNoSamples_Refused()
    {
        var (bytes, header) = LocalStepFiles.Write([1, 2, 3], Layout, 0);

        var e = Assert.Throws<FormatException>(() => LocalStepFiles.Read(Session, bytes, header, Metrics));

        Assert.StartsWith("weights.json: sampleCount must be at least 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CountDisagreesWithTheFile_Refused()
    {
        var (bytes, header) = LocalStepFiles.Write([1, 2, 3], Layout, 10);

        var e = Assert.Throws<FormatException>(() => LocalStepFiles.Read(Session, bytes.AsSpan(0, 8), header, Metrics));

        Assert.Equal("weights.f32 holds 8 bytes; weights.json: count says 3 float32 values.", e.Message);
        Assert.Contains("\"format\": \"federation-flat-f32\"", header, StringComparison.Ordinal);
        Assert.Contains(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes("fc.weight")), header, StringComparison.Ordinal);
    }
}
