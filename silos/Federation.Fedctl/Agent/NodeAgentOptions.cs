using Federation.Contracts.Ids;

namespace Federation.Fedctl.Agent;

/// <summary>What a node agent needs: where the silo is, which token to send, and the node it speaks for.</summary>
public sealed record NodeAgentOptions
{
    /// <summary>Default lease when none is given, as the silo's own default.</summary>
    public const double DefaultLeaseSeconds = 30;

    /// <summary>Default cap of the delay between retries while the silo is unreachable.</summary>
    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Default time an API request may take before the agent counts it as failed.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The silo's user API, such as <c>http://127.0.0.1:5180</c> (a trailing <c>/api/v1</c> is accepted).</summary>
    public required Uri ApiUrl { get; init; }

    /// <summary>
    /// The node's own token (<c>Federation:Auth:NodeTokens:&lt;node-id&gt;</c>) or an operator token;
    /// null for an open (embedded) nation, which needs none.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>The node this agent speaks for.</summary>
    public required NodeId NodeId { get; init; }

    /// <summary>Data centre or site name; required with <see cref="Register"/>.</summary>
    public string? Site { get; init; }

    /// <summary>Accelerator slug of the shipped table (e.g. <c>h100-sxm</c>); required with <see cref="Register"/>.</summary>
    public AcceleratorSlug? Accelerator { get; init; }

    /// <summary>Number of accelerators; required with <see cref="Register"/>.</summary>
    public int? Count { get; init; }

    /// <summary>Memory per accelerator in GB; null lets the silo take the accelerator table's figure.</summary>
    public double? MemoryGb { get; init; }

    /// <summary>How long one heartbeat keeps the node up, in seconds.</summary>
    public double LeaseSeconds { get; init; } = DefaultLeaseSeconds;

    /// <summary>Time between heartbeats; null means a third of the lease.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Also register the node, or update it to this spec (needs an operator token).</summary>
    public bool Register { get; init; }

    /// <summary>Cap of the exponential backoff between retries while the silo is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = DefaultMaxRetryDelay;

    /// <summary>Time an API request may take before the agent counts it as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>The lease as a time span.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>The interval in effect: <see cref="HeartbeatInterval"/>, else a third of the lease.</summary>
    public TimeSpan EffectiveHeartbeatInterval => HeartbeatInterval ?? Lease / 3;

    /// <summary>Every problem of these options, each naming the property and the rule; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!ApiUrl.IsAbsoluteUri || (ApiUrl.Scheme != Uri.UriSchemeHttp && ApiUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"NodeAgentOptions.ApiUrl must be an absolute http or https URL, got '{ApiUrl}'");
        }

        if (Token is not null && string.IsNullOrWhiteSpace(Token))
        {
            errors.Add("NodeAgentOptions.Token must be a token (the node's, Federation:Auth:NodeTokens:<node-id>, or an operator's) or null for an open nation, not blank");
        }

        if (NodeId.Value is null)
        {
            errors.Add("NodeAgentOptions.NodeId is required");
        }

        if (!double.IsFinite(LeaseSeconds) || LeaseSeconds <= 0)
        {
            errors.Add($"NodeAgentOptions.LeaseSeconds must be a positive number of seconds, got {LeaseSeconds}");
        }
        else if (EffectiveHeartbeatInterval <= TimeSpan.Zero || EffectiveHeartbeatInterval >= Lease)
        {
            errors.Add($"NodeAgentOptions.HeartbeatInterval must be positive and shorter than the lease ({LeaseSeconds} s), got {EffectiveHeartbeatInterval.TotalSeconds} s");
        }

        if (Count is <= 0)
        {
            errors.Add($"NodeAgentOptions.Count must be at least 1, got {Count}");
        }

        if (MemoryGb is { } memory && (!double.IsFinite(memory) || memory <= 0))
        {
            errors.Add($"NodeAgentOptions.MemoryGb must be a positive number of GB, got {memory}");
        }

        if (MaxRetryDelay <= TimeSpan.Zero)
        {
            errors.Add($"NodeAgentOptions.MaxRetryDelay must be positive, got {MaxRetryDelay}");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"NodeAgentOptions.RequestTimeout must be positive, got {RequestTimeout}");
        }

        if (Register)
        {
            if (string.IsNullOrWhiteSpace(Site))
            {
                errors.Add("NodeAgentOptions.Site is required to register the node (--site)");
            }

            if (Accelerator is null)
            {
                errors.Add("NodeAgentOptions.Accelerator is required to register the node (--accelerator)");
            }

            if (Count is null)
            {
                errors.Add("NodeAgentOptions.Count is required to register the node (--count)");
            }
        }

        return errors;
    }
}
