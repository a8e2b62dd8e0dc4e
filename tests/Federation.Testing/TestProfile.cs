namespace Federation.Testing;

/// <summary>
/// The size of a test run, from the environment variable <c>FEDERATION_TEST_PROFILE</c>:
/// <c>ci</c> (the default: what <c>.ci/run</c> and the README's test command run) or <c>full</c>
/// (larger samples, run before a release). Suites that have a size pick it here, so that CI stays
/// within its time budget as the product grows while a release still gets the thorough run.
/// </summary>
public static class TestProfile
{
    /// <summary>The environment variable that selects the profile.</summary>
    public const string Variable = "FEDERATION_TEST_PROFILE";

    /// <summary>The default profile: CI-sized suites.</summary>
    public const string Ci = "ci";

    /// <summary>The release profile: every size-dependent suite runs at full size.</summary>
    public const string Full = "full";

    private static readonly Lazy<string> _current = new(() => Parse(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>The profile of this run, <see cref="Ci"/> or <see cref="Full"/>.</summary>
    public static string Current => _current.Value;

    /// <summary>True when the run is the <see cref="Full"/> profile.</summary>
    public static bool IsFull => Current == Full;

    /// <summary>The CI size or the full size of something, by the current profile.</summary>
    public static T Pick<T>(T ci, T full) => IsFull ? full : ci;

    /// <summary>
    /// Reads a profile name: empty or unset is <see cref="Ci"/>; anything but the two names is refused,
    /// so that a typo does not silently run the small suite before a release.
    /// </summary>
    public static string Parse(string? value)
    {
        var name = value?.Trim().ToLowerInvariant();
        return name switch
        {
            null or "" => Ci,
            Ci or Full => name,
            _ => throw new InvalidOperationException(
                $"{Variable}='{value}' is not a test profile: use '{Ci}' (the default) or '{Full}'."),
        };
    }
}
