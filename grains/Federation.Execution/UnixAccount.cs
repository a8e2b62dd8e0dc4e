using System.Globalization;

namespace Federation.Execution;

/// <summary>The unprivileged account workloads run as (section <c>Federation:Executor:RunAs</c>).</summary>
/// <param name="Name">The account name.</param>
/// <param name="Uid">Its user id.</param>
/// <param name="Gid">Its primary group id.</param>
public sealed record UnixAccount(string Name, int Uid, int Gid)
{
    /// <summary>Looks <paramref name="name"/> up in <c>/etc/passwd</c>; null when there is no such account.</summary>
    public static UnixAccount? Find(string name, string passwd = "/etc/passwd")
    {
        if (!File.Exists(passwd))
        {
            return null;
        }

        foreach (var line in File.ReadLines(passwd))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                return new UnixAccount(name, uid, gid);
            }
        }

        return null;
    }

    /// <summary>True when this process runs as root (and so may switch to another account).</summary>
    public static bool ProcessIsRoot => Environment.UserName == "root";
}
