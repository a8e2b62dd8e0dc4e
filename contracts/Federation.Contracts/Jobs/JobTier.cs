namespace Federation.Contracts.Jobs;

/// <summary>Which tier a job's accelerators are shared under.</summary>
public enum JobTier
{
    /// <summary>Research: ranked by its nation's fair share and its consortium's quota.</summary>
    Standard = 0,

    /// <summary>Education: tied to a registered course; a small guaranteed quota per nation, low priority beyond it, short walltimes, caps per student and course.</summary>
    Student = 1,
}
