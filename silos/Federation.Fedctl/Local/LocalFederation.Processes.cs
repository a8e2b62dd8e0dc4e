using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Federation.Fedctl.Connection;
using Npgsql;

namespace Federation.Fedctl.Local;

/// <summary>The launcher's processes, ports and databases: starting, waiting for, stopping and killing silos.</summary>
public sealed partial class LocalFederation
{
    /// <summary>Kills a silo process started by this launcher (SIGKILL); false when it was not running.</summary>
    public static bool Kill(int pid)
    {
        if (!IsOurSilo(pid))
        {
            return false;
        }

        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        process.WaitForExit(TimeSpan.FromSeconds(10));
        return true;
    }

    private static int Launch(IReadOnlyList<string> arguments, string log, string workingDirectory)
    {
        // setsid: the silo leads its own process group and outlives this command; output goes to a file.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=$1; shift; exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null");
        start.ArgumentList.Add("launcher");
        start.ArgumentList.Add(log);
        start.ArgumentList.Add("dotnet");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new FedctlException("could not start a silo process", ExitCodes.Failure);
        return process.Id;
    }

    private static async Task WaitReadyAsync(LocalNationState nation, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (clock.Elapsed < s_readyTimeout)
        {
            // Not IsOurSilo: right after the fork, before exec, the child still shows this program's command line.
            if (!Directory.Exists($"/proc/{nation.Pid}"))
            {
                throw new FedctlException($"{nation.Code} exited while starting; its log ({nation.Log}) ends with:{Environment.NewLine}{Tail(nation.Log)}", ExitCodes.Failure);
            }

            try
            {
                using var response = await http.GetAsync($"{nation.ApiUrl}/health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await ticks.WaitForNextTickAsync(cancellationToken);
        }

        throw new FedctlException($"{nation.Code} was not ready within {s_readyTimeout.TotalSeconds:0} s; its log ({nation.Log}) ends with:{Environment.NewLine}{Tail(nation.Log)}", ExitCodes.Failure);
    }

    private static async Task<string> CreateDatabaseAsync(string server, string name, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new FedctlException($"cannot connect to PostgreSQL with --postgres ({e.Message}); start it with 'bash infra/ci/postgres-up.sh'", ExitCodes.Unreachable);
        }

        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>True when <paramref name="pid"/> is alive and is a silo (not a reused PID).</summary>
    private static bool IsOurSilo(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("Federation.Silo", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Stops a silo process started by this launcher as an operator would (SIGTERM: it leaves its cluster and its grains move), killing it after 15 s; false when it was not running.</summary>
    public static bool Stop(int pid)
    {
        if (!IsOurSilo(pid))
        {
            return false;
        }

        using var process = Process.GetProcessById(pid);
        using (var term = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            term?.WaitForExit();
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }

        return true;
    }

    private static string Tail(string path)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(path).TakeLast(20));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static List<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
