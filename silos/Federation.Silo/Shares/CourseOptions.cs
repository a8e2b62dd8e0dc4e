namespace Federation.Silo.Shares;

/// <summary>A course registered in this nation (<c>Federation:Shares:Courses:{id}</c>): student-tier jobs name it.</summary>
public sealed class CourseOptions
{
    /// <summary>The supervisor's subject (<c>{issuer}:{sub}</c>), who may submit for the course too. Required.</summary>
    public string Supervisor { get; set; } = "";

    /// <summary>The course's title, for people.</summary>
    public string? Title { get; set; }
}
