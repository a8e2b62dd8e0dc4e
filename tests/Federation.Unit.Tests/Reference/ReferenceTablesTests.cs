using Federation.Contracts.Ids;
using Federation.Reference;

namespace Federation.Unit.Tests.Reference;

public sealed class ReferenceTablesTests
{
    private static readonly AcceleratorSlug s_h100 = TypedId.Parse<AcceleratorSlug>("h100-sxm");

    [Fact]
    public void Shipped_H100Sxm_Has700WattsAnd80GbWithSource()
    {
        var h100 = ReferenceTables.Shipped.FindAccelerator(s_h100);

        Assert.NotNull(h100);
        Assert.Equal(700, h100.TdpWatts);
        Assert.Equal(80, h100.MemoryGb);
        Assert.False(string.IsNullOrWhiteSpace(h100.Source));
        Assert.NotEqual(ReferenceTables.ConfigurationSource, h100.Source);
    }

    [Fact]
    public void Shipped_Accelerators_AllHavePositiveFiguresAndSources()
    {
        var accelerators = ReferenceTables.Shipped.Accelerators.ToList();

        Assert.NotEmpty(accelerators);
        Assert.All(accelerators, a =>
        {
            Assert.True(a.TdpWatts > 0, $"{a.Slug}: TDP {a.TdpWatts}");
            Assert.True(a.MemoryGb > 0, $"{a.Slug}: memory {a.MemoryGb}");
            Assert.False(string.IsNullOrWhiteSpace(a.Source), $"{a.Slug}: no source");
        });
    }

    [Fact]
    public void Shipped_UnknownSlug_IsNotFound()
    {
        Assert.Null(ReferenceTables.Shipped.FindAccelerator(TypedId.Parse<AcceleratorSlug>("tpu-v9")));
    }

    [Fact]
    public void Load_OverrideOfShippedSlug_ReplacesFigureKeepsOthersAndMarksConfigurationSource()
    {
        var tables = ReferenceTables.Load(new ReferenceOverrides
        {
            Accelerators = { ["h100-sxm"] = new AcceleratorOverride { TdpWatts = 650 } },
        });

        var h100 = tables.FindAccelerator(s_h100);

        Assert.NotNull(h100);
        Assert.Equal(650, h100.TdpWatts);
        Assert.Equal(80, h100.MemoryGb);
        Assert.Equal("NVIDIA H100 SXM", h100.Model);
        Assert.Equal(ReferenceTables.ConfigurationSource, h100.Source);
        Assert.Equal(700, ReferenceTables.Shipped.FindAccelerator(s_h100)!.TdpWatts);
    }

    [Fact]
    public void Load_NewSlugWithAllFigures_AddsItFromConfiguration()
    {
        var tables = ReferenceTables.Load(new ReferenceOverrides
        {
            Accelerators = { ["lab-gpu"] = new AcceleratorOverride { Model = "Lab GPU", MemoryGb = 24, TdpWatts = 120 } },
        });

        var added = tables.FindAccelerator(TypedId.Parse<AcceleratorSlug>("lab-gpu"));

        Assert.NotNull(added);
        Assert.Equal(120, added.TdpWatts);
        Assert.Equal(ReferenceTables.ConfigurationSource, added.Source);
    }

    [Fact]
    public void Load_NewSlugWithoutTdpWatts_ThrowsNamingTheKey()
    {
        var overrides = new ReferenceOverrides
        {
            Accelerators = { ["lab-gpu"] = new AcceleratorOverride { Model = "Lab GPU", MemoryGb = 24 } },
        };

        var e = Assert.Throws<ArgumentException>(() => ReferenceTables.Load(overrides));

        Assert.Contains("Federation:Reference:Accelerators:lab-gpu:TdpWatts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidSlug_ThrowsNamingTheRule()
    {
        var overrides = new ReferenceOverrides
        {
            Accelerators = { ["Lab GPU"] = new AcceleratorOverride { Model = "Lab GPU", MemoryGb = 24, TdpWatts = 120 } },
        };

        var e = Assert.Throws<ArgumentException>(() => ReferenceTables.Load(overrides));

        Assert.Contains("'Lab GPU'", e.Message, StringComparison.Ordinal);
        Assert.Contains(IdSyntax.SlugRule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_GridFr_Is55Point2WithSource()
    {
        var france = ReferenceTables.Shipped.FindGridZone("FR");

        Assert.NotNull(france);
        Assert.Equal(55.2, france.Gco2PerKwh);
        Assert.False(string.IsNullOrWhiteSpace(france.Source));
    }

    [Fact]
    public void Load_GridOverride_ReplacesFigureAndMarksConfigurationSource()
    {
        var tables = ReferenceTables.Load(new ReferenceOverrides { GridIntensity = { ["FR"] = 48.5 } });

        var france = tables.FindGridZone("FR");

        Assert.NotNull(france);
        Assert.Equal(48.5, france.Gco2PerKwh);
        Assert.Equal(ReferenceTables.ConfigurationSource, france.Source);
        Assert.Equal(55.2, ReferenceTables.Shipped.FindGridZone("FR")!.Gco2PerKwh);
    }

    [Fact]
    public void Load_NegativeGridOverride_ThrowsNamingTheZone()
    {
        var e = Assert.Throws<ArgumentException>(() => ReferenceTables.Load(new ReferenceOverrides { GridIntensity = { ["FR"] = -1 } }));

        Assert.Contains("GridIntensity:FR", e.Message, StringComparison.Ordinal);
    }
}
