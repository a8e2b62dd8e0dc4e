namespace Federation.Silo.Options;

/// <summary>
/// Where this nation's dataset files may live (section <c>Federation:Data</c>). A dataset's
/// <c>file:</c> location must resolve, symbolic links included, inside one of <see cref="Roots"/>;
/// registration, the content endpoint and the stager refuse any other.
/// </summary>
public sealed class DataOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Data";

    /// <summary>
    /// Absolute directories holding dataset files. Unset: <c>&lt;LocalApplicationData&gt;/federation/&lt;CODE&gt;/data</c>
    /// (<see cref="DefaultRoot"/>); the local launcher passes <c>&lt;state dir&gt;/&lt;CODE&gt;/data</c>.
    /// </summary>
    public List<string> Roots { get; set; } = [];

    /// <summary>The data root used when none is configured (under the temporary folder when the user has no local application data folder).</summary>
    public static string DefaultRoot(string nationCode)
    {
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(local) ? Path.GetTempPath() : local, "federation", nationCode, "data");
    }

    /// <summary>The first configured root, else <see cref="DefaultRoot"/>.</summary>
    public string FirstRoot(string nationCode) =>
        Roots.FirstOrDefault(r => !string.IsNullOrWhiteSpace(r)) ?? DefaultRoot(nationCode);
}
