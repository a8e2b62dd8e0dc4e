using System.Diagnostics;
using System.Net;
using Federation.Testing;

namespace Federation.Silo.Tests;

/// <summary>
/// PostgreSQL restarts while writes go on: every acknowledged write survives, requests during the
/// outage get 503 problem+json, and service resumes without restarting the silo.
/// </summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    /// <summary>Command that restarts the test server; .ci/run's server is the newest local cluster.</summary>
    private const string RestartVariable = "FEDERATION_TEST_POSTGRES_RESTART";

    private PostgresTestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync(nameof(PostgresOutageTests));

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task PostgresRestartedDuringWrites_AcknowledgedWritesSurvive_OutageAnswers503_ServiceResumes()
    {
        var ct = TestContext.Current.CancellationToken;
        var acknowledged = new List<string>();
        var unavailable = 0;
        var next = 0;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            async Task WriteOneAsync()
            {
                var id = $"outage-{next++:0000}";
                var response = await silo.Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset(id)), ct);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(id);
                }
                else
                {
                    var problem = await Http.ExpectProblemAsync(response, HttpStatusCode.ServiceUnavailable);
                    Assert.Contains("Retry", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
                    unavailable++;
                }
            }

            for (var i = 0; i < 5; i++)
            {
                await WriteOneAsync();
            }

            Assert.Equal(5, acknowledged.Count);
            using var restart = StartRestart();
            while (!restart.HasExited)
            {
                await WriteOneAsync();
            }

            if (restart.ExitCode != 0)
            {
                // pg_ctlcluster can report a failed start when clients hammer the server while it starts (their
                // "the database system is starting up" lines), though the server came up: accept it only if it answers.
                var errors = await restart.StandardError.ReadToEndAsync(ct);
                using var ready = Process.Start(new ProcessStartInfo("pg_isready", ["-h", "127.0.0.1", "-t", "30"]) { RedirectStandardOutput = true })
                    ?? throw new InvalidOperationException("could not run pg_isready");
                await ready.WaitForExitAsync(ct);
                Assert.True(ready.ExitCode == 0, $"restarting PostgreSQL failed and the server does not answer: {errors}");
                TestContext.Current.TestOutputHelper?.WriteLine($"the restart command exited {restart.ExitCode} but the server answers: {errors}");
            }

            // Service resumes by itself: keep writing until five more writes in a row succeed.
            var before = acknowledged.Count;
            await Eventually.WaitAsync(
                async () =>
                {
                    await WriteOneAsync();
                    return acknowledged.Count - before;
                },
                n => n >= 5,
                TimeSpan.FromSeconds(60),
                "writes to succeed again after PostgreSQL restarted, without restarting the silo",
                TimeSpan.FromMilliseconds(50));

            TestContext.Current.TestOutputHelper?.WriteLine($"{next} writes: {acknowledged.Count} acknowledged, {unavailable} answered 503 during the outage");
            foreach (var id in acknowledged)
            {
                await Http.ExpectAsync(await silo.Client.GetAsync($"/api/v1/datasets/{id}", ct), HttpStatusCode.OK);
            }
        }

        // And from PostgreSQL itself, through a fresh silo.
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            foreach (var id in acknowledged)
            {
                var dataset = await Http.ExpectAsync(await silo.Client.GetAsync($"/api/v1/datasets/{id}", ct), HttpStatusCode.OK);
                Assert.Equal(id, dataset["spec"]!["id"]!.GetValue<string>());
            }
        }
    }

    private static Process StartRestart()
    {
        var command = Environment.GetEnvironmentVariable(RestartVariable) is { Length: > 0 } c
            ? c
            : "pg_ctlcluster $(ls /usr/lib/postgresql | sort -n | tail -n 1) main restart";
        var start = new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true };
        return Process.Start(start) ?? throw new InvalidOperationException($"could not run '{command}' to restart PostgreSQL (set {RestartVariable})");
    }
}
