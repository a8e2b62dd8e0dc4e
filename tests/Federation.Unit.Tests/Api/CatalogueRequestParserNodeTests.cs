using Federation.Reference;
using Federation.Silo.Api;
using Federation.Silo.Api.Requests;

namespace Federation.Unit.Tests.Api;

public sealed class CatalogueRequestParserNodeTests
{
    private readonly CatalogueRequestParser _parser = new(ReferenceTables.Shipped);

    [Fact]
    public void ParseNode_CompleteValidRequest_TakesMemoryFromTheTable()
    {
        var errors = new ValidationErrors();

        var spec = _parser.ParseNode(ParserSamples.Node(), pathId: null, errors);

        Assert.True(errors.IsEmpty, errors.IsEmpty ? "" : errors.Summary());
        Assert.NotNull(spec);
        Assert.Equal("gpu-paris-01", spec.Id.Value);
        Assert.Equal("h100-sxm", spec.Accelerator.Value);
        Assert.Equal(8, spec.Count);
        Assert.Equal(80, spec.MemoryGb);
        Assert.Equal(TimeSpan.FromSeconds(45), spec.Lease);
    }

    [Fact]
    public void ParseNode_UnknownAcceleratorSlug_NamesAcceleratorAndListsKnownOnes()
    {
        var request = ParserSamples.Node();
        request.Accelerator = "tpu-v9";
        var errors = new ValidationErrors();

        var spec = _parser.ParseNode(request, pathId: null, errors);

        Assert.Null(spec);
        var reported = errors.ToDictionary();
        Assert.Equal(["accelerator"], reported.Keys);
        var message = Assert.Single(reported["accelerator"]);
        Assert.Contains("'tpu-v9'", message, StringComparison.Ordinal);
        Assert.Contains("h100-sxm", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1025)]
    public void ParseNode_CountOutOfRange_NamesCount(int count)
    {
        var request = ParserSamples.Node();
        request.Count = count;
        var errors = new ValidationErrors();

        var spec = _parser.ParseNode(request, pathId: null, errors);

        Assert.Null(spec);
        Assert.Equal(["count"], errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(3601)]
    [InlineData(double.NaN)]
    public void ParseNode_LeaseOutOfRange_NamesLeaseSeconds(double seconds)
    {
        var request = ParserSamples.Node();
        request.LeaseSeconds = seconds;
        var errors = new ValidationErrors();

        var spec = _parser.ParseNode(request, pathId: null, errors);

        Assert.Null(spec);
        Assert.Equal(["leaseSeconds"], errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3600)]
    public void ParseNode_LeaseAtBounds_IsAccepted(double seconds)
    {
        var request = ParserSamples.Node();
        request.LeaseSeconds = seconds;
        var errors = new ValidationErrors();

        var spec = _parser.ParseNode(request, pathId: null, errors);

        Assert.NotNull(spec);
        Assert.Equal(TimeSpan.FromSeconds(seconds), spec.Lease);
    }
}
