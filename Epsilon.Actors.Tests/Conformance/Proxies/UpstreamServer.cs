using System.Net;
using Akka.Actor;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Server;

namespace Epsilon.Actors.Tests.Conformance.Proxies;

/// <summary>
/// Epsilon's HTTP/1.1 server bound on a free loopback port with the application under test; its
/// binding's <see cref="HttpServerBinding.ConnectionsAccepted"/> is the server-side count of the
/// TCP connections the proxy opened to it.
/// </summary>
internal sealed class UpstreamServer : IAsyncDisposable
{
    private readonly HttpServerBinding _binding;

    private UpstreamServer(HttpServerBinding binding) => _binding = binding;

    /// <summary>The port the server listens on.</summary>
    public int Port => ((IPEndPoint)_binding.LocalAddress).Port;

    /// <summary>Connections the server has accepted since it was bound.</summary>
    public long ConnectionsAccepted => _binding.ConnectionsAccepted;

    public static async Task<UpstreamServer> StartAsync(ActorSystem system, HttpHandler handler) =>
        new(await system.Http().NewServerAt("127.0.0.1", 0).Bind(handler).WaitAsync(TimeSpan.FromSeconds(15)));

    /// <summary>Stops accepting and closes the open connections (within 3 s).</summary>
    public async ValueTask DisposeAsync() => await _binding.Terminate(TimeSpan.FromSeconds(3)).WaitAsync(TimeSpan.FromSeconds(10));
}
