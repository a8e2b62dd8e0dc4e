namespace Federation.Silo.Auth;

/// <summary>
/// The roles of a nation's user API. Consortium member, consortium lead and student are held for a
/// scope (a consortium or a course); the others for the whole nation.
/// </summary>
public static class Roles
{
    /// <summary>Runs the nation: every endpoint, role grants, tokens of others.</summary>
    public const string NationAdmin = "nation-admin";

    /// <summary>Runs the catalogue and the nodes; sees every job.</summary>
    public const string Operator = "operator";

    /// <summary>Member of a consortium: submits for it, sees, cancels and reads the outputs of its jobs.</summary>
    public const string ConsortiumMember = "consortium-member";

    /// <summary>Lead of a consortium: what a member may, and grants membership of it.</summary>
    public const string ConsortiumLead = "consortium-lead";

    /// <summary>Reads everything (jobs, decisions, grants), changes nothing.</summary>
    public const string Auditor = "auditor";

    /// <summary>Watches the nation: the dashboard and the overview, every job read-only.</summary>
    public const string PlatformStaff = "platform-staff";

    /// <summary>Student of a course: submits and sees their own jobs.</summary>
    public const string Student = "student";

    /// <summary>A node agent (configured node tokens only): its own node's heartbeats.</summary>
    public const string Node = "node";

    /// <summary>The roles a person may hold (everything but <see cref="Node"/>).</summary>
    public static IReadOnlyList<string> People { get; } = [NationAdmin, Operator, ConsortiumMember, ConsortiumLead, Auditor, PlatformStaff, Student];

    /// <summary>Whether <paramref name="role"/> is held for a scope (a consortium or a course).</summary>
    public static bool IsScoped(string role) => role is ConsortiumMember or ConsortiumLead or Student;

    /// <summary>Checks a role name and its scope; null when valid, else a message naming the rule.</summary>
    public static string? Check(string role, string? scope)
    {
        if (!People.Contains(role))
        {
            return $"'{role}' is not a role: {string.Join(", ", People)}";
        }

        if (IsScoped(role) && string.IsNullOrWhiteSpace(scope))
        {
            return $"the role {role} is held for a {(role == Student ? "course" : "consortium")}: name it";
        }

        if (!IsScoped(role) && !string.IsNullOrEmpty(scope))
        {
            return $"the role {role} is held for the whole nation: it takes no scope";
        }

        if (scope is { Length: > 0 } && (scope.Length > 100 || scope.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
        {
            return $"scope '{scope}' must be 1 to 100 letters, digits, '-', '_' or '.'";
        }

        return null;
    }
}
