using System.Net;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Streams;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Tests.Io.Tls;

/// <summary>
/// The loopback TCP the TLS stage tests run over: Epsilon's own Akka.Streams TCP,
/// <c>system.EpsilonTcpStream()</c> (the shape of Akka.Streams' <c>system.TcpStream()</c>: Bind →
/// Source of IncomingConnection, OutgoingConnection → Flow of ByteString).
/// </summary>
internal static class TlsTestTransport
{
    /// <summary>A listener on 127.0.0.1 and an ephemeral port.</summary>
    public static Source<StreamTcp.IncomingConnection, Task<StreamTcp.ServerBinding>> Bind(ActorSystem system) =>
        system.EpsilonTcpStream().Bind("127.0.0.1", 0);

    /// <summary>A connection to <paramref name="endpoint"/>; completing its input half-closes the socket.</summary>
    public static Flow<ByteString, ByteString, Task<StreamTcp.OutgoingConnection>> Connect(ActorSystem system, EndPoint endpoint) =>
        system.EpsilonTcpStream().OutgoingConnection(endpoint, halfClose: true);

    /// <summary>The port a binding listens on.</summary>
    public static int PortOf(StreamTcp.ServerBinding binding) => ((IPEndPoint)binding.LocalAddress).Port;
}
