using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Federation.Silo.Peering;

/// <summary>Where this nation's federation API listens, once the server has bound it.</summary>
public sealed class PeeringEndpoint
{
    private ListenOptions? _listen;

    /// <summary>Whether the federation API is configured (a certificate is set).</summary>
    public bool Enabled { get; internal set; }

    /// <summary>The bound port, or null before start or when disabled.</summary>
    public int? Port => _listen?.IPEndPoint is { Port: > 0 } bound ? bound.Port : null;

    /// <summary>The federation API's base URL (<c>https://address:port</c>), or null before start or when disabled.</summary>
    public string? Url => _listen?.IPEndPoint is { Port: > 0 } bound
        ? $"https://{(bound.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : bound.Address)}:{bound.Port}"
        : null;

    internal void Bind(ListenOptions listen) => _listen = listen;
}
