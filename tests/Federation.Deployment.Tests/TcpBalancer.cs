using System.Net;
using System.Net.Sockets;

namespace Federation.Deployment.Tests;

/// <summary>
/// A small L4 load balancer, as a nation puts in front of its silos' federation ports: each accepted
/// connection goes to the next backend in turn, or the one after when that one refuses it, and bytes
/// are copied both ways untouched (TLS passes through, so mutual TLS and pins hold end to end).
/// </summary>
internal sealed class TcpBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<IPEndPoint> _backends;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly int[] _connections;
    private int _next;

    public TcpBalancer(IReadOnlyList<IPEndPoint> backends)
    {
        _backends = backends;
        _connections = new int[backends.Count];
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The balancer's address: the nation's one federation address.</summary>
    public IPEndPoint Address => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections passed to each backend so far.</summary>
    public int ConnectionsTo(int backend) => Volatile.Read(ref _connections[backend]);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        {
            var first = Interlocked.Increment(ref _next);
            for (var attempt = 0; attempt < _backends.Count; attempt++)
            {
                var index = (first + attempt) % _backends.Count;
                using var backend = new TcpClient();
                try
                {
                    await backend.ConnectAsync(_backends[index], _stop.Token);
                }
                catch (SocketException)
                {
                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Interlocked.Increment(ref _connections[index]);
                using var relay = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = CopyAsync(client.GetStream(), backend.GetStream(), relay.Token);
                var down = CopyAsync(backend.GetStream(), client.GetStream(), relay.Token);
                await Task.WhenAny(up, down);
                await relay.CancelAsync();
                return;
            }
        }
    }

    private static async Task CopyAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        try
        {
            await from.CopyToAsync(to, ct);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side closed: the relay ends.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
