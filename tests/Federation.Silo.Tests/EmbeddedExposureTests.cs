using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Federation.Testing;

namespace Federation.Silo.Tests;

/// <summary>
/// Embedded mode stays private (issue 13), tried with the real silo process: on an address other
/// than loopback it refuses to start without tokens, and with tokens it starts authenticated and
/// says so in its banner.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class EmbeddedExposureTests : IDisposable
{
    private const string Token = "exposure-test-token-0123456789";

    private readonly string _directory = Directory.CreateTempSubdirectory("exposure-test-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string SiloDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        if (!File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "silos", "Federation.Silo", "bin", configuration, "net10.0", "Federation.Silo.dll"));
        }

        Assert.True(File.Exists(dll), $"the silo's build output is missing: {dll}");
        return dll;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(SiloDll());
        foreach (var argument in arguments.Concat(["--Federation:SiloPort=0", "--Federation:GatewayPort=0", "--Federation:SeedDemoCatalogue=false", $"--Federation:Data:Roots:0={_directory}"]))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _outputs[process.Id] = (stdout, stderr);
        return process;
    }

    private readonly Dictionary<int, (StringBuilder Out, StringBuilder Err)> _outputs = [];

    private string Output(Process process)
    {
        var (stdout, stderr) = _outputs[process.Id];
        lock (stdout)
        {
            lock (stderr)
            {
                return stdout + "\n" + stderr;
            }
        }
    }

    [Fact]
    public async Task Embedded_OnAllInterfacesWithoutTokens_RefusesToStartNamingTheRule()
    {
        using var silo = Start($"--Federation:Urls=http://0.0.0.0:{FreePort()}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await silo.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            silo.Kill(entireProcessTree: true);
            Assert.Fail($"the embedded silo bound to 0.0.0.0 without tokens was expected to exit within 60 s; it kept running. Output:\n{Output(silo)}");
        }

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("Federation:Urls binds http://0.0.0.0", Output(silo), StringComparison.Ordinal);
        Assert.Contains("Federation:Auth:AdminTokens", Output(silo), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embedded_OnAllInterfacesWithTokens_StartsAuthenticatedAndSaysSo()
    {
        var port = FreePort();
        using var silo = Start($"--Federation:Urls=http://0.0.0.0:{port}", $"--Federation:Auth:AdminTokens:0={Token}");
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.WaitAsync(
                async () => { try { return (await client.GetAsync("/health/ready", Ct)).StatusCode; } catch (HttpRequestException) { return (HttpStatusCode)0; } },
                status => status == HttpStatusCode.OK || silo.HasExited,
                TimeSpan.FromSeconds(90), "the embedded silo bound to 0.0.0.0 with tokens to answer /health/ready 200");
            Assert.False(silo.HasExited, Output(silo));
            Assert.Contains("NOT bound to loopback only", Output(silo), StringComparison.Ordinal);
            Assert.DoesNotContain("OPEN WITHOUT AUTHENTICATION", Output(silo), StringComparison.Ordinal);

            using var anonymous = await client.PostAsync("/api/v1/datasets", new StringContent(Payloads.Dataset("anon").ToJsonString(), Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var trace = await client.GetAsync("/dashboard/Trace", Ct);
            Assert.NotEqual(HttpStatusCode.OK, trace.StatusCode);

            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/datasets") { Content = new StringContent(Payloads.Dataset("with-token").ToJsonString(), Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var authorised = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Created, authorised.StatusCode);
        }
        finally
        {
            if (!silo.HasExited)
            {
                silo.Kill(entireProcessTree: true);
                await silo.WaitForExitAsync(CancellationToken.None);
            }
        }
    }
}
