using Akka.Actor;
using Akka.Streams;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Http;

/// <summary>
/// Epsilon's HTTP in one actor system: the server settings read from <c>epsilon.http.server</c>
/// and the entry to bind servers (<see cref="NewServerAt"/>). Thread-safe; created once per
/// system on first use.
/// </summary>
public sealed class EpsilonHttpExt : IExtension
{
    private readonly Lazy<IMaterializer> _materializer;

    internal EpsilonHttpExt(ExtendedActorSystem system)
    {
        System = system;
        ServerSettings = HttpServerSettings.FromConfig(EpsilonConfig.Section(system, "epsilon.http.server"));
        _materializer = new Lazy<IMaterializer>(() => system.Materializer(namePrefix: "epsilon-http"), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The server settings of <c>epsilon.http.server</c>, the starting point of every <see cref="HttpServerBuilder"/>.</summary>
    public HttpServerSettings ServerSettings { get; }

    internal ActorSystem System { get; }

    /// <summary>The materializer the servers of this system run their connections in (created on first use).</summary>
    internal IMaterializer Materializer => _materializer.Value;

    /// <summary>
    /// A builder for a server listening on <paramref name="host"/>:<paramref name="port"/>
    /// (port 0 picks a free one; see <see cref="HttpServerBinding.LocalAddress"/>). Nothing is
    /// bound until one of the builder's <c>Bind</c> methods is called. The builder is immutable.
    /// </summary>
    /// <param name="host">An IP address (<c>0.0.0.0</c> for every IPv4 interface) or a name resolved at bind time.</param>
    /// <param name="port">0 to 65535.</param>
    public HttpServerBuilder NewServerAt(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new HttpServerBuilder(this, host, port, ServerSettings);
    }
}
