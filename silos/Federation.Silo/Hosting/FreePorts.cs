using System.Net;
using System.Net.Sockets;

namespace Federation.Silo.Hosting;

/// <summary>Resolves port 0 ("any free port") for listeners that cannot bind port 0 themselves (Orleans).</summary>
public static class FreePorts
{
    /// <summary><paramref name="configured"/> when not 0, else a port that was free a moment ago on <paramref name="address"/>.</summary>
    public static int Resolve(int configured, IPAddress address)
    {
        if (configured != 0)
        {
            return configured;
        }

        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
