using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Federation.Fedctl.Tests;

/// <summary>
/// Things a wrong <c>--url</c> may reach, on a free loopback port: a tiny web server that is not a
/// nation, a service that answers in another protocol, and one that closes every connection at once.
/// </summary>
internal sealed class FakeServers : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FakeServers(TcpListener listener, Func<NetworkStream, CancellationToken, Task> serve)
    {
        _listener = listener;
        _loop = AcceptAsync(serve);
    }

    /// <summary>The server's URL.</summary>
    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>A web server answering every request with an HTML 404 page titled "Tiny test server".</summary>
    public static FakeServers TinyWebServer() => Start(async (stream, ct) =>
    {
        await ReadHeadersAsync(stream, ct);
        var body = "<html><head><title>Tiny test server</title></head><body>nothing here</body></html>";
        var answer = $"HTTP/1.1 404 Not Found\r\nServer: tiny-test\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(answer), ct);
    });

    /// <summary>A service that greets in another protocol (as an SSH server does) whatever it is sent.</summary>
    public static FakeServers OtherProtocol() => Start(async (stream, ct) =>
        await stream.WriteAsync("SSH-2.0-FakeServer_1.0\r\n"u8.ToArray(), ct));

    /// <summary>A service that closes every connection without a word.</summary>
    public static FakeServers Closing() => Start((_, _) => Task.CompletedTask);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private static FakeServers Start(Func<NetworkStream, CancellationToken, Task> serve)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new FakeServers(listener, serve);
    }

    private static async Task ReadHeadersAsync(NetworkStream stream, CancellationToken ct)
    {
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                return;
            }

            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task> serve)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    await serve(client.GetStream(), _stop.Token);
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                    // The client went away: the next one.
                }
            }
        }
    }
}
