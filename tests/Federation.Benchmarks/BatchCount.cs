namespace Federation.Benchmarks;

/// <summary>Messages the batched federation transport sent to one peer, in how many HTTPS requests, and the largest batch.</summary>
internal readonly record struct BatchCount(long Messages, long Requests, long Largest)
{
    /// <summary>Messages per request (NaN without a request).</summary>
    public double PerRequest => Requests == 0 ? double.NaN : (double)Messages / Requests;

    /// <summary>What was sent between <paramref name="start"/> and this count (the largest batch is the one so far).</summary>
    public BatchCount Since(BatchCount start) => new(Messages - start.Messages, Requests - start.Requests, Largest);
}
