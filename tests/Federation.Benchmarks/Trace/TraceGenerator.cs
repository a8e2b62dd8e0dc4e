namespace Federation.Benchmarks.Trace;

/// <summary>
/// A seeded synthetic trace shaped by <see cref="TraceStatistics"/>: diurnal arrivals, GPU counts and a
/// log-normal run time (rounded up to whole hours, capped at <see cref="MaxHours"/>), input data placed
/// with residency rules, consortia and a student tier, and deadlines with slack for deferrable jobs.
/// </summary>
internal static class TraceGenerator
{
    public const int MaxHours = 48;

    /// <summary>Hours of slack a deferrable job may get before its deadline.</summary>
    private static readonly int[] s_slack = [6, 12, 24, 48];

    public static List<TraceJob> Generate(TraceWorld world, int jobs, int days, int seed)
    {
        var random = new Random(seed);
        var nations = world.Nations.Length;
        var arrivals = new int[jobs];
        var hourWeights = TraceStatistics.HourShape;
        for (var i = 0; i < jobs; i++)
        {
            // The users' day is Central European: UTC+1.
            var local = Pick(random, hourWeights);
            arrivals[i] = (random.Next(days) * 24) + ((local + 23) % 24);
        }

        Array.Sort(arrivals);
        var list = new List<TraceJob>(jobs);
        for (var i = 0; i < jobs; i++)
        {
            var student = random.NextDouble() < 0.05;
            var gpus = student ? 1 : Pick(random, TraceStatistics.GpuShares) switch
            {
                0 => 1,
                1 => random.Next(2) == 0 ? 2 : 4,
                2 => 8,
                _ => 16,
            };
            var seconds = Math.Exp(Math.Log(TraceStatistics.MedianRunSeconds) + (TraceStatistics.RunSigma * Normal(random)));
            var hours = Math.Clamp((int)Math.Ceiling(seconds / 3600), 1, student ? 2 : MaxHours);
            var home = Pick(random, world.SubmitShare);
            var dataHome = random.NextDouble() < 0.8 ? home : random.Next(nations);
            var kind = random.NextDouble();
            var other = (dataHome + 1 + random.Next(nations - 1)) % nations;
            var allowed = kind < 0.55 ? (1 << nations) - 1 : kind < 0.85 ? 1 << dataHome : (1 << dataHome) | (1 << other);
            var bytes = (long)Math.Exp(Math.Log(20e9) + (1.5 * Normal(random)));
            var consortium = student ? world.Consortia.Length - 1 : Pick(random, world.ConsortiumShare);
            var deferrable = random.NextDouble() < 0.7;
            var slack = deferrable ? s_slack[random.Next(s_slack.Length)] : 2;
            list.Add(new TraceJob(i, arrivals[i], gpus, hours, seconds, home, dataHome, allowed, kind >= 0.55, bytes, consortium, deferrable, arrivals[i] + hours + slack));
        }

        return list;
    }

    private static int Pick(Random random, double[] weights)
    {
        var x = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
