namespace Federation.Postgres.Tests.OrleansSql.Grains;

/// <summary>Registers, lists and removes reminders, to exercise the reminder table.</summary>
[Alias("fedtest.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task RegisterAsync(string name, TimeSpan period);

    Task<List<string>> ListAsync();

    Task UnregisterAsync(string name);
}
