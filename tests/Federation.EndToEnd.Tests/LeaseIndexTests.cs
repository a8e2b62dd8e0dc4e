using System.Text.Json.Nodes;
using Federation.Testing;
using Npgsql;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Issue 15, item 3, on real processes and PostgreSQL: a job costs no reminder row. Jobs (in DE)
/// and executions (in FR) keep their wake-up entries in the lease index; each nation has one
/// reminder for its lease sweeper, however many jobs it runs.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(JobScenarios.Name)]
public sealed class LeaseIndexTests
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ReminderRows_DoNotGrowWithJobs_LeaseEntriesComeAndGo()
    {
        await using var federation = await JobFederation.StartAsync(
            new Dictionary<string, (string, string, int)[]> { ["FR"] = [("fr-a100", "a100-80gb-sxm", 4)] },
            new Dictionary<string, IReadOnlyList<string>> { ["*"] = ["--Federation:Leases:SweepSeconds=1"] });
        await federation.RegisterDatasetAsync("FR/cancer-registry", 1_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });

        // One job: while it runs, its entries are in DE's and FR's lease index.
        await federation.SubmitAsync("DE", JobFederation.Job("lease-0", "FR/cancer-registry", estimatedHours: 1));
        await federation.WaitJobAsync("DE", "lease-0", j => j["state"]!.GetValue<string>() == "running", s_runTimeout, "DE/lease-0 running in FR");
        Assert.Equal(1L, await ScalarAsync(federation, "DE", "SELECT count(*) FROM lease WHERE kind = 'job' AND key = 'DE/lease-0'"));
        Assert.Equal(1L, await ScalarAsync(federation, "FR", "SELECT count(*) FROM lease WHERE kind = 'execution' AND key = 'exec-DE/lease-0/1'"));
        await federation.WaitJobAsync("DE", "lease-0", j => j["state"]!.GetValue<string>() == "succeeded", s_runTimeout, "DE/lease-0 succeeded");
        var afterOne = (DE: await RemindersAsync(federation, "DE"), FR: await RemindersAsync(federation, "FR"));

        // Ten more.
        const int more = 10;
        for (var i = 1; i <= more; i++)
        {
            await federation.SubmitAsync("DE", JobFederation.Job($"lease-{i}", "FR/cancer-registry", estimatedHours: 0.25));
        }

        for (var i = 1; i <= more; i++)
        {
            await federation.WaitJobAsync("DE", $"lease-{i}", j => j["state"]!.GetValue<string>() == "succeeded", s_runTimeout, $"DE/lease-{i} succeeded");
        }

        var afterEleven = (DE: await RemindersAsync(federation, "DE"), FR: await RemindersAsync(federation, "FR"));
        TestContext.Current.TestOutputHelper?.WriteLine($"reminder rows after 1 job: DE [{string.Join(", ", afterOne.DE)}], FR [{string.Join(", ", afterOne.FR)}]; after {1 + more}: DE [{string.Join(", ", afterEleven.DE)}], FR [{string.Join(", ", afterEleven.FR)}]");
        Assert.Equal(afterOne.DE, afterEleven.DE);
        Assert.Equal(afterOne.FR, afterEleven.FR);
        Assert.Contains("lease-sweeper/nation lease-sweep", afterEleven.DE);
        Assert.Contains("lease-sweeper/nation lease-sweep", afterEleven.FR);
        Assert.DoesNotContain(afterEleven.DE.Concat(afterEleven.FR), r => r.StartsWith("job/", StringComparison.Ordinal) || r.StartsWith("execution/", StringComparison.Ordinal));

        // DE keeps one entry per finished job, due when its retention (30 days) ends.
        await Eventually.WaitAsync(
            () => ScalarAsync(federation, "DE", "SELECT count(*) FROM lease WHERE kind = 'job' AND due > now() + interval '29 days'"),
            n => n == 1 + more, TimeSpan.FromSeconds(30), $"DE's {1 + more} job entries due at the end of their retention{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));

        // FR's finished executions owe nothing: each removes its own entry once its last report is
        // delivered, without waiting for the sweeper (whose claims come at the 10-minute recheck).
        await Eventually.WaitAsync(
            () => ScalarAsync(federation, "FR", "SELECT count(*) FROM lease"),
            n => n == 0, TimeSpan.FromSeconds(30), $"FR's lease index empty once its executions finished{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
    }

    private static async Task<List<string>> RemindersAsync(JobFederation federation, string nation)
    {
        await using var dataSource = NpgsqlDataSource.Create(federation.DatabaseConnectionString(nation));
        await using var command = dataSource.CreateCommand("SELECT grainid || ' ' || remindername FROM orleansreminderstable ORDER BY 1");
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task<long> ScalarAsync(JobFederation federation, string nation, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(federation.DatabaseConnectionString(nation));
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
