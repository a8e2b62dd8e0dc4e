using CsCheck;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Reference;
using Federation.Routing.Energy;
using Federation.Testing;

namespace Federation.Routing.Tests.Energy;

/// <summary>Examples and properties of <see cref="EnergyModel"/>, <see cref="PowerFigure"/> and <see cref="EnergyBill"/>.</summary>
public sealed class EnergyModelTests
{
    private static readonly int Iterations = TestProfile.Pick(ci: 2_000, full: 50_000);

    private static readonly AcceleratorSpec H100 = ReferenceTables.Shipped.FindAccelerator(RouterFixtures.H100)!;

    private static readonly Gen<double> Hours = Gen.Double[0, 10_000];
    private static readonly Gen<double> Watts = Gen.Double[0, 20_000];
    private static readonly Gen<double> Pue = Gen.Double[1, 3];
    private static readonly Gen<long> Bytes = Gen.Long[0, 10_000_000_000_000];
    private static readonly Gen<double> PerGb = Gen.Double[0, 1];
    private static readonly Gen<double> Intensity = Gen.Double[0, 1_000];

    private static bool Close(double expected, double actual) => Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected));

    [Fact]
    public void Of_TwoH100ForThreeHours_ComputesComputeTransferAndEmissions()
    {
        // 2 x 700 W for 3 h at PUE 1.2 = 5.04 kWh; 50 GB at 0.06 kWh/GB = 3 kWh; 8.04 kWh at 50 g/kWh = 402 g.
        var energy = EnergyModel.Of(PowerFigure.Tdp(H100, 2), 3, 1.2, 50_000_000_000, 0.06, 50);

        Assert.Equal(1400, energy.Power.Watts);
        Assert.Equal(5.04, energy.ComputeKwh, 9);
        Assert.Equal(3, energy.TransferKwh, 9);
        Assert.Equal(8.04, energy.TotalKwh, 9);
        Assert.Equal(252, energy.ComputeGco2e, 9);
        Assert.Equal(150, energy.TransferGco2e, 9);
        Assert.Equal(402, energy.TotalGco2e, 9);
        Assert.Equal("tdp-estimate", energy.Method);
    }

    [Fact]
    public void Of_MeasuredPower_IsBilledAsMeasured()
    {
        var energy = EnergyModel.Of(PowerFigure.Measured(950), 2, 1.1, 0, 0.06, 100);

        Assert.Equal("measured", energy.Method);
        Assert.Equal(PowerSource.Measured, energy.Power.Source);
        Assert.Equal(2.09, energy.TotalKwh, 9);
        Assert.Equal(209, energy.TotalGco2e, 9);
    }

    [Fact]
    public void Tdp_ModelNotInTable_IsZeroWattsEstimate()
    {
        var figure = PowerFigure.Tdp(null, 4);

        Assert.Equal(0, figure.Watts);
        Assert.Equal("tdp-estimate", figure.Method);
    }

    [Fact]
    public void ShareOf_TwoOfEightAccelerators_IsAQuarterOfTheNodesDraw() =>
        Assert.Equal(800, PowerFigure.ShareOf(3200, 8, 2), 9);

    [Theory]
    [InlineData(double.NaN, 1, 1, 0, 0.06, 0, "runHours")]
    [InlineData(-1, 1, 1, 0, 0.06, 0, "runHours")]
    [InlineData(1, 1, 0, 0, 0.06, 0, "pue")]
    [InlineData(1, 1, double.PositiveInfinity, 0, 0.06, 0, "pue")]
    [InlineData(1, 1, 1, -1, 0.06, 0, "transferBytes")]
    [InlineData(1, 1, 1, 0, -0.06, 0, "kwhPerGb")]
    [InlineData(1, 1, 1, 0, 0.06, -5, "gridIntensityGco2PerKwh")]
    public void Of_BadFigure_IsRefusedNamingIt(double hours, double watts, double pue, long bytes, double perGb, double intensity, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EnergyModel.Of(new PowerFigure(watts, PowerSource.Measured), hours, pue, bytes, perGb, intensity));

        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void Measured_NegativeOrNotFinite_IsRefused()
    {
        Assert.Equal("watts", Assert.Throws<ArgumentOutOfRangeException>(() => PowerFigure.Measured(-1)).ParamName);
        Assert.Equal("watts", Assert.Throws<ArgumentOutOfRangeException>(() => PowerFigure.Measured(double.NaN)).ParamName);
    }

    [Fact]
    public void Of_TotalIsComputePlusTransfer_AndEmissionsAreTotalTimesIntensity() =>
        Gen.Select(Watts, Hours, Pue, Bytes, PerGb, Intensity).Sample((watts, hours, pue, bytes, perGb, intensity) =>
        {
            var energy = EnergyModel.Of(PowerFigure.Measured(watts), hours, pue, bytes, perGb, intensity);

            return Close(energy.ComputeKwh + energy.TransferKwh, energy.TotalKwh)
                && Close(energy.TotalKwh * intensity, energy.TotalGco2e)
                && Close(energy.ComputeGco2e + energy.TransferGco2e, energy.TotalGco2e)
                && energy.ComputeKwh >= 0 && energy.TransferKwh >= 0;
        }, iter: Iterations);

    [Fact]
    public void Of_ComputeIsLinearInHoursWattsAndPue() =>
        Gen.Select(Watts, Hours, Pue, Gen.Double[0, 10]).Sample((watts, hours, pue, k) =>
        {
            var once = EnergyModel.Of(PowerFigure.Measured(watts), hours, pue, 0, 0, 0).ComputeKwh;

            return Close(once * k, EnergyModel.Of(PowerFigure.Measured(watts), hours * k, pue, 0, 0, 0).ComputeKwh)
                && Close(once * k, EnergyModel.Of(PowerFigure.Measured(watts * k), hours, pue, 0, 0, 0).ComputeKwh)
                && Close(hours * watts / 1000 * pue, once);
        }, iter: Iterations);

    [Fact]
    public void Of_TransferIsAdditiveInBytes_AndIndependentOfCompute() =>
        Gen.Select(Bytes, Bytes, PerGb, Hours, Watts).Sample((a, b, perGb, hours, watts) =>
        {
            var split = EnergyModel.TransferKwh(a, perGb) + EnergyModel.TransferKwh(b, perGb);
            var whole = EnergyModel.Of(PowerFigure.Measured(watts), hours, 1.5, a + b, perGb, 100).TransferKwh;

            return Close(split, whole) && Close(whole, EnergyModel.Of(PowerFigure.Measured(0), 0, 1.5, a + b, perGb, 100).TransferKwh);
        }, iter: Iterations);

    [Fact]
    public void Tdp_IsTableTdpTimesCount_ForEveryModelOfTheTable() =>
        Gen.Int[0, 64].Sample(count =>
        {
            foreach (var spec in ReferenceTables.Shipped.Accelerators)
            {
                var figure = PowerFigure.Tdp(spec, count);
                if (figure.Watts != spec.TdpWatts * count || figure.Source != PowerSource.TdpEstimate)
                {
                    return false;
                }
            }

            return true;
        }, iter: 200);

    [Fact]
    public void Result_CarriesTheEnergyOfTheModel() =>
        Gen.Select(Watts, Hours, Pue, Bytes, PerGb, Intensity).Sample((watts, hours, pue, bytes, perGb, intensity) =>
        {
            var energy = EnergyModel.Of(PowerFigure.Measured(watts), hours, pue, bytes, perGb, intensity);
            var result = EnergyBill.Result(energy, 0, "done", "simulated");

            return result.EnergyKwh == energy.TotalKwh && result.EmissionsGco2e == energy.TotalGco2e && result.TransferKwh == energy.TransferKwh
                && result.StagedBytes == bytes && result.PowerWatts == watts && result.EnergyMethod == "measured"
                && Close(hours * 3600, result.RunSeconds) && result.Executor == "simulated" && result.ExitCode == 0;
        }, iter: Iterations);
}
