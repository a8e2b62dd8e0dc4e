namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// How job messages to one peer are coalesced into batches (section <c>Federation:Peering:Batch</c>), and
/// what this nation accepts on <c>POST /federation/v1/jobs/batches</c>; checked by <see cref="MessageBatchOptionsValidator"/>.
/// </summary>
public sealed class MessageBatchOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Peering:Batch";

    /// <summary>Default of <see cref="MaxMessages"/>.</summary>
    public const int DefaultMaxMessages = 256;

    /// <summary>Default of <see cref="MaxBytes"/>: 512 KiB, half the default request body limit.</summary>
    public const long DefaultMaxBytes = 512 * 1024;

    /// <summary>Default of <see cref="FlushMilliseconds"/>.</summary>
    public const int DefaultFlushMilliseconds = 2;

    /// <summary>
    /// Send batches to peers that take them, and take them from peers (advertised in <c>hello</c>).
    /// False: one message per request on its own route, both ways, as a nation before batches did.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most messages in one batch, sent or received (1 to 4096).</summary>
    public int MaxMessages { get; set; } = DefaultMaxMessages;

    /// <summary>
    /// Most bytes of one batch's body, sent or received (4096 to 16 MiB; a receiver also holds it to
    /// <c>Federation:MaxRequestBodyBytes</c>). A message larger on its own goes on its own route.
    /// </summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>
    /// How long the first message of a batch waits for others before the batch is sent, while an earlier
    /// batch to the same peer is still on its way (0 to 1000 ms; 0 sends at once whatever has gathered).
    /// A message to a peer with no batch on its way leaves at once (<see cref="BatchBounds.SendWhenIdle"/>).
    /// </summary>
    public int FlushMilliseconds { get; set; } = DefaultFlushMilliseconds;

    /// <summary>The bounds the coalescer applies.</summary>
    public BatchBounds ToBounds() => new(MaxMessages, MaxBytes, TimeSpan.FromMilliseconds(FlushMilliseconds)) { SendWhenIdle = true };
}
