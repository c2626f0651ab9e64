using System.Net;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// UDP as Akka.Streams: a <see cref="Flow{TIn, TOut, TMat}"/> bound to a local port, over
/// Epsilon's UDP manager. Get it with <c>system.EpsilonUdpStream()</c>.
/// </summary>
/// <example>
/// An echo server on port 5000:
/// <code>
/// system.EpsilonUdpStream().Bind(new IPEndPoint(IPAddress.Any, 5000))
///     .Join(Flow.Create&lt;Datagram&gt;())
///     .Run(system.Materializer());
/// </code>
/// </example>
public sealed class EpsilonUdpStream
{
    private readonly ActorSystem _system;

    internal EpsilonUdpStream(ActorSystem system) => _system = system;

    /// <summary>
    /// A flow bound to <paramref name="localEndPoint"/> once materialized: datagrams received on
    /// the port come out (whole, empty ones too, with their sender), datagrams pushed in are sent
    /// to their <see cref="Datagram.Remote"/>. Each materialization binds its own socket.
    /// </summary>
    /// <remarks>
    /// <para>Back-pressure: when downstream stops pulling, the stage buffers at most
    /// <see cref="UdpBindStage.HighWaterMark"/> datagrams and then suspends reading, so the kernel
    /// queues (and, once its buffer is full, drops) what arrives, as UDP does; reading resumes when
    /// downstream has taken the buffered ones. Upstream is pulled one datagram at a time, each
    /// after the previous one is in the kernel.</para>
    /// <para>A datagram the kernel refuses (larger than the protocol allows, or an unreachable
    /// target) is logged at warning and skipped; the stream goes on. Upstream completion completes
    /// the stage once the last datagram is sent; downstream cancellation, too. Either unbinds the
    /// port. A failed bind fails the stream and the materialized task.</para>
    /// </remarks>
    /// <param name="localEndPoint">The IP endpoint to bind (port 0 picks a free one).</param>
    /// <param name="options">Socket options, as for <c>Udp.Bind</c> (see <see cref="UdpOptions"/>).</param>
    /// <returns>The flow; its materialized value completes with the bound address.</returns>
    public Flow<Datagram, Datagram, Task<EndPoint>> Bind(EndPoint localEndPoint, IEnumerable<Inet.SocketOption>? options = null)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        return Flow.FromGraph(new UdpBindStage(_system.EpsilonUdp(), localEndPoint, options));
    }
}
