using Akka.Actor;

namespace Epsilon.Actors.Io.Streams;

/// <summary>Entry points on <see cref="ActorSystem"/>.</summary>
public static class EpsilonTcpStreamExtensions
{
    /// <summary>
    /// Akka.Streams TCP on Epsilon's event loops: the drop-in for Akka's <c>system.TcpStream()</c>,
    /// with the same methods and Akka.Streams' own <c>Tcp.IncomingConnection</c>,
    /// <c>Tcp.ServerBinding</c> and <c>Tcp.OutgoingConnection</c> types.
    /// </summary>
    public static EpsilonTcpStreamExt EpsilonTcpStream(this ActorSystem system) => Streams.EpsilonTcpStream.For(system);
}
