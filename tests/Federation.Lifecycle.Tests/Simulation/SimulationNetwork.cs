namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The links between the nations of a simulated run: which are cut, and for each message sent, how
/// many copies arrive and after which delays. Nations are numbered 0..n-1 here; a nation's link to
/// itself is never cut and never loses or duplicates.
/// </summary>
public sealed class SimulationNetwork
{
    private readonly bool[,] _cut;
    private readonly Dictionary<(int From, int To), OpenBatch> _open = [];

    public SimulationNetwork(int nations)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nations);
        _cut = new bool[nations, nations];
        Nations = nations;
    }

    /// <summary>How many nations the network joins.</summary>
    public int Nations { get; }

    /// <summary>How messages between different nations are batched; <see langword="null"/>: one message per request.</summary>
    public SimulationNetworkBatching? Batching { get; init; }

    /// <summary>The run's time, which batching needs to know which messages share a batch.</summary>
    public Func<TimeSpan>? Clock { get; init; }

    /// <summary>The current faults of links between different nations.</summary>
    public SimulationNetworkFaults Faults { get; set; } = SimulationNetworkFaults.Calm;

    /// <summary>True when messages between <paramref name="a"/> and <paramref name="b"/> are lost (both ways).</summary>
    public bool IsCut(int a, int b) => _cut[a, b];

    /// <summary>Cuts the link between two different nations, both ways.</summary>
    public void Cut(int a, int b)
    {
        if (a == b)
        {
            throw new ArgumentException($"A nation's link to itself cannot be cut (nation {a}).", nameof(b));
        }

        _cut[a, b] = _cut[b, a] = true;
    }

    /// <summary>Heals the link between two nations.</summary>
    public void Heal(int a, int b) => _cut[a, b] = _cut[b, a] = false;

    /// <summary>Heals every link.</summary>
    public void HealAll() => Array.Clear(_cut);

    /// <summary>True when any link is cut.</summary>
    public bool AnyCut()
    {
        foreach (var cut in _cut)
        {
            if (cut)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The delays of the copies of one message from <paramref name="from"/> to <paramref name="to"/>
    /// that will arrive: none when it is lost (or the link is cut), one, or two when duplicated.
    /// </summary>
    public int Plan(int from, int to, SimulationRandom random, Span<TimeSpan> delays)
    {
        if (delays.Length < 2)
        {
            throw new ArgumentException("Room for two copies is needed.", nameof(delays));
        }

        if (from == to)
        {
            delays[0] = Faults.MinDelay;
            return 1;
        }

        if (Batching is { } batching && Clock is { } clock)
        {
            return PlanBatched(from, to, random, delays, batching, clock());
        }

        if (_cut[from, to] || random.Chance(Faults.Drop))
        {
            return 0;
        }

        var copies = random.Chance(Faults.Duplicate) ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            delays[i] = random.Chance(Faults.Slow)
                ? random.Between(Faults.MaxDelay, Faults.SlowDelay)
                : random.Between(Faults.MinDelay, Faults.MaxDelay);
        }

        return copies;
    }

    /// <summary>One message's copies when it joins the batch open on its link (or opens one): the batch's fate, then its own.</summary>
    private int PlanBatched(int from, int to, SimulationRandom random, Span<TimeSpan> delays, SimulationNetworkBatching batching, TimeSpan now)
    {
        if (!_open.TryGetValue((from, to), out var batch) || now > batch.OpenedAt + batching.Window || batch.Count >= batching.MaxMessages)
        {
            // A new request: lost, duplicated or delayed as a whole, sent when its window closes.
            var copies = _cut[from, to] || random.Chance(Faults.Drop) ? 0 : random.Chance(Faults.Duplicate) ? 2 : 1;
            batch = new OpenBatch(now, copies);
            for (var i = 0; i < copies; i++)
            {
                batch.Arrivals[i] = now + batching.Window + (random.Chance(Faults.Slow)
                    ? random.Between(Faults.MaxDelay, Faults.SlowDelay)
                    : random.Between(Faults.MinDelay, Faults.MaxDelay));
            }

            _open[(from, to)] = batch;
        }

        batch.Count++;
        if (batch.Copies == 0 || _cut[from, to] || random.Chance(Faults.EntryLoss))
        {
            return 0;
        }

        for (var i = 0; i < batch.Copies; i++)
        {
            // Entries of one batch land together, in any order among themselves.
            delays[i] = batch.Arrivals[i] - now + random.Between(TimeSpan.Zero, batching.Window);
        }

        return batch.Copies;
    }

    private sealed class OpenBatch(TimeSpan openedAt, int copies)
    {
        public TimeSpan OpenedAt { get; } = openedAt;

        public int Copies { get; } = copies;

        public TimeSpan[] Arrivals { get; } = new TimeSpan[2];

        public int Count { get; set; }
    }
}
